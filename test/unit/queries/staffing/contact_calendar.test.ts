/**
 * queries/staffing/contact_calendar.sql on the staffing fixture: each inbound contact paired with
 * the customer's latest invoice before it, by days since dispatch and from due, per invoice stage.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { STAFFING_EVENTS, TZ } from './fixture.ts';

const store = useStore(STAFFING_EVENTS);
// The statement is a set of counts (its reader aggregates them): compare without its row order.
const byKey = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => JSON.stringify(Object.entries(a).sort()).localeCompare(JSON.stringify(Object.entries(b).sort())));

describe('staffing/contact_calendar', () => {
  it('pairs contacts with the invoice before them and counts invoices per stage', async () => {
    expect(byKey(await store().query('staffing/contact_calendar', { tz: TZ, from_day: '2025-01-01', to_day: '2025-03-01' }))).toEqual(byKey([
      // s1's two contacts on 3 January (local), a day after its first invoice, 28 days before it falls due.
      { kind: 'contacts', stage: 'first', topic: 'invoice', since_dispatch: 1, from_due: -28, n: 2 },
      // s2's call at 00:10 local on the 4th; its invoice is an "other" one (a customer since 2023).
      { kind: 'contacts', stage: 'other', topic: 'payment', since_dispatch: 2, from_due: -27, n: 1 },
      // s1's fee call on 11 February: 40 days after dispatch, 11 after due.
      { kind: 'contacts', stage: 'first', topic: 'fee', since_dispatch: 40, from_due: 11, n: 1 },
      { kind: 'invoices', stage: 'first', topic: null, since_dispatch: null, from_due: null, n: 1 },
      { kind: 'invoices', stage: 'other', topic: null, since_dispatch: null, from_due: null, n: 1 },
      // s3's invoice came more than 45 days after it signed up: first year, not first.
      { kind: 'invoices', stage: 'first_year', topic: null, since_dispatch: null, from_due: null, n: 1 },
    ]));
  });
});
