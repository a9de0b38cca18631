/**
 * queries/customers/drill_down.sql on the churn fixture: the customers behind one clicked figure.
 * Its promise is that the list's length is the clicked number, so each case checks the ids by
 * hand and their count against the figure's own query on the same base.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { AS_OF, AS_OF_END, CHURN_EVENTS } from '../churn/fixture.ts';

const store = useStore(CHURN_EVENTS);
const NONE: Record<string, unknown> = { level: null, level2: null, outcome: 'any', kpi: null, cohort: null, month: null, count: null, as_of_end: AS_OF_END };
const IDS: Record<string, string> = { factor: 'customer_id', factor2: 'customer_id', count_column: 'late_invoices' };
const drill = async (params: Record<string, unknown>, identifiers: Record<string, string> = {}) =>
  (await store().filtered('customers/drill_down', AS_OF, { params: { ...NONE, ...params }, identifiers: { ...IDS, ...identifiers } })).map((r) => r.customer_id).sort();

describe('customers/drill_down', () => {
  it('a factor level, with an outcome: the customers churn_by_factor counts there', async () => {
    // Manual payers: c2 (OCR) and c3 (swish); of them c2 churned.
    expect(await drill({ level: 'manual' }, { factor: 'payment_method_class' })).toEqual(['c2', 'c3']);
    expect(await drill({ level: 'manual', outcome: 'churned' }, { factor: 'payment_method_class' })).toEqual(['c2']);
    const [manual] = (await store().filtered('churn/churn_by_factor', AS_OF, { identifiers: { factor: 'payment_method_class' } })).filter((r) => r.key === 'manual');
    expect(manual).toMatchObject({ n: '2', churned: '1' });
  });

  it('a cell of two factors, and a dose–response bar', async () => {
    // Energy customers on time: c3 and c4.
    expect(await drill({ level: 'energy', level2: 'on_time' }, { factor: 'vertical', factor2: 'timeliness' })).toEqual(['c3', 'c4']);
    // One late invoice: c2 alone; none late: the other three.
    expect(await drill({ count: 1 })).toEqual(['c2']);
    expect(await drill({ count: 0 })).toEqual(['c1', 'c3', 'c4']);
  });

  it('an Overview KPI: the numerator of its share in summary_counts', async () => {
    const [counts] = await store().filtered('churn/summary_counts', AS_OF);
    // Automatic payers c1 and c4; on time (invoices due, none late) c1, c3 and c4.
    expect(await drill({ kpi: 'automatic_share' })).toEqual(['c1', 'c4']);
    expect(await drill({ kpi: 'on_time_share' })).toEqual(['c1', 'c3', 'c4']);
    expect([counts.automatic, counts.on_time]).toEqual(['2', '3']);
    expect(await drill({ kpi: 'active' })).toEqual(['c1', 'c3', 'c4']);
  });

  it('a cohort cell: still active k months after signing up, only where the as-of date lets it be seen', async () => {
    // February 2024 (c2): active at 14 months, not at 15 (it cancelled on 15 April 2025).
    expect(await drill({ cohort: '2024-02-01', month: 14 })).toEqual(['c2']);
    expect(await drill({ cohort: '2024-02-01', month: 15 })).toEqual([]);
    // The whole cohort, and a month the as-of date cannot observe yet (Feb 2024 + 17 + 1 > July 2025).
    expect(await drill({ cohort: '2024-02-01' })).toEqual(['c2']);
    expect(await drill({ cohort: '2024-03-01', month: 17 })).toEqual([]);
    // c1 signed up in January 2024, before the first invoice: in no cohort.
    expect(await drill({ cohort: '2024-01-01' })).toEqual([]);
  });
});
