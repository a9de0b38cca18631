/**
 * queries/staffing/contact_intervals.sql on the staffing fixture: inbound contacts per channel,
 * topic and interval of local wall-clock time in [from, to).
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { dayOf, STAFFING_EVENTS, TZ } from './fixture.ts';

const store = useStore(STAFFING_EVENTS);
const minute = (date: string, hh: number, mm = 0) => String(dayOf(date) * 1440 + hh * 60 + mm);

describe('staffing/contact_intervals', () => {
  it('buckets by local wall-clock hour within the local window', async () => {
    expect(await store().query('staffing/contact_intervals', { tz: TZ, from: '2025-01-03 00:00:00', to: '2025-01-05 00:00:00', interval_minutes: 60 })).toEqual([
      // 10:05Z is 11:05 in Stockholm: the 11:00 interval.
      { channel: 'phone', topic: 'invoice', local_minute: minute('2025-01-03', 11), contacts: 1, n_wait: 1, sum_wait: 60, n_handle: 1, sum_handle: 300 },
      { channel: 'chat', topic: 'invoice', local_minute: minute('2025-01-03', 23), contacts: 1, n_wait: 0, sum_wait: 0, n_handle: 1, sum_handle: 200 },
      // s2's call at 00:10 local; its outbound call is left out. The 11 February contact is outside the window.
      { channel: 'phone', topic: 'payment', local_minute: minute('2025-01-04', 0), contacts: 1, n_wait: 1, sum_wait: 30, n_handle: 1, sum_handle: 400 },
    ]);
  });

  it('ends the window at local midnight', async () => {
    // To 4 January 00:00 local (23:00Z on the 3rd): s2's 23:10Z call is outside.
    const rows = await store().query('staffing/contact_intervals', { tz: TZ, from: '2025-01-03 00:00:00', to: '2025-01-04 00:00:00', interval_minutes: 15 });
    expect(rows.map((r) => [r.channel, r.local_minute])).toEqual([['phone', minute('2025-01-03', 11)], ['chat', minute('2025-01-03', 23, 45)]]);
  });
});
