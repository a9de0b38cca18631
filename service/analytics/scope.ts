/**
 * Turns the shared filter parameters into the analysed window (docs/definitions.md): the as-of date
 * (default: the date of the latest event), the view, and for the landmark view the landmark
 * T = as_of − horizon, the look-back [T − L, T) and the outcome window [T, as_of]. Everything is
 * at day granularity in UTC: "as of 2026-10-31" sees events up to 2026-10-31T23:59:59Z.
 */
import type { Database } from '../db/database.ts';
import { checkAsOfInRange } from './as-of-range.ts';
import type { Filters } from './contracts.ts';

export type View = 'lifetime' | 'landmark';

export interface BaseParams {
  exp_start: string;
  exp_end: string;
  overdue_before: string;
  outcome_end: string;
  landmark: boolean;
}

export interface AnalysisScope {
  asOf: string; // YYYY-MM-DD
  view: View;
  window: { landmark: string; lookback_start: string; horizon_end: string } | null;
  params: BaseParams;
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The default as-of: the date of the latest event, as published with the stored bases of its
 * windows (base-cache.ts), so a reader never lands on a default window that is still being built.
 * Before the first catch-up has published one (a fresh database) it is read from the events.
 * Null on an empty database.
 */
export function latestEventDate(db: Database): Promise<string | null> {
  return db.cache.memo('latest-event-date', '', () =>
    db.withConnection(async (c) => {
      const r = (
        await c.runAndReadAll(
          `SELECT coalesce((SELECT value FROM analysis_defaults WHERE name = 'default_as_of'),
                           (SELECT strftime(max(occurred_at), '%Y-%m-%d') FROM events WHERE occurred_at <= now() + INTERVAL 1 DAY)) AS d`,
        )
      ).getRowObjects()[0];
      return (r.d as string | null) ?? null;
    }),
  );
}

export function scopeFor(asOf: string, view: View, lookbackDays: number, horizonDays: number): AnalysisScope {
  const end = Date.parse(`${asOf}T00:00:00Z`) + DAY; // exclusive end of the as-of day
  if (view === 'lifetime') {
    return {
      asOf,
      view,
      window: null,
      params: { exp_start: '1900-01-01T00:00:00Z', exp_end: iso(end), overdue_before: asOf, outcome_end: iso(end), landmark: false },
    };
  }
  const landmark = end - horizonDays * DAY;
  const start = landmark - lookbackDays * DAY;
  return {
    asOf,
    view,
    window: { landmark: day(landmark), lookback_start: day(start), horizon_end: asOf },
    params: { exp_start: iso(start), exp_end: iso(landmark), overdue_before: day(landmark), outcome_end: iso(end), landmark: true },
  };
}

export async function resolveScope(db: Database, filters: Filters, defaultView: View): Promise<AnalysisScope> {
  // Every analysis resolves its window here (churn, overview, offers): one place refuses an as-of outside the data.
  await checkAsOfInRange(db, filters.as_of);
  const asOf = filters.as_of ?? (await latestEventDate(db)) ?? new Date().toISOString().slice(0, 10);
  return scopeFor(asOf, filters.view ?? defaultView, filters.lookback_days, filters.horizon_days);
}

/**
 * The scoring window: customers active at the end of the as-of day, exposures in the look-back
 * before it, and no outcome (outcome_end = exposure end, so nothing after the as-of date is read).
 */
export function scoringScope(asOf: string, lookbackDays: number): AnalysisScope {
  const end = Date.parse(`${asOf}T00:00:00Z`) + DAY;
  const start = end - lookbackDays * DAY;
  return {
    asOf,
    view: 'landmark',
    window: { landmark: day(end), lookback_start: day(start), horizon_end: day(end) },
    params: { exp_start: iso(start), exp_end: iso(end), overdue_before: day(end), outcome_end: iso(end), landmark: true },
  };
}

/**
 * The windows a dashboard opens with at this as-of: both views, the summary's previous period, and
 * the offers' scoring window (their fit window is the landmark one). Each new default date builds
 * them before it is published (base-cache.ts), so no page's first call after midnight builds one.
 */
export function defaultScopesFor(asOf: string): AnalysisScope[] {
  const L = 180;
  const H = 90;
  const previous = new Date(Date.parse(`${asOf}T00:00:00Z`) - H * DAY).toISOString().slice(0, 10);
  return [scopeFor(asOf, 'lifetime', L, H), scopeFor(asOf, 'landmark', L, H), scopeFor(previous, 'landmark', L, H), scopeFor(previous, 'lifetime', L, H), scoringScope(asOf, L)];
}
