/**
 * Query strings as the zod schemas of every route expect them: a key given once is a string, a
 * repeated key an array (the segment filters accept both and comma-separated values). A query that
 * fails its schema is a 400 with the path of each problem, the same for every route.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
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
