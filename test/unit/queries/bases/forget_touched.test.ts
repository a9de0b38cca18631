/**
 * queries/bases/forget_touched.sql: the rows of a stored base that new batches may change. Three
 * batches: batch 1 signs up b1, b2 and b3; batch 2 brings b1 an invoice dated inside the base's
 * window and b2 one dated after its outcome end; batch 3 cancels b3.
 */
import { describe, expect, it } from 'vitest';
import { sql } from '../../../../service/db/sql-files.ts';
import { scopeOf, useStore, type Ev } from '../store.ts';
import { analysisBaseSql } from '../../../../service/analytics/base-sql.ts';

const signUp = (id: string): Ev => ({ type: 'subscription_started', at: '2025-01-01T08:00:00Z', customer: id, plan: 'basic', monthly_price: 100 });
const EVENTS: Ev[] = [
  signUp('b1'),
  signUp('b2'),
  signUp('b3'),
  { type: 'invoice_issued', at: '2025-02-01T00:00:00Z', customer: 'b1', invoice_id: 'i1', amount: 100, due_date: '2025-02-28', batch: 2 },
  { type: 'invoice_issued', at: '2025-05-01T00:00:00Z', customer: 'b2', invoice_id: 'i1', amount: 100, due_date: '2025-05-31', batch: 2 },
  { type: 'subscription_cancelled', at: '2025-03-01T00:00:00Z', customer: 'b3', batch: 3 },
];
const store = useStore(EVENTS);
// A base as of 2025-03-31: its outcome end is 2025-04-01, so b2's May invoice cannot change it.
const scope = scopeOf('2025-03-31', 'lifetime');

const forget = async (table: string, after: number, upto: number) => {
  const s = store();
  await s.rows(`CREATE OR REPLACE TABLE ${table} AS ${analysisBaseSql()}`, { ...scope.params, after: null, upto: null });
  await s.query('bases/forget_touched', { after, upto, outcome_end: scope.params.outcome_end }, { base: table });
  return (await s.rows(`SELECT customer_id FROM ${table} ORDER BY 1`)).map((r) => r.customer_id);
};

describe('bases/forget_touched', () => {
  it('deletes the customers of the batches in (after, upto] whose new events fall before the outcome end', async () => {
    // Batch 2 only: b1's February invoice counts; b2's May invoice is past the outcome end.
    expect(await forget('t_batch2', 1, 2)).toEqual(['b2', 'b3']);
    // Batches 2 and 3: b3's cancellation as well.
    expect(await forget('t_batches23', 1, 3)).toEqual(['b2']);
    // Nothing after batch 3: nothing goes.
    expect(await forget('t_none', 3, 3)).toEqual(['b1', 'b2', 'b3']);
  });

  it('leaves exactly the rows analysis_base.sql recomputes for the same range, so forget + insert equals a rebuild', async () => {
    const s = store();
    await forget('t_upkeep', 1, 3);
    await s.rows(`INSERT INTO t_upkeep ${analysisBaseSql()}`, { ...scope.params, after: 1, upto: 3 });
    await s.rows(`CREATE OR REPLACE TABLE t_full AS ${analysisBaseSql()}`, { ...scope.params, after: null, upto: null });
    const diff = await s.rows(`SELECT count(*) AS n FROM ((SELECT * FROM t_upkeep EXCEPT ALL SELECT * FROM t_full) UNION ALL (SELECT * FROM t_full EXCEPT ALL SELECT * FROM t_upkeep))`);
    expect(diff).toEqual([{ n: '0' }]);
    // b3 is churned in both: the cancellation of batch 3 reached the recomputed row.
    expect(await s.rows(`SELECT customer_id, churned FROM t_upkeep ORDER BY 1`)).toEqual([
      { customer_id: 'b1', churned: false },
      { customer_id: 'b2', churned: false },
      { customer_id: 'b3', churned: true },
    ]);
  });
});
