/**
 * Issue 17: `npm run backup` and `npm run restore` (service/backup-cli.ts). A backup taken while a
 * trickle of live requests runs holds every event acknowledged before it began, exactly once;
 * restored into a new data directory, the service starts on it with health ok and the integrity
 * check passed. Restore refuses a non-empty data directory without --force. A backup of a stopped
 * service copies the file directly.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startChildService } from '../helpers/child-service.ts';
import { makeEvents, toNdjson } from '../helpers/events.ts';
import { tempDir } from '../helpers/service.ts';
import { storedEventCounts } from '../helpers/stored-events.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const AUTH = 'admin:backup-admin-token,ingest:backup-ingest-token';
const FILE = 'invoice-pulse.duckdb';

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'service/backup-cli.ts', ...args], { cwd: ROOT, env: { ...process.env, AUTH_TOKENS: AUTH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

const post = (url: string, body: string) =>
  fetch(`${url}/v1/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson', authorization: 'Bearer backup-ingest-token' } });

describe('npm run backup / npm run restore', () => {
  it('a backup under a live trickle holds every event acknowledged before it once; restored, the service starts healthy', async () => {
    const source = tempDir();
    const svc = await startChildService({ DATA_DIR: source, AUTH_TOKENS: AUTH });
    const port = new URL(svc.url).port;
    // A bulk load (committed to DuckDB) and live requests (acknowledged from the live log).
    expect((await (await post(svc.url, toNdjson(makeEvents(300, 1, 'bk-bulk')) + '\n'.repeat(1_100_000))).json()).accepted).toBe(300);
    const acked: { ids: string[]; at: number }[] = [];
    let stop = false;
    const trickle = Array.from({ length: 4 }, async (_, c) => {
      for (let i = 0; !stop; i++) {
        const events = makeEvents(1 + (i % 10), c * 10_000 + i, 'bk-live');
        const res = await post(svc.url, toNdjson(events));
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        acked.push({ ids: events.map((e) => String(e.event_id)), at: performance.now() });
      }
    });
    while (acked.length < 30) await new Promise((r) => setTimeout(r, 10));
    const dest = path.join(tempDir(), 'copy');
    const began = performance.now();
    const backup = await cli(['backup', dest], { DATA_DIR: source, PORT: port, BACKUP_URL: svc.url });
    const acknowledgedAfter = acked.length;
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(trickle);
    expect(backup.code, backup.out).toBe(0);
    expect(backup.out).toMatch(/backup: the running service at http:\/\/127\.0\.0\.1:\d+ wrote the copy/);
    expect(acked.length).toBeGreaterThan(acknowledgedAfter); // the trickle went on during and after the backup
    const manifest = JSON.parse(fs.readFileSync(path.join(dest, 'backup.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 1, database_file: FILE, ledger: `${FILE}.ledger` });
    expect(fs.readdirSync(path.join(source, 'backups'))).toEqual([]); // moved, not left behind
    await svc.kill('SIGTERM');

    // Restore refuses a data directory that holds anything, unless --force.
    const occupied = tempDir();
    fs.writeFileSync(path.join(occupied, 'notes.txt'), 'keep me');
    const refused = await cli(['restore', dest], { DATA_DIR: occupied });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`restore: the data directory ${occupied} is not empty (notes.txt); pass --force to replace its database`);
    expect(fs.readdirSync(occupied)).toEqual(['notes.txt']);

    const target = tempDir();
    const restored = await cli(['restore', dest], { DATA_DIR: target });
    expect(restored.code, restored.out).toBe(0);
    const again = await startChildService({ DATA_DIR: target, AUTH_TOKENS: AUTH });
    const health = await (await fetch(`${again.url}/v1/health`, { headers: { authorization: 'Bearer backup-admin-token' } })).json();
    expect(health.status).toBe('ok');
    expect(health.integrity).toMatchObject({ ok: true, missing_batches: 0 });
    await again.kill('SIGTERM');

    const stored = await storedEventCounts(target);
    const before = acked.filter((a) => a.at < began).flatMap((a) => a.ids);
    expect(before.length).toBeGreaterThan(30);
    for (const id of [...makeEvents(300, 1, 'bk-bulk').map((e) => String(e.event_id)), ...before]) expect(stored.get(id), id).toBe(1);
    for (const [id, n] of stored) expect(n, id).toBe(1);
    // Nothing the trickle never sent.
    const sent = new Set([...makeEvents(300, 1, 'bk-bulk').map((e) => String(e.event_id)), ...acked.flatMap((a) => a.ids)]);
    for (const id of stored.keys()) expect(sent.has(id), id).toBe(true);

    // --force replaces the database of a directory that holds one; the other file stays.
    const forced = await cli(['restore', dest, '--force'], { DATA_DIR: occupied });
    expect(forced.code, forced.out).toBe(0);
    expect(fs.readdirSync(occupied).sort()).toEqual([FILE, `${FILE}.ledger`, `${FILE}.live-log`, 'notes.txt'].filter((f) => f !== `${FILE}.live-log` || manifest.live_log_segments.length > 0).sort());
  }, 180_000);

  it('a backup of a stopped service copies the file itself, with the same events', async () => {
    const source = tempDir();
    const svc = await startChildService({ DATA_DIR: source, AUTH_TOKENS: AUTH });
    for (let i = 0; i < 5; i++) expect((await (await post(svc.url, toNdjson(makeEvents(20, i, 'bk-off')))).json()).accepted).toBe(20);
    await svc.kill('SIGKILL'); // rows may be in the live log only: the backup carries it
    const dest = path.join(tempDir(), 'offline');
    const backup = await cli(['backup', dest], { DATA_DIR: source });
    expect(backup.code, backup.out).toBe(0);
    expect(backup.out).toContain('backup: the service is not running; copied');
    const target = tempDir();
    expect((await cli(['restore', dest], { DATA_DIR: target })).code).toBe(0);
    const again = await startChildService({ DATA_DIR: target, AUTH_TOKENS: AUTH });
    await again.kill('SIGTERM');
    const stored = await storedEventCounts(target);
    expect(stored.size).toBe(100);
    for (let i = 0; i < 5; i++) for (const e of makeEvents(20, i, 'bk-off')) expect(stored.get(String(e.event_id))).toBe(1);
  }, 120_000);
});
