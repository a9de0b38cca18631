/**
 * queries/staffing/contact_profile.sql on the staffing fixture: inbound contacts per channel, ISO
 * weekday and slot of the local day.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { STAFFING_EVENTS, TZ } from './fixture.ts';

const store = useStore(STAFFING_EVENTS);

describe('staffing/contact_profile', () => {
  it('places each inbound contact in its local weekday and hour', async () => {
    const rows = await store().query('staffing/contact_profile', { tz: TZ, from: '2025-01-01 00:00:00', to: '2025-03-01 00:00:00', interval_minutes: 60 });
    expect(rows.sort((a, b) => Number(a.weekday) - Number(b.weekday) || Number(a.slot) - Number(b.slot))).toEqual([
      // 11 February 2025 is a Tuesday; 09:00Z is the 10:00 slot locally.
      { channel: 'phone', weekday: 2, slot: 10, contacts: 1 },
      // 3 January 2025 is a Friday: 11:05 and 23:50 local.
      { channel: 'phone', weekday: 5, slot: 11, contacts: 1 },
      { channel: 'chat', weekday: 5, slot: 23, contacts: 1 },
      // s2's 23:10Z call is Saturday 00:10 locally.
      { channel: 'phone', weekday: 6, slot: 0, contacts: 1 },
    ]);
  });
});
