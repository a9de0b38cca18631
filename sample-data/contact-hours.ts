/**
 * When customers contact customer service. Staffing forecasts (docs/recommendations.md) are only as good as the
 * intraday shape they learn from, so contacts follow local office hours with a morning peak, a lunch
 * dip and a smaller afternoon peak, a thin evening tail (chat and e-mail), few at night, and far fewer
 * at weekends, where most would-be callers wait for Monday. Local time is converted to UTC with
 * the market's CET/EET offset and daylight saving.
 */
import { Rng, cumulative } from './rng.ts';
import { DAY, HOUR, localOffsetHours, weekdayOfDay } from './time.ts';

// Relative volume per local half-hour, 00:00 … 23:30.
const WEEKDAY = cumulative([
  0.05, 0.04, 0.03, 0.02, 0.02, 0.02, 0.02, 0.03, 0.04, 0.05, 0.08, 0.12, 0.2, 0.35, 0.6, 1.2,
  2.6, 3.6, 4.3, 4.6, 4.7, 4.5, 4.1, 3.6, 2.3, 2.0, 2.7, 3.4, 3.9, 4.0, 3.8, 3.5, 3.1, 2.6, 1.9, 1.4,
  1.1, 1.0, 0.95, 0.9, 0.85, 0.8, 0.7, 0.55, 0.4, 0.25, 0.15, 0.08,
]);
const WEEKEND = cumulative([
  0.05, 0.04, 0.03, 0.02, 0.02, 0.02, 0.02, 0.02, 0.03, 0.04, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3,
  0.5, 0.8, 1.1, 1.4, 1.6, 1.7, 1.7, 1.6, 1.5, 1.5, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0, 0.95, 0.9, 0.85, 0.8,
  0.8, 0.8, 0.75, 0.7, 0.65, 0.6, 0.5, 0.4, 0.3, 0.2, 0.12, 0.07,
]);

/** Share of weekend contacts that are postponed to Monday instead. */
const WEEKEND_DEFERRAL = 0.7;

/**
 * A contact instant on (or, for deferred weekend contacts, after) the UTC day `day`, never before
 * `notBefore`.
 */
export function contactTime(rng: Rng, day: number, eastern: boolean, notBefore: number): number {
  let d = day;
  const wd = weekdayOfDay(d);
  if ((wd === 6 || wd === 0) && rng.chance(WEEKEND_DEFERRAL)) d += wd === 6 ? 2 : 1;
  const weekend = weekdayOfDay(d) === 6 || weekdayOfDay(d) === 0;
  const slot = rng.pickCumulative(weekend ? WEEKEND : WEEKDAY);
  const local = d * DAY + slot * 1800 + Math.floor(rng.next() * 1800);
  let t = local - localOffsetHours(local, eastern) * HOUR;
  if (t < notBefore) t = notBefore + Math.floor(rng.next() * 3 * HOUR);
  return t;
}

/** A local daytime instant (07:00–22:00) on UTC day `day` for payments and views by people. */
export function daytime(rng: Rng, day: number, eastern: boolean): number {
  const local = day * DAY + 7 * HOUR + Math.floor(rng.next() * 15 * HOUR);
  return local - localOffsetHours(local, eastern) * HOUR;
}
