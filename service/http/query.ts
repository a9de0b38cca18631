/**
 * Query strings as the zod schemas of every route expect them: a key given once is a string, a
 * repeated key an array (the segment filters accept both and comma-separated values). A query that
 * fails its schema is a 400 with the path of each problem, the same for every route. An `as_of`
 * shaped like a date but not on the calendar (2026-02-30) is a 422 that says why, not the
 * schema's bare "invalid date"; analyses parse with `parseAnalysisQuery`, which also checks the
 * date against the data's range (analytics/as-of-range.ts).
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { calendarProblem, checkAsOfInRange } from '../analytics/as-of-range.ts';
import type { Database } from '../db/database.ts';
import { ApiError, zodDetails } from './errors.ts';

/** Query parameters as zod expects them: repeated keys become arrays. */
export function queryObject(c: Context): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(c.req.queries())) out[key] = values.length === 1 ? values[0] : values;
  return out;
}

export function parseQuery<S extends z.ZodType>(schema: S, c: Context): z.infer<S> {
  const parsed = schema.safeParse(queryObject(c));
  if (!parsed.success) throw new ApiError(400, 'invalid_request', 'invalid query parameters', zodDetails(parsed.error));
  return parsed.data;
}

/**
 * parseQuery for the analyses: an `as_of` that is no calendar date is a 422 `invalid_date` naming
 * why, and a valid one is checked against the data (422 `as_of_out_of_range`).
 */
export async function parseAnalysisQuery<S extends z.ZodType>(schema: S, c: Context, db: Database): Promise<z.infer<S>> {
  const raw = c.req.query('as_of');
  const problem = raw === undefined ? null : calendarProblem(raw);
  if (problem) throw new ApiError(422, 'invalid_date', `as_of: ${problem}.`, { parameter: 'as_of', value: raw });
  const q = parseQuery(schema, c);
  await checkAsOfInRange(db, (q as { as_of?: string }).as_of);
  return q;
}
