/**
 * queries/revenue/mrr_movements.sql on the revenue fixture, as of 2025-06-20: month-by-month MRR
 * in cents of the reporting currency and its split into new, expansion, contraction and churn.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { RATES, REVENUE_EVENTS } from './fixture.ts';

const store = useStore(REVENUE_EVENTS);
const month = (m: string, end: string, partial: boolean, cents: number[], customers: number[]) => {
  const [start_cents, end_cents, new_cents, expansion_cents, contraction_cents, churned_cents] = cents.map(String);
  const [customers_start, customers_end, new_customers, expanded_customers, contracted_customers, churned_customers] = customers.map(String);
  return { month: m, period_start: `${m}-01`, period_end: end, partial, start_cents, end_cents, new_cents, expansion_cents, contraction_cents, churned_cents, customers_start, customers_end, new_customers, expanded_customers, contracted_customers, churned_customers };
};

describe('revenue/mrr_movements', () => {
  it('splits each month’s change per customer, converts NOK at 0.9 and leaves out customers without a rate', async () => {
    expect(await store().filtered('revenue/mrr_movements', '2025-06-20', { params: { ...RATES, as_of_end: '2025-06-21T00:00:00Z' } })).toEqual([
      // From the first invoice month: r1 10 000 + r2 20 000 + r3 27 000 + r6 12 000 (r4 EUR and r7 have no rate).
      month('2025-04', '2025-04-30', false, [69000, 69000, 0, 0, 0, 0], [4, 4, 0, 0, 0, 0]),
      // r5 new (8 000), r1 up 5 000, r2 cancelled (20 000): 69 000 + 8 000 + 5 000 − 20 000 = 62 000.
      month('2025-05', '2025-05-31', false, [69000, 62000, 8000, 5000, 0, 20000], [4, 4, 1, 1, 0, 1]),
      // The as-of month ends on the 20th (partial): r6 down 3 000, r3 cancelled (27 000): 32 000.
      month('2025-06', '2025-06-20', true, [62000, 32000, 0, 0, 3000, 27000], [4, 3, 0, 0, 1, 1]),
    ]);
  });

  it('narrows to the filtered customers', async () => {
    // Energy: r5 is the only one with a rate; it is new in May.
    const rows = await store().filtered('revenue/mrr_movements', '2025-06-20', { filters: { vertical: 'energy' }, params: { ...RATES, as_of_end: '2025-06-21T00:00:00Z' } });
    expect(rows.map((r) => [r.month, r.start_cents, r.end_cents, r.new_cents])).toEqual([
      ['2025-04', '0', '0', '0'],
      ['2025-05', '0', '8000', '8000'],
      ['2025-06', '8000', '8000', '0'],
    ]);
  });
});
