/**
 * Database.close() waits for lent connections: a query still running at close kept DuckDB's old
 * instance alive (it checkpoints and truncates the file when its last connection closes), and a
 * database opened again on the same file in the same process read blocks that were being rewritten.
 * Here a long query runs on a borrowed connection when close() is called: close interrupts it,
 * resolves only after the connection came back, and a reopen in the same process reads every row
 * written before, twice over (a checkpoint of the old instance after the reopen would show as a
 * read error or a lost row).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../../service/db/database.ts';

describe('Database.close', () => {
  it('interrupts a running query and resolves only after its connection is back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ip-close-'));
    const file = path.join(dir, 'db.duckdb');
    try {
      let db = await Database.open({ path: file });
      await db.withConnection((c) => c.run(`CREATE TABLE t AS SELECT range AS x FROM range(200000)`));
      let returned = false;
      // About a minute of work if not interrupted.
      const running = db
        .withConnection((c) => c.run(`SELECT count(*) FROM range(100000) a, range(100000) b WHERE (a.range * b.range) % 7 = 3`))
        .finally(() => (returned = true));
      const outcome = running.then(() => 'finished', (error: unknown) => String(error));
      await new Promise((r) => setTimeout(r, 200));
      const t0 = performance.now();
      await db.close();
      expect(returned).toBe(true);
      expect(await outcome).toMatch(/interrupt/i);
      expect(performance.now() - t0).toBeLessThan(10_000);
      await expect(db.withConnection(async () => 1)).rejects.toThrow(/closed/);

      for (let round = 0; round < 2; round++) {
        db = await Database.open({ path: file });
        const [row] = await db.withConnection(async (c) => (await c.runAndReadAll(`SELECT count(*)::INTEGER AS n, sum(x)::BIGINT AS s FROM t`)).getRowObjectsJson());
        expect(row).toEqual({ n: 200000 + round * 1000, s: String(199999 * 100000 + round * 499500) });
        await db.withConnection((c) => c.run(`INSERT INTO t SELECT range FROM range(1000)`));
        await db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
