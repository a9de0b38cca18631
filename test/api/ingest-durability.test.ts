import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../service/db/database.ts';
import { startChildService } from '../helpers/child-service.ts';
import { makeEvents, toNdjson } from '../helpers/events.ts';
import { tempDir } from '../helpers/service.ts';

describe('durability: SIGKILL mid-stream loses nothing acknowledged and shows nothing partial', () => {
  it('keeps every 2xx batch whole and every other batch absent or whole', async () => {
    const dataDir = tempDir();
    const svc = await startChildService({ DATA_DIR: dataDir });
    const acknowledged = new Set<number>();
    const attempted: number[] = [];
    let stop = false;
    const batchSize = 1000;
    const send = async (worker: number) => {
      for (let i = 0; !stop; i++) {
        const batch = worker * 10_000 + i;
        attempted.push(batch);
        try {
          const res = await fetch(`${svc.url}/v1/events`, {
            method: 'POST',
            body: toNdjson(makeEvents(batchSize, batch, `k${batch}`)),
            headers: { 'content-type': 'application/x-ndjson' },
          });
          if (res.ok) acknowledged.add(batch);
          await res.arrayBuffer();
        } catch {
          return; // the server died under us
        }
      }
    };
    // A slow stream that is still open when the server is killed: none of it may be visible.
    // Long enough (about 10 s at 100 events per 20 ms) to be still open when the kill comes.
    const slowEvents = makeEvents(50_000, 999_999, 'slow');
    const slow = (async () => {
      const enc = new TextEncoder();
      const body = new ReadableStream({
        async pull(controller) {
          const next = slowEvents.splice(0, 100);
          if (next.length === 0 || stop) return controller.close();
          controller.enqueue(enc.encode(toNdjson(next)));
          await new Promise((r) => setTimeout(r, 20));
        },
      });
      try {
        const res = await fetch(`${svc.url}/v1/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' }, duplex: 'half' } as RequestInit);
        return res.ok;
      } catch {
        return false;
      }
    })();
    const workers = [0, 1, 2].map(send);
    // Kill once several batches are acknowledged (however slow the machine), with more in flight.
    const deadline = Date.now() + 60_000;
    while (acknowledged.size < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await svc.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    const slowAcknowledged = await slow;
    expect(acknowledged.size).toBeGreaterThan(3);
    expect(slowAcknowledged).toBe(false);

    // Restart on the same file: the service recovers and serves.
    const again = await startChildService({ DATA_DIR: dataDir });
    const health = await (await fetch(`${again.url}/v1/health`)).json();
    expect(health.status).toBe('ok');
    await again.kill('SIGTERM');

    const db = await Database.open({ path: path.join(dataDir, 'invoice-pulse.duckdb') });
    try {
      const rows = await db.withConnection(async (c) =>
        (await c.runAndReadAll(`SELECT split_part(event_id, '-', 1) AS batch, count(*)::INT AS n FROM events GROUP BY 1`)).getRowObjectsJson(),
      );
      const stored = new Map(rows.map((r) => [String(r.batch), Number(r.n)]));
      for (const b of acknowledged) expect(stored.get(`k${b}`), `acknowledged batch ${b}`).toBe(batchSize);
      for (const [batch, n] of stored) expect([batchSize], `batch ${batch} is partial`).toContain(n);
      expect(stored.has('slow')).toBe(false);
    } finally {
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
