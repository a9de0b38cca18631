/**
 * queries/churn/monthly_trend.sql on the churn fixture: per month from the first invoice to the
 * as-of date, customers active at its start and churned in it, payers (and automatic payers), and
 * invoices due (and paid by their due date).
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { AS_OF, AS_OF_END, CHURN_EVENTS } from './fixture.ts';

const store = useStore(CHURN_EVENTS);
const quiet = (month: string, active: number, churned = 0) => ({ month, active_start: String(active), churned: String(churned), payers: '0', automatic_payers: '0', invoices_due: '0', on_time: '0' });

describe('churn/monthly_trend', () => {
  it('starts at the first invoice month, ends with the as-of month, and counts each month from the events', async () => {
    const rows = await store().filtered('churn/monthly_trend', AS_OF, { params: { as_of_end: AS_OF_END } });
    expect(rows).toEqual([
      // Feb 2024: c1 and c3 started before it (c2 on the 5th); c1 (autogiro) and c3 (swish) paid; three
      // invoices due, c2's paid late.
      { month: '2024-02', active_start: '2', churned: '0', payers: '2', automatic_payers: '1', invoices_due: '3', on_time: '2' },
      // Mar: c2 now active; c1 (autogiro) and c2 (OCR) paid; c1's second invoice due and paid on time.
      { month: '2024-03', active_start: '3', churned: '0', payers: '2', automatic_payers: '1', invoices_due: '1', on_time: '1' },
      // Apr: c4 joined on 10 March; it pays by recurring card (automatic) before its due date.
      { month: '2024-04', active_start: '4', churned: '0', payers: '1', automatic_payers: '1', invoices_due: '1', on_time: '1' },
      ...['2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03'].map((m) => quiet(m, 4)),
      // c2 cancelled on 15 April 2025: churned in April, no longer active at the start of May.
      quiet('2025-04', 4, 1),
      quiet('2025-05', 3),
      quiet('2025-06', 3),
    ]);
  });

  it('narrows payers and invoices to the filtered customers', async () => {
    const rows = await store().filtered('churn/monthly_trend', AS_OF, { filters: { payment_method_class: 'manual' }, params: { as_of_end: AS_OF_END } });
    // c2 and c3 pay manually: in February c3 paid and both invoices were due, c2's paid late.
    expect(rows[0]).toEqual({ month: '2024-02', active_start: '1', churned: '0', payers: '1', automatic_payers: '0', invoices_due: '2', on_time: '1' });
    expect(rows[1]).toEqual({ month: '2024-03', active_start: '2', churned: '0', payers: '1', automatic_payers: '0', invoices_due: '0', on_time: '0' });
  });
});
