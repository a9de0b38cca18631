/**
 * A full disk, on a small tmpfs mounted for the test (the test needs root to mount one; without
 * it, it says so on stderr and checks nothing). Writes that hit the full disk get 507
 * storage_full; once a checkpoint fails DuckDB declares the database unusable, health says so
 * with the cause, and the process exits with status 70 for its supervisor. After space is freed
 * a restart replays the log, and every acknowledged event is there, once.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildService } from '../helpers/child-service.ts';
import { makeEvents, toNdjson } from '../helpers/events.ts';
import { tempDir } from '../helpers/service.ts';
import { storedEventCounts } from '../helpers/stored-events.ts';

const dir = tempDir('invoice-pulse-tmpfs-');
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', dir], { stdio: 'ignore' });
  mounted = true;
} catch {
  console.warn(`NOTICE: storage-failure test checks nothing here: mounting a tmpfs needs root (at ${dir})`);
}
afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
});

describe('a full disk', () => {
  it('a checkpoint on the full disk is fatal: 503 database_failed with the cause, exit 70; a restart with space loses nothing acknowledged', async () => {
    if (!mounted) return;
    // A small checkpoint threshold, so that checkpoints run (and fail) during the test.
    const svc = await startChildService({ DATA_DIR: dir, DUCKDB_CHECKPOINT_THRESHOLD: '2MiB' });
    const exited = new Promise<number | null>((resolve) => svc.process.once('exit', (code) => resolve(code)));
    const acknowledged: string[] = [];
    const failures = new Map<string, number>();
    for (let i = 0; i < 400 && failures.size < 2; i++) {
      const events = makeEvents(1500, i, 'full');
      let res: Response;
      try {
        res = await fetch(`${svc.url}/v1/events`, { method: 'POST', body: toNdjson(events), headers: { 'content-type': 'application/x-ndjson' } });
      } catch {
        break; // the process exited
      }
      if (res.ok) {
        acknowledged.push(...events.map((e) => String(e.event_id)));
        await res.arrayBuffer();
        continue;
      }
      const body = await res.json();
      // The live writer applies acknowledged rows behind the acknowledgement; when it falls behind
      // (checkpoints every 2 MiB here) it asks the producer to come back later: a producer waits.
      if (body.error.code === 'overloaded') {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      expect([507, 503]).toContain(res.status);
      expect(['storage_full', 'database_failed']).toContain(body.error.code);
      failures.set(body.error.code, res.status);
      if (body.error.code === 'database_failed') {
        const health = await fetch(`${svc.url}/v1/health`).then((r) => r.json()).catch(() => null);
        if (health) {
          expect(health.status).toBe('failed');
          expect(health.database.fatal, svc.output()).toMatch(/No space left on device/);
        }
      }
    }
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(failures.size).toBeGreaterThan(0);
    // With checkpoints every 2 MiB, a checkpoint fails on the full disk: fatal, and the process exits 70 by itself.
    expect(failures.get('database_failed')).toBe(503);
    const code = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 15_000))]);
    if (code === 'running') await svc.kill('SIGKILL');
    expect(code).toBe(70);
    expect(svc.output()).toMatch(/FATAL: the database is unusable \(.*No space left on device/);

    execFileSync('mount', ['-o', 'remount,size=400m', dir]);
    const again = await startChildService({ DATA_DIR: dir });
    expect((await (await fetch(`${again.url}/v1/health`)).json()).status).toBe('ok');
    await again.kill('SIGTERM');
    const stored = await storedEventCounts(dir);
    for (const id of acknowledged) expect(stored.get(id), id).toBe(1);
    expect(fs.existsSync(path.join(dir, 'invoice-pulse.duckdb.ledger'))).toBe(true);
  });
});
