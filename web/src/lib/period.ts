/**
 * The period and comparison of the Overview (issue 15), in the URL like every other control:
 * `from` and `to` (YYYY-MM-DD, both included) and `compare` (`previous_year` or `none`; absent =
 * the previous period, the API's default for the summary). They are page parameters of the
 * Overview, not shared filters, because only some endpoints take a period (README, "Periods").
 * A period is the landmark window ending with `to` and lasting its days, which is how it is
 * handed to endpoints without a period of their own (the KPI drill-down list): as_of = to,
 * horizon_days = its length.
 */
import type { Comparison } from '$service/analytics/contracts.ts';

export const PERIOD_PARAMS = ['from', 'to', 'compare'] as const;
export const MIN_DAYS = 7;
export const MAX_DAYS = 730;

export interface PeriodState {
  from?: string;
  to?: string;
  compare: Comparison;
}

const DAY = 86_400_000;
const isDate = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);
export const shiftDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
export const daysIn = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY) + 1;

export function readPeriod(params: URLSearchParams): PeriodState {
  const from = params.get('from');
  const to = params.get('to');
  const c = params.get('compare');
  const both = isDate(from) && isDate(to);
  return { from: both ? from : undefined, to: both ? to : undefined, compare: c === 'previous_year' || c === 'none' ? c : 'previous_period' };
}

/** The URL parameters of a period state (undefined removes one). */
export function periodUrlParams(p: PeriodState): Record<string, string | undefined> {
  return { from: p.from, to: p.to, compare: p.compare === 'previous_period' ? undefined : p.compare };
}

/**
 * The summary's query: the filters plus the period. A period replaces as_of and horizon_days
 * (the API refuses both together) and is a landmark window, so a lifetime view is dropped too.
 */
export function summaryQuery(filters: string, p: PeriodState): URLSearchParams {
  const q = new URLSearchParams(filters);
  if (p.from && p.to) {
    for (const k of ['as_of', 'horizon_days']) q.delete(k);
    q.set('from', p.from);
    q.set('to', p.to);
  }
  if (p.compare !== 'previous_period') q.set('compare', p.compare);
  // The summary's period is always a landmark window; the API refuses a lifetime view with one.
  if ((q.has('from') || q.has('compare')) && q.get('view') === 'lifetime') q.delete('view');
  return q;
}

/** The window of a period for endpoints that take as_of and horizon_days instead. */
export const periodWindow = (p: PeriodState) => (p.from && p.to ? { as_of: p.to, horizon_days: daysIn(p.from, p.to) } : {});

export interface Preset {
  key: string;
  label: string;
  from: string;
  to: string;
}

/** Presets relative to the latest day with data (not today: the data may end earlier). */
export function presets(latest: string, first?: string | null): Preset[] {
  const [y, m] = latest.split('-').map(Number);
  // The last complete calendar quarter: the current one if `latest` is its last day.
  const qStartMonth = Math.floor((m - 1) / 3) * 3; // 0-based month of the quarter of `latest`
  const qEnd = new Date(Date.UTC(y, qStartMonth + 3, 0)).toISOString().slice(0, 10);
  const endQ = qEnd === latest ? new Date(Date.UTC(y, qStartMonth, 1)) : new Date(Date.UTC(y, qStartMonth - 3, 1));
  const quarterFrom = endQ.toISOString().slice(0, 10);
  const quarterTo = new Date(Date.UTC(endQ.getUTCFullYear(), endQ.getUTCMonth() + 3, 0)).toISOString().slice(0, 10);
  const list: Preset[] = [
    { key: 'last_30', label: 'Last 30 days', from: shiftDays(latest, -29), to: latest },
    { key: 'last_90', label: 'Last 90 days', from: shiftDays(latest, -89), to: latest },
    { key: 'last_quarter', label: `Last quarter (Q${Math.floor(endQ.getUTCMonth() / 3) + 1} ${endQ.getUTCFullYear()})`, from: quarterFrom, to: quarterTo },
    { key: 'last_12_months', label: 'Last 12 months', from: shiftDays(latest, -364), to: latest },
  ];
  return first ? list.filter((p) => p.from >= first) : list;
}

/** Why a from/to pair cannot be a period, or null (the API says the same with a 400/422). */
export function periodProblem(from: string, to: string, first?: string | null, last?: string | null): string | null {
  if (from >= to) return 'From must be before To.';
  const days = daysIn(from, to);
  if (days < MIN_DAYS || days > MAX_DAYS) return `A period is ${MIN_DAYS} to ${MAX_DAYS} days long (this one: ${days}).`;
  if ((first && from < first) || (last && to > last)) return `The data runs from ${first} to ${last}.`;
  return null;
}

export const COMPARE_LABELS: Record<Comparison, string> = { previous_period: 'Previous period', previous_year: 'Same period last year', none: 'No comparison' };
