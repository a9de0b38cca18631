/**
 * The query of an endpoint that takes a period (issue 15: `from`, `to`, `compare`, contracts.ts
 * PeriodFields), checked the way `as_of` is: a string that is no calendar date is a 422
 * `invalid_date`, a period outside the days the events span a 422 `period_out_of_range` with the
 * range, and an inconsistent combination (one end only, from ≥ to, too short or too long, or
 * together with as_of / horizon_days / view=lifetime, which the period replaces) a 400
 * `invalid_period`. The answer is the plan of windows to analyse (analytics/period.ts), or null
 * when none of the three parameters was given, so those requests are answered as before.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { calendarProblem, eventDateRange } from '../analytics/as-of-range.ts';
import type { Comparison, PeriodFilters } from '../analytics/contracts.ts';
import { MAX_PERIOD_DAYS, MIN_PERIOD_DAYS, periodOf, planPeriod, shiftDays, type PeriodPlan } from '../analytics/period.ts';
import { latestEventDate } from '../analytics/scope.ts';
import type { Database } from '../db/database.ts';
import { ApiError } from '../http/errors.ts';
import { parseAnalysisQuery } from '../http/query.ts';

const invalid = (message: string, details?: unknown) => new ApiError(400, 'invalid_period', message, details);

export async function parsePeriodQuery<S extends z.ZodType<PeriodFilters>>(schema: S, c: Context, db: Database, defaultCompare: Comparison): Promise<{ q: z.infer<S>; plan: PeriodPlan | null }> {
  for (const name of ['from', 'to'] as const) {
    const raw = c.req.query(name);
    const problem = raw === undefined ? null : calendarProblem(raw);
    if (problem) throw new ApiError(422, 'invalid_date', `${name}: ${problem}.`, { parameter: name, value: raw });
  }
  const q = await parseAnalysisQuery(schema, c, db);
  const { from, to, compare } = q;
  if (from === undefined && to === undefined && compare === undefined) return { q, plan: null };
  const range = await eventDateRange(db);
  const firstDay = range?.first_day ?? null;
  if (from !== undefined || to !== undefined) {
    if (from === undefined || to === undefined) throw invalid('a period needs both from and to (YYYY-MM-DD, to included)', { from: from ?? null, to: to ?? null });
    const replaced = (['as_of', 'horizon_days'] as const).filter((k) => c.req.query(k) !== undefined);
    if (replaced.length) throw invalid(`from/to replace ${replaced.join(' and ')} (the period ends on to and lasts its own days); pass one or the other`, { parameters: replaced });
    if (q.view === 'lifetime') throw invalid('a period is a landmark window (customers active at from, churn by to); view=lifetime has no period', { view: q.view });
    if (from >= to) throw invalid(`from (${from}) must be before to (${to})`, { from, to });
    const days = periodOf(from, to).days;
    if (days < MIN_PERIOD_DAYS || days > MAX_PERIOD_DAYS) throw invalid(`the period is ${days} days long; it must be ${MIN_PERIOD_DAYS} to ${MAX_PERIOD_DAYS} days`, { from, to, days, min_days: MIN_PERIOD_DAYS, max_days: MAX_PERIOD_DAYS });
    if (range && (from < range.first_day || to > range.last_day)) {
      throw new ApiError(422, 'period_out_of_range', `the period ${from} – ${to} is not inside the data, which runs from ${range.first_day} to ${range.last_day}. Choose dates in that range (the latest is ${range.last_day}).`, {
        from,
        to,
        first_day: range.first_day,
        last_day: range.last_day,
        latest: range.last_day,
      });
    }
    return { q, plan: planPeriod(q, periodOf(from, to), compare ?? defaultCompare, firstDay) };
  }
  // compare alone: the period is the landmark window of as_of and horizon_days.
  if (q.view === 'lifetime') throw invalid('compare sets a period against another, and periods are landmark windows; view=lifetime has none', { view: q.view });
  const asOf = q.as_of ?? (await latestEventDate(db)) ?? new Date().toISOString().slice(0, 10);
  return { q, plan: planPeriod(q, periodOf(shiftDays(asOf, -q.horizon_days + 1), asOf), compare ?? defaultCompare, firstDay) };
}
