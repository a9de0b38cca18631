/**
 * queries/staffing/time_thieves_monthly.sql on the staffing fixture: the admin work items per
 * local calendar month in [from_day, to_day).
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { STAFFING_EVENTS, TZ } from './fixture.ts';

const store = useStore(STAFFING_EVENTS);

describe('staffing/time_thieves_monthly', () => {
  it('counts each item in its month', async () => {
    expect(await store().query('staffing/time_thieves_monthly', { tz: TZ, from_day: '2025-01-01', to_day: '2025-03-01' })).toEqual([
      { month: '2025-01', item: 'failed_transactions', n: 1 },
      // s1's invoice, due 31 January and paid 3 February, is late in the month it fell due.
      { month: '2025-01', item: 'late_payments', n: 1 },
      { month: '2025-01', item: 'paper_invoices', n: 1 },
      { month: '2025-01', item: 'soft_reminders', n: 1 },
      { month: '2025-01', item: 'unmatched_payments', n: 1 },
      // s1's switch to autogiro, which the payment-method map classes automatic.
      { month: '2025-02', item: 'direct_debit_activations', n: 1 },
      // s1's fee, disputed by its fee contact the next day.
      { month: '2025-02', item: 'disputed_fees', n: 1 },
      { month: '2025-02', item: 'hard_reminders', n: 1 },
      // s3's invoice due 14 February, still unpaid.
      { month: '2025-02', item: 'late_payments', n: 1 },
    ]);
  });

  it('keeps to the window', async () => {
    // February alone: the January items are gone.
    const rows = await store().query('staffing/time_thieves_monthly', { tz: TZ, from_day: '2025-02-01', to_day: '2025-03-01' });
    expect(rows.map((r) => r.item)).toEqual(['direct_debit_activations', 'disputed_fees', 'hard_reminders', 'late_payments']);
  });
});
