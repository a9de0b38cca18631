/**
 * The API's error shape, `{"error": {"code", "message", "details"}}` (docs/api.md), and the one
 * place that turns exceptions into responses, domain errors included: known errors keep their status and message, anything
 * else becomes a 500 whose body says nothing about internals (the cause goes to the log only).
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { storageFailure } from '../db/failures.ts';
import { AnalysisInputError, AnalysisRefusedError } from '../analytics/errors.ts';
import { BodyInflationError, BodyParseError, BodyTooLargeError, ClientGoneError } from '../events/body-errors.ts';
import { RiskModelRefusedError, UnknownCustomerError } from '../offers/errors.ts';
import { CustomerNotFoundError, DrillInputError } from '../customers/errors.ts';
import { StaffingInputError, StaffingQueryError } from '../staffing/errors.ts';
import { NotEnoughHistoryError } from '../staffing/forecast.ts';
import { ViewNameTakenError, ViewNotFoundError } from '../views/errors.ts';
import { RuleNameTakenError, RuleNotFoundError } from '../alerts/errors.ts';
import { CampaignExistsError, CampaignNotFoundError } from '../offers/campaigns.ts';

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
  // Domain errors: each domain says why it refuses; only here does that become a status.
  if (error instanceof AnalysisInputError) return c.json(errorBody(error.code, error.message), 400);
  if (error instanceof AnalysisRefusedError || error instanceof RiskModelRefusedError) return c.json(errorBody(error.code, error.message, error.details), 422);
  if (error instanceof UnknownCustomerError || error instanceof CustomerNotFoundError) return c.json(errorBody(error.code, error.message), 404);
  if (error instanceof DrillInputError) return c.json(errorBody(error.code, error.message), 400);
  if (error instanceof StaffingInputError || error instanceof StaffingQueryError) return c.json(errorBody(error.code, error.message, error.details), 400);
  if (error instanceof CampaignNotFoundError) return c.json(errorBody(error.code, error.message), 404);
  if (error instanceof CampaignExistsError) return c.json(errorBody(error.code, error.message), 409);
  if (error instanceof RuleNotFoundError) return c.json(errorBody(error.code, error.message), 404);
  if (error instanceof RuleNameTakenError) return c.json(errorBody(error.code, error.message), 409);
  if (error instanceof ViewNotFoundError) return c.json(errorBody(error.code, error.message), 404);
  if (error instanceof ViewNameTakenError) return c.json(errorBody(error.code, error.message, error.details), 409);
  if (error instanceof NotEnoughHistoryError) return c.json(errorBody('not_enough_history', error.message), 422);
  const storage = storageFailure(error);
  if (storage?.kind === 'disk_full') {
    console.error(`${c.req.method}: disk full: ${storage.cause}`);
    return c.json(errorBody('storage_full', 'the disk holding the database is full; nothing of this request was stored. Free space and retry.'), 507);
  }
  if (storage?.kind === 'fatal') {
    return c.json(errorBody('database_failed', `the database failed and must be reopened (${storage.cause}); nothing of this request was stored`), 503);
  }
  // Nobody reads this answer; the status tells the access log that the client left.
  if (error instanceof ClientGoneError) return c.json(errorBody('client_closed_request', error.message), 499 as ContentfulStatusCode);
  const id = Math.random().toString(36).slice(2, 10);
  console.error(`[${id}] ${c.req.method} ${debug ? c.req.path : c.req.routePath}:`, debug ? error : String((error as Error)?.message ?? error).slice(0, 500));
  return c.json(errorBody('internal_error', `internal error (reference ${id}); the request was not applied`), 500);
}
