/**
 * The invoice calendar as the forecast sees it: for every local day, how many invoices went out and
 * fell due (split by the customer's stage: first invoice, later first-year invoice, other), how many
 * hard reminders, fees, failed debits and collections happened, and how many customers were active.
 * Before the cutoff these are the recorded events (queries/staffing/calendar_daily.sql). From the
 * cutoff on they are projected, using only what was known at the cutoff:
 *  - invoices of customers still billed recur on the same day of the month after the same payment
 *    term, discounted by the measured monthly churn (calendar_projection.sql);
 *  - new customers' first invoices repeat the last 12 weeks' average for that day of the month;
 *  - invoices already issued fall due when they say (the due dates are known);
 *  - hard reminders, failed debits and collections follow the coming due dates with the lags and
 *    rates measured on invoices that fell due 45–225 days before the cutoff (driver_lags.sql);
 *  - the active customer base continues its linear trend of the last 8 weeks.
 * Passing an earlier cutoff gives exactly what a planner would have had then, which is what makes
 * the back-test honest. The recorded part (calendar_daily.sql) does not depend on the cutoff — due
 * dates come per issue day, so each cutoff counts only invoices issued before it — and is stored
 * per zone and kept current batch by batch (calendar-store.ts); only the projection is queried per
 * cutoff.
 */
import type { Database } from '../db/database.ts';
import { sql } from '../db/sql-files.ts';
import { dayOfMonth, dayStart, dayToDate } from './local-time.ts';

export const CALENDAR_FIELDS = [
  'issued_first',
  'issued_first_year',
  'issued_other',
  'due_first',
  'due_first_year',
  'due_other',
  'hard_reminders',
  'soft_reminders',
  'fees',
  'payment_failures',
  'collections',
  'starts',
  'cancels',
] as const;
export type CalendarField = (typeof CALENDAR_FIELDS)[number] | 'active_customers';

/** Day-indexed series over [firstDay, lastDay]; days without events are 0. */
export interface Calendar {
  firstDay: number;
  /** Exclusive end of the recorded part (the cutoff day); later days are projected. */
  cutoffDay: number;
  lastDay: number;
  series: Record<CalendarField, Float64Array>;
  /** First day with an invoice on record (the model is not fitted before there is a calendar). */
  firstInvoiceDay: number | null;
  projection: ProjectionInfo;
}

export interface ProjectionInfo {
  monthly_churn: number;
  billed_customers: number;
  first_invoices_per_month: number;
  active_trend_per_day: number;
  lags: Record<'hard_reminders' | 'payment_failures' | 'collections', { per_invoice: number; invoices: number; mean_lag_days: number | null }>;
}

const num = (v: unknown) => Number(v ?? 0);

async function rows(db: Database, query: string, params: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  return db.withConnection(async (c) => (await c.runAndReadAll(sql(query), params as never)).getRowObjectsJson() as Record<string, unknown>[]);
}

/** The recorded calendar of one data version: day and due rows (calendar_daily.sql), follow-up lags (driver_lags.sql), as calendar-store.ts keeps them. */
export interface CalendarBase {
  days: Record<string, unknown>[];
  lags: Record<string, unknown>[];
}

/** Follow-ups of the invoices due in [fromDay, toDay): per kind and lag, and the invoices due then. */
function lagRates(base: CalendarBase, fromDay: number, toDay: number) {
  let invoices = 0;
  for (const r of base.days) {
    const d = num(r.day);
    if (r.issue_day !== null && d >= fromDay && d < toDay) invoices += num(r.due_first) + num(r.due_first_year) + num(r.due_other);
  }
  const counts = new Map<string, number>();
  for (const r of base.lags) {
    const d = num(r.due_day);
    if (d < fromDay || d >= toDay) continue;
    const key = `${r.kind}|${num(r.lag)}`;
    counts.set(key, (counts.get(key) ?? 0) + num(r.n));
  }
  return { invoices, counts };
}

/**
 * The calendar of `tz` with records before `cutoffDay` and projections for `horizonDays` after it.
 */
export async function loadCalendar(db: Database, tz: string, cutoffDay: number, horizonDays: number, recorded: CalendarBase): Promise<Calendar> {
  const cutoff = dayStart(cutoffDay);
  const monthsAhead = Math.ceil(horizonDays / 28) + 1;
  const projected = await rows(db, 'staffing/calendar_projection', { tz, cutoff, start_day: dayToDate(cutoffDay), end_day: dayToDate(cutoffDay + horizonDays), months_ahead: monthsAhead });
  const daily = recorded.days;

  let firstDay = cutoffDay - 1;
  for (const r of daily) if (r.issue_day === null && num(r.day) < firstDay) firstDay = num(r.day);
  // Known due dates reach past the horizon; keep room for reminders 40+ days after them.
  const lastDay = cutoffDay + horizonDays + 60;
  const n = lastDay - firstDay + 1;
  const series = Object.fromEntries([...CALENDAR_FIELDS, 'active_customers'].map((f) => [f, new Float64Array(n)])) as Record<CalendarField, Float64Array>;
  const at = (day: number) => day - firstDay;
  let firstInvoiceDay: number | null = null;
  for (const r of daily) {
    const day = num(r.day);
    if (day < firstDay || day > lastDay) continue;
    const i = at(day);
    if (r.issue_day === null) {
      // Day rows: what was recorded before the cutoff.
      if (day >= cutoffDay) continue;
      for (const f of CALENDAR_FIELDS) if (!f.startsWith('due_')) series[f][i] += num(r[f]);
      if (firstInvoiceDay === null && num(r.issued_first) + num(r.issued_first_year) + num(r.issued_other) > 0) firstInvoiceDay = day;
    } else if (num(r.issue_day) < cutoffDay) {
      // Due rows of invoices issued before the cutoff: known, whenever they fall due.
      series.due_first[i] += num(r.due_first);
      series.due_first_year[i] += num(r.due_first_year);
      series.due_other[i] += num(r.due_other);
    }
  }

  // Active customers: starts minus cancellations, cumulated from the beginning of the data.
  let active = 0;
  for (let d = firstDay; d < cutoffDay; d++) {
    active += series.starts[at(d)] - series.cancels[at(d)];
    series.active_customers[at(d)] = Math.max(0, active);
  }
  const trendWindow = 56;
  const aNow = series.active_customers[at(cutoffDay - 1)];
  const aThen = cutoffDay - 1 - trendWindow >= firstDay ? series.active_customers[at(cutoffDay - 1 - trendWindow)] : aNow;
  const activeTrend = (aNow - aThen) / trendWindow;
  for (let d = cutoffDay; d <= lastDay; d++) series.active_customers[at(d)] = Math.max(0, aNow + activeTrend * (d - cutoffDay + 1));

  // Monthly churn among the base: cancellations of the last 90 days over the mean active base.
  let cancels90 = 0;
  let active90 = 0;
  let days90 = 0;
  for (let d = Math.max(firstDay, cutoffDay - 90); d < cutoffDay; d++) {
    cancels90 += series.cancels[at(d)];
    active90 += series.active_customers[at(d)];
    days90++;
  }
  const monthlyChurn = active90 > 0 ? Math.min(0.5, (cancels90 / (active90 / Math.max(1, days90))) * (30.44 / Math.max(1, days90))) : 0;

  // Recurring invoices of customers still billed.
  let billed = 0;
  let termSum = 0;
  let termN = 0;
  for (const r of projected) {
    const k = num(r.months_ahead);
    const weight = Math.pow(1 - monthlyChurn, k);
    const invoices = num(r.invoices) * weight;
    const issue = num(r.issue_day);
    const due = num(r.due_day);
    const stage = String(r.stage) === 'first_year' ? 'first_year' : 'other';
    if (issue >= cutoffDay && issue <= lastDay) series[`issued_${stage}`][at(issue)] += invoices;
    if (due >= cutoffDay && due <= lastDay) series[`due_${stage}`][at(due)] += invoices;
    if (k === 1) billed += num(r.invoices);
    termSum += (due - issue) * num(r.invoices);
    termN += num(r.invoices);
  }
  const meanTerm = termN > 0 ? Math.round(termSum / termN) : 14;

  // New customers' first invoices: the average of the last 12 weeks on the same day of the month.
  const firstByDom = new Map<number, { sum: number; n: number }>();
  let firstTotal = 0;
  for (let d = Math.max(firstDay, cutoffDay - 84); d < cutoffDay; d++) {
    const e = firstByDom.get(dayOfMonth(d)) ?? { sum: 0, n: 0 };
    e.sum += series.issued_first[at(d)];
    e.n++;
    firstByDom.set(dayOfMonth(d), e);
    firstTotal += series.issued_first[at(d)];
  }
  for (let d = cutoffDay; d <= lastDay; d++) {
    const e = firstByDom.get(dayOfMonth(d));
    const expected = e && e.n > 0 ? e.sum / e.n : 0;
    series.issued_first[at(d)] += expected;
    if (d + meanTerm <= lastDay) series.due_first[at(d + meanTerm)] += expected;
  }

  // Follow-ups of due dates: per-invoice rates by lag, measured on invoices due 225–45 days before the
  // cutoff (their follow-ups have happened), applied to every due date (recorded or known).
  const measured = lagRates(recorded, cutoffDay - 225, cutoffDay - 45);
  const invoicesMeasured = measured.invoices;
  const kernels: ProjectionInfo['lags'] = {
    hard_reminders: { per_invoice: 0, invoices: invoicesMeasured, mean_lag_days: null },
    payment_failures: { per_invoice: 0, invoices: invoicesMeasured, mean_lag_days: null },
    collections: { per_invoice: 0, invoices: invoicesMeasured, mean_lag_days: null },
  };
  for (const kind of ['hard_reminders', 'payment_failures', 'collections'] as const) {
    const kernel = [...measured.counts.entries()]
      .filter(([key]) => key.startsWith(`${kind}|`))
      .map(([key, n]) => ({ lag: Number(key.split('|')[1]), rate: invoicesMeasured > 0 ? n / invoicesMeasured : 0 }));
    const total = kernel.reduce((s, k) => s + k.rate, 0);
    kernels[kind].per_invoice = total;
    kernels[kind].mean_lag_days = total > 0 ? kernel.reduce((s, k) => s + k.lag * k.rate, 0) / total : null;
    for (let d = cutoffDay; d <= lastDay; d++) {
      let expected = 0;
      for (const { lag, rate } of kernel) {
        const due = d - lag;
        if (due < firstDay || due > lastDay) continue;
        expected += rate * (series.due_first[at(due)] + series.due_first_year[at(due)] + series.due_other[at(due)]);
      }
      series[kind][at(d)] = expected;
    }
  }

  return {
    firstDay,
    cutoffDay,
    lastDay,
    series,
    firstInvoiceDay,
    projection: {
      monthly_churn: monthlyChurn,
      billed_customers: billed,
      first_invoices_per_month: (firstTotal / 84) * 30.44,
      active_trend_per_day: activeTrend,
      lags: kernels,
    },
  };
}

/** Value of a calendar series on a day (0 outside the range). */
export function valueOn(cal: Calendar, field: CalendarField, day: number): number {
  if (day < cal.firstDay || day > cal.lastDay) return 0;
  return cal.series[field][day - cal.firstDay];
}
