/**
 * db/coded-columns.ts on a real DuckDB: numbers and categories over more than one chunk (5 000
 * rows, chunks of 2 048), NULLs kept (NaN, a null level), every row's level equal to the text the
 * statement returned, and a column that is neither numeric nor coded refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../service/db/database.ts';
import { readCodedColumns } from '../../../service/db/coded-columns.ts';

let db: Database;
beforeAll(async () => {
  db = await Database.open({ path: ':memory:' });
});
afterAll(() => db.close());

const ROWS = `SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE i / 4.0 END AS x, (i % 2)::INTEGER AS flag,
                     CASE WHEN i % 11 = 0 THEN NULL ELSE 'level-' || (i * 7919 % 13) END AS cat
              FROM range(5000) t(i)`;

describe('readCodedColumns', () => {
  it('reads numbers and coded categories over several chunks, NULLs included', async () => {
    const out = await db.withConnection((c) =>
      readCodedColumns(c, `SELECT x, flag, cat, dense_rank() OVER (ORDER BY cat) AS cat__code FROM (${ROWS}) ORDER BY i`, {}),
    );
    const expected = await db.withConnection(async (c) => (await c.runAndReadAll(`SELECT x, flag, cat FROM (${ROWS}) ORDER BY i`)).getColumnsObjectJS());
    expect(out.rows).toBe(5000);
    expect(Object.keys(out.numbers)).toEqual(['x', 'flag']);
    expect(Array.from(out.numbers.x)).toEqual((expected.x as (number | null)[]).map((v) => (v === null ? NaN : v)));
    expect(Array.from(out.numbers.flag)).toEqual(expected.flag);
    const cat = out.categories.cat;
    expect(cat.levels).toHaveLength(14); // 13 texts and NULL
    expect(Array.from(cat.codes, (k) => cat.levels[k])).toEqual(expected.cat);
    // The codes are the dense ranks: levels in sorted order, NULL last.
    expect(cat.levels.slice(0, 3)).toEqual(['level-0', 'level-1', 'level-10']);
    expect(cat.levels[13]).toBeNull();
  });

  it('refuses a text column that comes without its code', async () => {
    await expect(db.withConnection((c) => readCodedColumns(c, `SELECT x, cat FROM (${ROWS})`, {}))).rejects.toThrow(/cat is not numeric/);
  });
});
