/**
 * Periods and comparison periods (issue 15). A period `from`–`to` is not a new kind of analysis:
 * it is the landmark window whose landmark is the start of `from` and whose outcome window ends
 * with `to` (scope.ts: as_of = to, horizon = the period's length in days). So a period reads the
 * same per-customer bases as every other window (base-cache.ts keys them by their window), and
 * "last 90 days" is exactly the default window the dashboard already has built. The comparison
 * period is the same computation on an earlier window: the days just before `from`, or the same
 * dates a year earlier.
 */
import type { Comparison, Filters } from './contracts.ts';

const DAY = 86_400_000;
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
export const shiftDays = (d: string, days: number) => iso(ms(d) + days * DAY);
/** Days from `from` to `to`, both included. */
export const daysIn = (from: string, to: string) => Math.round((ms(to) - ms(from)) / DAY) + 1;

/** The same calendar date a year earlier; 29 February becomes 28 February. */
export function yearEarlier(d: string): string {
  const [y, m, day] = d.split('-').map(Number);
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${String(y - 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

export const MIN_PERIOD_DAYS = 7;
export const MAX_PERIOD_DAYS = 730;

export interface Period {
  start: string;
  end: string;
  days: number;
}
export interface ComparisonPeriod extends Period {
  kind: Exclude<Comparison, 'none'>;
  within_data: boolean;
}

export interface PeriodPlan {
  period: Period;
  comparison: ComparisonPeriod | null;
  /** The filters that analyse the period: the landmark window ending with it. */
  current: Filters;
  /** The same for the comparison period (null with compare=none). */
  previous: Filters | null;
}

export const periodOf = (start: string, end: string): Period => ({ start, end, days: daysIn(start, end) });

/** The comparison period of `period`; `firstDay` (the first event) says whether it is observed. */
export function comparisonOf(period: Period, kind: Exclude<Comparison, 'none'>, firstDay: string | null): ComparisonPeriod {
  const [start, end] = kind === 'previous_period' ? [shiftDays(period.start, -period.days), shiftDays(period.start, -1)] : [yearEarlier(period.start), yearEarlier(period.end)];
  return { ...periodOf(start, end), kind, within_data: firstDay === null || start >= firstDay };
}

/** The filters of the landmark window that is `period`, keeping the segment filters and look-back. */
export const windowFilters = (filters: Filters, period: Period): Filters => ({ ...filters, as_of: period.end, view: 'landmark', horizon_days: period.days });

export function planPeriod(filters: Filters, period: Period, compare: Comparison, firstDay: string | null): PeriodPlan {
  const comparison = compare === 'none' ? null : comparisonOf(period, compare, firstDay);
  return { period, comparison, current: windowFilters(filters, period), previous: comparison ? windowFilters(filters, comparison) : null };
}
