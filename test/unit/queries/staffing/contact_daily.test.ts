/**
 * queries/staffing/contact_daily.sql on the staffing fixture: inbound contacts per channel and
 * local day, with the sums behind mean handle and wait times.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { dayOf, STAFFING_EVENTS, TZ } from './fixture.ts';

const store = useStore(STAFFING_EVENTS);

describe('staffing/contact_daily', () => {
  it('counts by the local day, leaves out outbound calls and sums only the handle and wait times given', async () => {
    expect(await store().query('staffing/contact_daily', { tz: TZ, after: null, upto: null })).toEqual([
      // s1's chat at 22:50Z is still 3 January in Stockholm; it has no wait time.
      { channel: 'chat', day: dayOf('2025-01-03'), contacts: 1, n_handle: 1, sum_handle: 200, n_wait: 0, sum_wait: 0 },
      // s1's phone call; s2's outbound call the same morning is not demand.
      { channel: 'phone', day: dayOf('2025-01-03'), contacts: 1, n_handle: 1, sum_handle: 300, n_wait: 1, sum_wait: 60 },
      // s2's call at 23:10Z is 00:10 on 4 January locally.
      { channel: 'phone', day: dayOf('2025-01-04'), contacts: 1, n_handle: 1, sum_handle: 400, n_wait: 1, sum_wait: 30 },
      { channel: 'phone', day: dayOf('2025-02-11'), contacts: 1, n_handle: 0, sum_handle: 0, n_wait: 0, sum_wait: 0 },
    ]);
  });

  it('counts by the UTC day in UTC', async () => {
    const rows = await store().query('staffing/contact_daily', { tz: 'UTC', after: null, upto: null });
    // In UTC both of s2's and s1's evening contacts fall on 3 January.
    expect(rows.filter((r) => r.day === dayOf('2025-01-03')).map((r) => [r.channel, r.contacts])).toEqual([['chat', 1], ['phone', 2]]);
  });
});
