/**
 * Issue 17: a damaged database file stops `npm start` with one FATAL line naming the file and
 * DuckDB's cause, no stack trace, and exit status 70 (as for a database DuckDB declares unusable),
 * whichever part is damaged: the main header (magic bytes), both database headers (checksums), or
 * the first block (the catalog's metadata).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startChildService } from '../helpers/child-service.ts';
import { makeEvents, toNdjson } from '../helpers/events.ts';
import { tempDir } from '../helpers/service.ts';

const FILE = 'invoice-pulse.duckdb';

/** Starts the service on `dir` and returns its exit status and output (it must not start). */
async function startFails(dir: string): Promise<{ code: number; output: string }> {
  try {
    const svc = await startChildService({ DATA_DIR: dir });
    await svc.kill('SIGKILL');
    throw new Error('the service started on a damaged file');
  } catch (error) {
    const m = /^service exited with (\d+):\n([\s\S]*)$/.exec((error as Error).message);
    if (!m) throw error;
    return { code: Number(m[1]), output: m[2] };
  }
}

describe('a corrupt database file', () => {
  let good: string;

  beforeAll(async () => {
    good = tempDir();
    const svc = await startChildService({ DATA_DIR: good });
    // Past the live path's 1 MiB: committed to DuckDB directly; the clean shutdown checkpoints it into the file.
    const res = await fetch(`${svc.url}/v1/events`, { method: 'POST', body: toNdjson(makeEvents(200, 1, 'corrupt')) + '\n'.repeat(1_100_000), headers: { 'content-type': 'application/x-ndjson' } });
    expect((await res.json()).accepted).toBe(200);
    await svc.kill('SIGTERM');
  }, 90_000);

  const copyWithFlips = (offsets: number[]) => {
    const dir = tempDir();
    fs.copyFileSync(path.join(good, FILE), path.join(dir, FILE));
    const fd = fs.openSync(path.join(dir, FILE), 'r+');
    for (const at of offsets) {
      const b = Buffer.alloc(1);
      fs.readSync(fd, b, 0, 1, at);
      b[0] ^= 0xff;
      fs.writeSync(fd, b, 0, 1, at);
    }
    fs.closeSync(fd);
    return dir;
  };

  for (const [what, offsets, cause] of [
    ['the magic bytes of the main header', [8, 9], /exists, but it is not a valid DuckDB database file!$/],
    ['both database headers', [4096 + 200, 8192 + 200], /^IO Error: Corrupt database file: computed checksum \d+ does not match stored checksum \d+ in block at location 4096$/],
    ['the first block', [12288 + 100, 12288 + 5000], /^IO Error: Corrupt database file: computed checksum \d+ does not match stored checksum \d+ in block at location 12288$/],
  ] as const) {
    it(`${what} flipped: one FATAL line, no stack, exit 70`, async () => {
      const dir = copyWithFlips([...offsets]);
      const { code, output } = await startFails(dir);
      expect(code).toBe(70);
      const lines = output.trim().split('\n');
      expect(lines).toHaveLength(1);
      const prefix = `FATAL: the database file ${path.join(dir, FILE)} cannot be opened: `;
      expect(lines[0].startsWith(prefix), lines[0]).toBe(true);
      expect(lines[0].slice(prefix.length)).toMatch(cause);
      expect(output).not.toMatch(/\n\s+at /);
    }, 60_000);
  }
});
