/**
 * The lake that follows ingestion (service/export/lake.ts): after 20 ingests through the real
 * service process — resends of earlier bodies among them, and a SIGKILL of the service in the
 * middle of one — the Hive-partitioned lake holds every accepted event exactly once, read back with
 * DuckDB's read_parquet and with Spark. Crashes inside the follower's own protocol are injected
 * too: after a batch's manifest landed (rolled forward on restart) and while its COPY was writing
 * (staging discarded, batch redone). File names carry the batch id and no file is ever partial.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LakeFollower, lakeGlob } from '../../service/export/lake.ts';
import { startChildService, type ChildService } from '../helpers/child-service.ts';
import { makeEvents, toNdjson } from '../helpers/events.ts';
import { startTestService, tempDir, type TestService } from '../helpers/service.ts';

const post = (url: string, body: string) => fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });

async function lakeMatchesDatabase(svc: TestService, lakeDir: string) {
  const glob = lakeGlob(lakeDir).replaceAll("'", "''");
  const [r] = await svc.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM events)::VARCHAR AS db,
            (SELECT count(*) FROM read_parquet('${glob}', hive_partitioning = true))::VARCHAR AS lake,
            (SELECT count(DISTINCT event_id) FROM read_parquet('${glob}', hive_partitioning = true))::VARCHAR AS lake_ids,
            (SELECT count(*) FROM (SELECT event_id, batch_id, occurred_at, type FROM events EXCEPT SELECT event_id, batch_id, occurred_at, type FROM read_parquet('${glob}', hive_partitioning = true)))::VARCHAR AS missing,
            (SELECT count(*) FROM (SELECT event_id FROM read_parquet('${glob}', hive_partitioning = true) EXCEPT SELECT event_id FROM events))::VARCHAR AS extra`,
  );
  return r;
}

const lakeFiles = (lakeDir: string) => (fs.readdirSync(lakeDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.parquet') && !f.startsWith('_'));

describe('the lake follows ingestion exactly once', () => {
  it('after 20 ingests with resends and a SIGKILL in the middle (DuckDB and Spark read it back)', async () => {
    const dataDir = tempDir();
    const lakeDir = path.join(tempDir(), 'lake');
    const env = { DATA_DIR: dataDir, ANALYSIS_ENGINE: 'spark', LAKE_DIR: lakeDir, SPARK_PREWARM: 'false' };
    let child: ChildService = await startChildService(env);
    const bodies: string[] = [];
    let accepted = 0;
    let duplicates = 0;
    for (let i = 0; i < 20; i++) {
      // Every fourth request resends an earlier body (a producer retrying after a timeout).
      const body = i % 4 === 3 ? bodies[i - 2] : toNdjson(makeEvents(400, 100 + i, `lake${i}`));
      bodies.push(body);
      if (i === 10) {
        // SIGKILL while this request is in flight: it may or may not have committed.
        const inflight = post(child.url, body).catch(() => null);
        await new Promise((r) => setTimeout(r, 15));
        await child.kill('SIGKILL');
        await inflight;
        child = await startChildService(env);
      }
      const res = await post(child.url, body);
      expect(res.status).toBe(200);
      const answer = (await res.json()) as { accepted: number; duplicates: number };
      accepted += answer.accepted;
      duplicates += answer.duplicates;
    }
    expect(duplicates).toBeGreaterThanOrEqual(4 * 400);
    await child.kill('SIGTERM');

    // The same database and lake, opened in-process: let the follower finish, then compare.
    const svc = await startTestService({ ...env, SPARK_MASTER: 'local[1]', SPARK_CONF: 'spark.ui.enabled=true,spark.driver.host=127.0.0.1,spark.driver.bindAddress=127.0.0.1' }, dataDir);
    try {
      await svc.ctx.spark!.lake.settle();
      const r = await lakeMatchesDatabase(svc, lakeDir);
      expect(Number(r.db)).toBeGreaterThanOrEqual(accepted);
      expect(Number(r.db)).toBeLessThanOrEqual(15 * 400); // 15 distinct bodies of 400 (5 are resends)
      expect(r).toEqual({ db: r.db, lake: r.db, lake_ids: r.db, missing: '0', extra: '0' });
      // Every file is named for its batch, and every committed batch has its manifest.
      for (const f of lakeFiles(lakeDir)) expect(f).toMatch(/^year=\d{4}\/month=\d{2}\/type=[a-z_]+\/batch-\d+-\d+\.parquet$/);
      const [b] = await svc.query<{ n: string }>(`SELECT count(*)::VARCHAR AS n FROM ingest_batches`);
      expect(svc.ctx.spark!.lake.status().batches).toBe(Number(b.n));
      expect(fs.readdirSync(path.join(lakeDir, '_staging'))).toEqual([]);
      const seen = await svc.ctx.spark!.lakeCount();
      expect(seen).toEqual({ rows: Number(r.db), ids: Number(r.db) });
    } finally {
      await svc.stop();
    }
  }, 600_000);

  it('an erasure rewrites the lake files that hold the customer, and leaves every other row', async () => {
    const lakeDir = path.join(tempDir(), 'lake');
    const svc = await startTestService({ ANALYSIS_ENGINE: 'spark', LAKE_DIR: lakeDir, SPARK_PREWARM: 'false' });
    try {
      for (const seed of [31, 32]) {
        const res = await svc.call('/v1/events', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: toNdjson(makeEvents(300, seed, `erase${seed}`)) });
        expect(res.status).toBe(200);
      }
      await svc.ctx.ingestion.settled();
      await svc.ctx.spark!.lake.settle();
      const glob = lakeGlob(lakeDir).replaceAll("'", "''");
      const perCustomer = async () =>
        new Map(
          (await svc.query<{ customer_id: string; n: number }>(`SELECT customer_id, count(*)::INT AS n FROM read_parquet('${glob}', hive_partitioning = true) GROUP BY 1`)).map((r) => [r.customer_id, r.n]),
        );
      const before = await perCustomer();
      const [victim] = [...before.entries()].sort((a, b) => b[1] - a[1])[0];
      const filesBefore = lakeFiles(lakeDir).sort();
      const res = await svc.call(`/v1/customers/${encodeURIComponent(victim)}`, { method: 'DELETE' });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as { erased: Record<string, number> };
      expect(answer.erased.lake_events).toBe(before.get(victim));
      expect(answer.erased.events).toBe(before.get(victim));
      const after = await perCustomer();
      expect(after.has(victim)).toBe(false);
      before.delete(victim);
      expect(after).toEqual(before);
      // Rewritten in place: the same files (a file left empty stays, so the manifests hold), no temporaries.
      expect(lakeFiles(lakeDir).sort()).toEqual(filesBefore);
      expect((fs.readdirSync(lakeDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.erase-tmp'))).toEqual([]);
      expect(await lakeMatchesDatabase(svc, lakeDir)).toMatchObject({ missing: '0', extra: '0' });
    } finally {
      await svc.stop();
    }
  });

  it('rolls forward a batch whose manifest landed and redoes one whose COPY was cut', async () => {
    const lakeDir = path.join(tempDir(), 'lake');
    const svc = await startTestService({});
    try {
      const send = async (seed: number) => expect((await svc.call('/v1/events', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: toNdjson(makeEvents(300, seed, `crash${seed}`)) })).status).toBe(200);
      await send(1);
      await send(2);
      // Acknowledged is not yet committed (the live log is applied behind the answers): wait for both.
      await svc.ctx.ingestion.settled();
      // Crash after batch 1's manifest landed, before its files moved into the partitions.
      const first = new LakeFollower(svc.ctx.db, lakeDir);
      first.afterManifest = () => {
        throw new Error('simulated crash');
      };
      await expect(first.settle()).rejects.toThrow('simulated crash');
      expect(lakeFiles(lakeDir)).toEqual([]); // nothing visible yet
      expect(fs.readdirSync(path.join(lakeDir, '_staging'))).toEqual(['batch-1']);
      // A COPY cut short for batch 2: a partial file in its staging directory, no manifest.
      const cut = path.join(lakeDir, '_staging', 'batch-2', 'year=2025', 'month=01', 'type=contact');
      fs.mkdirSync(cut, { recursive: true });
      fs.writeFileSync(path.join(cut, 'batch-2-0.parquet'), 'PAR1 half a file');
      const restarted = new LakeFollower(svc.ctx.db, lakeDir);
      await restarted.settle();
      const r = await lakeMatchesDatabase(svc, lakeDir);
      expect(r).toEqual({ db: '600', lake: '600', lake_ids: '600', missing: '0', extra: '0' });
      expect(restarted.status()).toMatchObject({ batches: 2, lastBatch: 2 });
      expect(fs.readdirSync(path.join(lakeDir, '_staging'))).toEqual([]);
      // Settling again appends nothing: the manifests are the watermark.
      const before = lakeFiles(lakeDir).sort();
      await new LakeFollower(svc.ctx.db, lakeDir).settle();
      expect(lakeFiles(lakeDir).sort()).toEqual(before);
    } finally {
      await svc.stop();
    }
  });
});
