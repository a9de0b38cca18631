import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../service/db/database.ts';
import { exportPartitioned } from '../../service/export/parquet.ts';
import { makeEvents, toNdjson } from '../helpers/events.ts';
import { startTestService, tempDir, type TestService } from '../helpers/service.ts';

describe('Parquet export', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
    await svc.call('/v1/events', { method: 'POST', body: toNdjson(makeEvents(900, 17)), headers: { 'content-type': 'application/x-ndjson' } });
  });
  afterAll(() => svc.stop());

  it('downloads every event as one Parquet file', async () => {
    const res = await svc.call('/v1/export/events.parquet');
    expect(res.status).toBe(200);
    const file = path.join(tempDir(), 'events.parquet');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const db = await Database.open({ path: ':memory:' });
    const [row] = await db.withConnection(async (c) => (await c.runAndReadAll(`SELECT count(*)::INT AS n, count(DISTINCT event_id)::INT AS d, sum(amount)::DOUBLE AS amount FROM read_parquet('${file}')`)).getRowObjectsJson());
    await db.close();
    const [stored] = await svc.query<{ amount: number }>(`SELECT sum(amount)::DOUBLE AS amount FROM events`);
    expect(row).toEqual({ n: 900, d: 900, amount: stored.amount });
  });

  it('writes a Hive-partitioned tree year=/month=/type= that reads back as one table', async () => {
    const out = tempDir();
    const result = await exportPartitioned(svc.ctx.db, out);
    expect(result.events).toBe(900);
    expect(result.files.every((f) => /^year=\d{4}\/month=\d{2}\/type=[a-z_]+\/.+\.parquet$/.test(f))).toBe(true);
    const db = await Database.open({ path: ':memory:' });
    const rows = await db.withConnection(async (c) =>
      (await c.runAndReadAll(`SELECT type, count(*)::INT AS n FROM read_parquet('${out}/**/*.parquet', hive_partitioning = true) GROUP BY type ORDER BY type`)).getRowObjectsJson(),
    );
    await db.close();
    const expected = await svc.query(`SELECT type, count(*)::INT AS n FROM events GROUP BY type ORDER BY type`);
    expect(rows).toEqual(expected);
  });
});
