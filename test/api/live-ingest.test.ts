/**
 * Live ingestion against the real server and a real DuckDB file: many concurrent small requests
 * (the live path, acknowledged from the live log), repeats of each other's events, rows the SQL must judge, bulk requests
 * overlapping live ones, SIGKILL under that load, and back-pressure with the writer slowed.
 */
import path from 'node:path';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startChildService, type ChildService } from '../helpers/child-service.ts';
import { makeEvents, toNdjson, type TestEvent } from '../helpers/events.ts';
import { startTestService, tempDir } from '../helpers/service.ts';
import { storedEventCounts } from '../helpers/stored-events.ts';

interface Answer {
  batch_id: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: { row: number; event_id: string | null; code: string }[];
}

const post = (url: string, body: string) => fetch(`${url}/v1/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });

/** Client `c`'s i-th request: 1 or 20 events, a third of them repeats of another client's events. */
function requestOf(pool: TestEvent[], c: number, i: number): TestEvent[] {
  const size = (c + i) % 2 === 0 ? 1 : 20;
  const out: TestEvent[] = [];
  for (let k = 0; k < size; k++) {
    const n = (c * 7919 + i * 104729 + k * 31) % pool.length;
    // Every third event repeats one that lower-numbered clients send too.
    out.push(k % 3 === 0 ? pool[(n * 3) % 600] : pool[n]);
  }
  return out;
}

describe('live ingestion: concurrent small requests', () => {
  it('32 clients with 1- and 20-event requests and repeats: stored = the distinct ids, and the answers add up', async () => {
    const svc = await startTestService();
    try {
      const pool = makeEvents(3000, 5, 'live');
      const sent: { events: TestEvent[]; answer: Answer }[] = [];
      await Promise.all(
        Array.from({ length: 32 }, async (_, c) => {
          for (let i = 0; i < 12; i++) {
            const events = requestOf(pool, c, i);
            // Every fifth request carries a bad row, judged by the SQL path in the same group.
            const body = toNdjson(events) + (i % 5 === 4 ? `{"event_id":"bad-${c}-${i}","type":"contact","occurred_at":"2026-01-01T00:00:00Z","customer_id":"x","channel":"fax","topic":"fee"}\n` : '');
            const res = await post(svc.url, body);
            if (res.status !== 200) throw new Error(`${res.status}: ${await res.text()}`);
            sent.push({ events, answer: (await res.json()) as Answer });
          }
        }),
      );
      const distinct = new Set(sent.flatMap((s) => s.events.map((e) => e.event_id)));
      const stored = await svc.query<{ n: number; d: number }>(`SELECT count(*)::INT AS n, count(DISTINCT event_id)::INT AS d FROM events`);
      expect(stored[0].n).toBe(distinct.size);
      expect(stored[0].d).toBe(distinct.size);
      expect(sent.reduce((n, s) => n + s.answer.accepted, 0)).toBe(distinct.size);
      for (const { events, answer } of sent) expect(answer.accepted + answer.duplicates).toBe(events.length);
      const bad = sent.filter((s) => s.answer.rejected > 0);
      expect(bad.length).toBe(32 * 2);
      for (const s of bad) {
        expect(s.answer.rejected).toBe(1);
        expect(s.answer.errors[0]).toMatchObject({ row: s.events.length + 1, code: 'invalid_value' });
        expect(s.answer.errors[0].event_id).toMatch(/^bad-/);
      }
      const rejected = await svc.query<{ n: number }>(`SELECT count(*)::INT AS n FROM rejected_rows WHERE code = 'invalid_value' AND raw LIKE '%"fax"%'`);
      expect(rejected[0].n).toBe(64);
      // Requests committed together share a batch: far fewer batches than requests.
      const batches = new Set(sent.map((s) => s.answer.batch_id));
      expect(batches.size).toBeLessThan(sent.length);
      // Exactly the same typed rows as the bulk path stores (which validates everything in SQL).
      const bulk = await startTestService();
      try {
        const big = [...distinct].map((id) => pool.find((e) => e.event_id === id)!);
        const padded = toNdjson(big) + '\n'.repeat(1_100_000); // past the live path's 1 MiB
        expect((await (await post(bulk.url, padded)).json()).accepted).toBe(distinct.size);
        const cols = `* EXCLUDE (batch_id)`;
        const a = await svc.query(`SELECT ${cols} FROM events ORDER BY event_id`);
        const b = await bulk.query(`SELECT ${cols} FROM events ORDER BY event_id`);
        expect(a).toEqual(b);
        const paths = await bulk.query<{ media_type: string; rows_total: number }>(`SELECT media_type, rows_total::INT AS rows_total FROM ingest_batches`);
        expect(paths).toEqual([{ media_type: 'application/x-ndjson', rows_total: distinct.size }]);
      } finally {
        await bulk.stop();
      }
    } finally {
      await svc.stop();
    }
  });

  it('a retry after a timeout gets duplicates, never a double; a bulk request racing live ones stores each id once', async () => {
    const svc = await startTestService();
    try {
      const events = makeEvents(20, 9, 'retry');
      const first = (await (await post(svc.url, toNdjson(events))).json()) as Answer;
      const again = (await (await post(svc.url, toNdjson(events))).json()) as Answer;
      expect(first).toMatchObject({ accepted: 20, duplicates: 0, rejected: 0 });
      expect(again).toMatchObject({ accepted: 0, duplicates: 20, rejected: 0 });

      const shared = makeEvents(4000, 10, 'race');
      const bulkBody = toNdjson(shared) + '\n'.repeat(1_100_000);
      const answers = await Promise.all([
        post(svc.url, bulkBody).then((r) => r.json() as Promise<Answer>),
        ...Array.from({ length: 40 }, (_, i) => post(svc.url, toNdjson(shared.slice(i * 100, i * 100 + 100))).then((r) => r.json() as Promise<Answer>)),
      ]);
      expect(answers.reduce((n, a) => n + a.accepted, 0)).toBe(4000);
      const stored = await svc.query<{ n: number }>(`SELECT count(*)::INT AS n FROM events WHERE event_id LIKE 'race-%'`);
      expect(stored[0].n).toBe(4000);
    } finally {
      await svc.stop();
    }
  });
});

/** Requests of 1–20 events from `clients` loops until `stop()`; records which were answered 2xx. */
function loadOn(svc: ChildService, prefix: string, clients: number) {
  const acknowledged: string[][] = [];
  const attempted: string[][] = [];
  let stopped = false;
  const loops = Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; !stopped; i++) {
      const events = makeEvents(1 + ((c + i) % 20), c * 100_000 + i, prefix);
      attempted.push(events.map((e) => String(e.event_id)));
      try {
        const res = await post(svc.url, toNdjson(events));
        if (res.ok) acknowledged.push(events.map((e) => String(e.event_id)));
        await res.arrayBuffer();
      } catch {
        return; // the service is gone
      }
    }
  });
  return { acknowledged, attempted, stop: () => ((stopped = true), Promise.all(loops)) };
}

describe('live ingestion: durability', () => {
  it('five SIGKILLs under load: every acknowledged event is stored once, no request is half-stored', async () => {
    const dataDir = tempDir();
    const acknowledged: string[][] = [];
    const attempted: string[][] = [];
    for (let round = 0; round < 5; round++) {
      const svc = await startChildService({ DATA_DIR: dataDir });
      const load = loadOn(svc, `k${round}`, 32);
      const deadline = Date.now() + 30_000;
      while (load.acknowledged.length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await svc.kill('SIGKILL');
      await load.stop();
      acknowledged.push(...load.acknowledged);
      attempted.push(...load.attempted);
    }
    expect(acknowledged.length).toBeGreaterThan(5 * 30);
    const again = await startChildService({ DATA_DIR: dataDir });
    expect((await (await fetch(`${again.url}/v1/health`)).json()).status).toBe('ok');
    await again.kill('SIGTERM');
    const stored = await storedEventCounts(dataDir);
    for (const ids of acknowledged) for (const id of ids) expect(stored.get(id), `acknowledged ${id}`).toBe(1);
    for (const ids of attempted) {
      const present = ids.filter((id) => stored.has(id)).length;
      expect([0, ids.length], `request ${ids[0]} is half-stored`).toContain(present);
    }
  });
});

describe('live ingestion: back-pressure', () => {
  it('with the writer slowed, clients get 503 with Retry-After, memory stays bounded, and every acknowledged event is there', async () => {
    const dataDir = tempDir();
    const svc = await startChildService({ DATA_DIR: dataDir, INGEST_TEST_WRITER_DELAY_MS: '250', INGEST_MAX_QUEUE_MS: '300', INGEST_MAX_QUEUED_ROWS: '400' });
    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    let retryAfter: string | null = null;
    let overloadBody: { error: { code: string; details: { reason: string } } } | null = null;
    await Promise.all(
      Array.from({ length: 24 }, async (_, c) => {
        for (let i = 0; i < 15; i++) {
          const events = makeEvents(20, c * 1000 + i, 'bp');
          const res = await post(svc.url, toNdjson(events));
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 503) {
            retryAfter ??= res.headers.get('retry-after');
            overloadBody ??= await res.json();
          } else {
            expect(res.status).toBe(200);
            expect((await res.json()).accepted).toBe(20);
            acknowledged.push(...events.map((e) => String(e.event_id)));
          }
        }
      }),
    );
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(overloadBody!.error.code).toBe('overloaded');
    expect(['queue_rows', 'queue_age']).toContain(overloadBody!.error.details.reason);
    const status = await (await fetch(`${svc.url}/v1/ingestion/status`)).json();
    expect(status.writer.live.requests_refused).toBe(statuses.get(503));
    const rss = Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${svc.process.pid}/status`, 'utf8'))![1]) * 1024;
    expect(rss).toBeLessThan(700 * 2 ** 20);
    await svc.kill('SIGTERM');
    const ids = await storedEventCounts(dataDir);
    expect(ids.size).toBe(acknowledged.length);
    for (const id of acknowledged) expect(ids.has(id)).toBe(true);
  });
});

describe('the ledger of acknowledged batches', () => {
  it('a cut write-ahead log is noticed: missing batches reported, writes refused, no sample loaded, until the loss is accepted', async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'invoice-pulse.duckdb');
    const first = await startChildService({ DATA_DIR: dataDir });
    const batches = new Set<number>();
    // Bulk-sized bodies (past the live path's 1 MiB): committed to DuckDB only, so a cut WAL loses them.
    for (let i = 0; i < 8; i++) batches.add(((await (await post(first.url, toNdjson(makeEvents(5, i, 'wal')) + '\n'.repeat(1_100_000))).json()) as Answer).batch_id);
    // Live requests are also in the live log, which is kept until a DuckDB checkpoint holds them: they survive the cut.
    for (let i = 0; i < 3; i++) expect((await (await post(first.url, toNdjson(makeEvents(4, 100 + i, 'wal-live')))).json()).accepted).toBe(4);
    await first.kill('SIGKILL');
    // Everything since the last checkpoint lives only in the write-ahead log: cut it.
    expect(fs.statSync(`${file}.wal`).size).toBeGreaterThan(0);
    fs.truncateSync(`${file}.wal`, 0);

    const second = await startChildService({ DATA_DIR: dataDir, SAMPLE_DATA: 'small' });
    const health = await (await fetch(`${second.url}/v1/health`)).json();
    expect(health.status).toBe('degraded');
    expect(health.integrity).toMatchObject({ ok: false, acknowledged_batches: batches.size + 3, missing_batches: batches.size });
    expect(health.integrity.first_missing).toEqual([...batches].sort((a, b) => a - b));
    expect(health.counts.events).toBe(12); // the live rows, replayed from the live log; the sample was not loaded into a file that held data
    expect(second.output()).toMatch(/INTEGRITY: the ledger lists 11 acknowledged batches and 8 of them are not in the database/);
    expect(second.output()).not.toMatch(/loading the small sample data set/);
    const refused = await post(second.url, toNdjson(makeEvents(2, 99, 'after')));
    expect(refused.status).toBe(503);
    expect((await refused.json()).error.code).toBe('integrity_check_failed');
    await second.kill('SIGTERM');

    const third = await startChildService({ DATA_DIR: dataDir, INTEGRITY_ACCEPT_LOSS: 'true' });
    expect((await (await fetch(`${third.url}/v1/health`)).json()).integrity.ok).toBe(true);
    expect((await post(third.url, toNdjson(makeEvents(2, 99, 'after')))).status).toBe(200);
    await third.kill('SIGTERM');
    const fourth = await startChildService({ DATA_DIR: dataDir });
    expect((await (await fetch(`${fourth.url}/v1/health`)).json()).integrity).toMatchObject({ ok: true, missing_batches: 0 });
    await fourth.kill('SIGTERM');
  });
});
