/**
 * The admin "time thieves" of docs/domain.md in hours a month: paper invoices, payments that cannot be
 * matched, hard and soft reminders, late payments, direct-debit activations, failed transactions,
 * disputed fees (and fee waivers, which only scenarios create). Counts per complete calendar month
 * come from the events (queries/staffing/time_thieves_monthly.sql); each is multiplied by a unit
 * handling time that the caller sets, because minutes per task differ between operations. The
 * defaults are planning assumptions for a Nordic billing back office, not measurements:
 * paper invoice 2 min (print run, enveloping, returned mail), unmatched payment 15 min (search the
 * ledger, match by hand, contact the payer), hard reminder 4 min (exceptions, address checks),
 * soft reminder 0.2 min (automated), late payment 6 min (follow-up, payment plans, ledger
 * correction), direct-debit activation 8 min (mandate set-up and verification), failed transaction
 * 10 min (investigate, re-bill, notify), disputed fee 12 min (investigate and answer), fee waiver
 * 3 min (credit note). Trend = least-squares slope of hours per month over the months shown, and the
 * change of the last three months against the first three. Scenario changes come from scenarios.ts
 * and are valued with the same unit minutes.
 */
import type { Database } from '../db/database.ts';
import { sql } from '../db/sql-files.ts';
import { dayToDate } from './local-time.ts';
import type { ScenarioEffect } from './scenarios.ts';
import { TIME_THIEF_LABELS, TIME_THIEVES, type TimeThief } from './time-thief-items.ts';


export const DEFAULT_UNIT_MINUTES: Record<TimeThief, number> = {
  paper_invoices: 2,
  unmatched_payments: 15,
  hard_reminders: 4,
  soft_reminders: 0.2,
  late_payments: 6,
  direct_debit_activations: 8,
  failed_transactions: 10,
  disputed_fees: 12,
  fee_waivers: 3,
};

export interface TimeThiefOptions {
  tz: string;
  cutoffDay: number;
  months: number;
  unitMinutes: Record<TimeThief, number>;
}

const monthKey = (day: number) => dayToDate(day).slice(0, 7);
/** First day of the month of `day`, shifted by `delta` months. */
function monthStart(day: number, delta = 0): number {
  const d = new Date(day * 86_400_000);
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + delta, 1) / 86_400_000);
}

function slope(ys: number[]): number | null {
  const n = ys.length;
  if (n < 2) return null;
  const mx = (n - 1) / 2;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, x) => {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  });
  return sxy / sxx;
}

/** Complete months only: the month holding the cutoff is partial unless the cutoff is its first day. */
export function thiefWindow(cutoffDay: number, months: number): { start: number; end: number } {
  const end = monthStart(cutoffDay);
  return { start: monthStart(end, -months), end };
}

/** Monthly counts per item in [start, end) (local days); engine.ts caches them per data version. */
export function loadTimeThiefCounts(db: Database, tz: string, start: number, end: number): Promise<Record<string, unknown>[]> {
  return db.withConnection(
    async (c) => (await c.runAndReadAll(sql('staffing/time_thieves_monthly'), { tz, from_day: dayToDate(start), to_day: dayToDate(end) } as never)).getRowObjectsJson() as Record<string, unknown>[],
  );
}

export async function timeThieves(db: Database, o: TimeThiefOptions, scenarios: ScenarioEffect[], counted?: Record<string, unknown>[]) {
  const { start, end } = thiefWindow(o.cutoffDay, o.months);
  const rows = counted ?? (await loadTimeThiefCounts(db, o.tz, start, end));
  const months: string[] = [];
  for (let m = start; m < end; m = monthStart(m, 1)) months.push(monthKey(m));
  const counts = Object.fromEntries(TIME_THIEVES.map((t) => [t, new Array<number>(months.length).fill(0)])) as Record<TimeThief, number[]>;
  for (const r of rows) {
    const i = months.indexOf(String(r.month));
    const item = String(r.item) as TimeThief;
    if (i >= 0 && item in counts) counts[item][i] += Number(r.n);
  }
  const hours = (t: TimeThief, n: number) => (n * o.unitMinutes[t]) / 60;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : 0);
  const items = TIME_THIEVES.map((t) => {
    const h = counts[t].map((n) => hours(t, n));
    const first = mean(h.slice(0, 3));
    const last = mean(h.slice(-3));
    return {
      item: t,
      label: TIME_THIEF_LABELS[t],
      unit_minutes: o.unitMinutes[t],
      monthly: months.map((month, i) => ({ month, count: counts[t][i], hours: h[i] })),
      run_rate: { count_per_month: mean(counts[t].slice(-3)), hours_per_month: last },
      trend: { hours_per_month_per_month: slope(h), change_last_3_vs_first_3: first > 0 ? (last - first) / first : null },
      note: t === 'fee_waivers' ? 'Waivers are not visible in the events; only the waive-disputed-fees scenario adds them.' : undefined,
    };
  });
  const totals = months.map((month, i) => ({ month, hours: TIME_THIEVES.reduce((s, t) => s + hours(t, counts[t][i]), 0) }));
  const scenarioRows = scenarios.map((e) => {
    const byItem = TIME_THIEVES.map((t) => ({ item: t, count_per_month: e.monthly[t], hours_per_month: hours(t, e.monthly[t]) }));
    return {
      scenario: e.scenario,
      label: e.label,
      share: e.share,
      items: byItem,
      hours_per_month: byItem.reduce((s, r) => s + r.hours_per_month, 0),
      one_off_hours: hours('direct_debit_activations', e.one_off.direct_debit_activations),
      one_off_direct_debit_activations: e.one_off.direct_debit_activations,
    };
  });
  return {
    time_zone: o.tz,
    months,
    unit_minutes: o.unitMinutes,
    items,
    totals,
    run_rate_hours_per_month: items.reduce((s, i) => s + i.run_rate.hours_per_month, 0),
    scenarios: scenarioRows,
    note: 'Counts are complete calendar months before the as-of date. Unit minutes are planning assumptions (see the parameters); hours = count × unit minutes / 60. Run rate = mean of the last three months. Scenario rows are changes per month at steady state; negative = hours saved.',
  };
}
