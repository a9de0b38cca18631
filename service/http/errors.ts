/**
 * The API's error shape, `{"error": {"code", "message", "details"}}` (DESIGN §7), and the one
 * place that turns exceptions into responses: known errors keep their status and message, anything
 * else becomes a 500 whose body says nothing about internals (the cause goes to the log only).
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { BodyInflationError, BodyParseError, BodyTooLargeError, ClientGoneError } from '../events/readers/body-errors.ts';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

export function zodDetails(error: ZodError) {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/**
 * `debug` (LOG_LEVEL=debug) logs the request path as sent; otherwise the route pattern only
 * (/v1/customers/:id/risk), since paths carry customer ids.
 */
export function handleError(error: unknown, c: Context, debug = false): Response {
  if (error instanceof ApiError) return c.json(errorBody(error.code, error.message, error.details), error.status);
  if (error instanceof ZodError) return c.json(errorBody('invalid_request', 'the request is invalid', zodDetails(error)), 400);
  if (error instanceof BodyTooLargeError) return c.json(errorBody('payload_too_large', error.message, { limit_bytes: error.limitBytes }), 413);
  if (error instanceof BodyInflationError) return c.json(errorBody('gzip_ratio_exceeded', error.message, { max_ratio: error.maxRatio }), 413);
  if (error instanceof BodyParseError) return c.json(errorBody('unparseable_body', error.message, error.position), 400);
  // Nobody reads this answer; the status tells the access log that the client left.
  if (error instanceof ClientGoneError) return c.json(errorBody('client_closed_request', error.message), 499 as ContentfulStatusCode);
  const id = Math.random().toString(36).slice(2, 10);
  console.error(`[${id}] ${c.req.method} ${debug ? c.req.path : c.req.routePath}:`, debug ? error : String((error as Error)?.message ?? error).slice(0, 500));
  return c.json(errorBody('internal_error', `internal error (reference ${id}); the request was not applied`), 500);
}
