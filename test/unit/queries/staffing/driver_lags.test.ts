/**
 * queries/staffing/driver_lags.sql over followups.sql's rows on the staffing fixture: per due date, the hard reminders,
 * failed debits and collections that followed, by local days after it.
 */
import { describe, expect, it } from 'vitest';
import { sql } from '../../../../service/db/sql-files.ts';
import { useStore } from '../store.ts';
import { dayOf, STAFFING_EVENTS, TZ } from './fixture.ts';

const store = useStore(STAFFING_EVENTS);

describe('staffing/driver_lags', () => {
  it('counts follow-ups per due day and lag, and no soft reminders', async () => {
    await store().rows(`CREATE OR REPLACE TABLE followups AS ${sql('staffing/followups', { invoices: 'fact_invoices' })}`, { after: null, upto: null });
    expect(await store().query('staffing/driver_lags', { tz: TZ }, { followups: 'followups' })).toEqual([
      // s1's hard reminder on 10 February, 10 days after its due date; its soft reminder does not count.
      { due_day: dayOf('2025-01-31'), kind: 'hard_reminders', lag: 10, n: 1 },
      // s2's failed debit at 05:00Z on the due date itself.
      { due_day: dayOf('2025-01-31'), kind: 'payment_failures', lag: 0, n: 1 },
      // s3's collection on 1 March, 15 days after 14 February.
      { due_day: dayOf('2025-02-14'), kind: 'collections', lag: 15, n: 1 },
    ]);
  });
});
