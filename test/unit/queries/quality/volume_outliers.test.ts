/**
 * queries/quality/volume_outliers.sql on a year of contacts written out below: two every Monday
 * for 52 weeks, but 30 on one Monday; plus a billing-calendar type with a spike that is never judged.
 */
import { describe, expect, it } from 'vitest';
import { OUTLIER_MIN_EXCESS, OUTLIER_Z } from '../../../../service/quality/report.ts';
import { useStore, type Ev } from '../store.ts';

// 2025-06-30 is a Monday; the 52 Mondays back from it span the 364 days the query reads.
const LAST = Date.parse('2025-06-30T10:00:00Z');
const SPIKE = '2025-03-03';
const mondays = Array.from({ length: 52 }, (_, w) => new Date(LAST - w * 7 * 86_400_000).toISOString().slice(0, 10));
const events: Ev[] = mondays.flatMap((day) =>
  Array.from({ length: day === SPIKE ? 30 : 2 }, (_, i) => ({ type: 'contact', at: `${day}T10:0${i % 10}:00Z`, customer: `k${i}`, channel: 'phone', topic: 'other' })),
);
// 40 invoices on one day: a dispatch day, the billing calendar's pattern, not an anomaly.
for (let i = 0; i < 40; i++) events.push({ type: 'invoice_issued', at: '2025-06-02T00:00:00Z', customer: `k${i}`, invoice_id: `i${i}`, amount: 10, due_date: '2025-06-30' });

const store = useStore(events);

describe('quality/volume_outliers', () => {
  it('flags the one Monday far above the Mondays, with the mean-deviation score when the MAD is 0', async () => {
    // Median of the Mondays 2, MAD 0 (51 of 52 are 2), mean absolute deviation 28/52;
    // z = (30 − 2) / (1.253314 · 28/52) = 52 / 1.253314 = 41.49.
    const rows = await store().query('quality/volume_outliers', { z_threshold: OUTLIER_Z, min_excess: OUTLIER_MIN_EXCESS });
    expect(rows).toEqual([{ type: 'contact', day: SPIKE, weekday: 'Monday', events: '30', weekday_median: 2, robust_z: expect.closeTo(52 / 1.253314, 9), weeks: '52' }]);
  });

  it('does not flag a day whose excess is below the minimum', async () => {
    // The same spike is 28 above the median: with a minimum excess of 29 nothing is flagged.
    expect(await store().query('quality/volume_outliers', { z_threshold: OUTLIER_Z, min_excess: 29 })).toEqual([]);
  });
});
