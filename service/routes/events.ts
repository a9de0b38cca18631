/**
 * POST /v1/events: ingestion in NDJSON, JSON, CSV or Arrow IPC, optionally gzip-encoded. The
 * response is sent only after the batch is committed; see events/ingest.ts for the mechanics.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { IncomingMessage } from 'node:http';
import { ClientGoneError } from '../events/body-errors.ts';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { IngestOverloaded } from '../events/live-writer.ts';
import { IngestRefused } from '../events/ingestion.ts';
import { MEDIA_TYPES, type MediaType } from '../events/ingest.ts';
import { EventSchema, IngestResponse } from '../events/schemas.ts';
import { requireRole } from '../http/auth.ts';
import { ApiError, errorBody } from '../http/errors.ts';
import { requestBody } from '../http/request-body.ts';

/**
 * Reads see every event acknowledged before them: live rows are acknowledged from the live log
 * and applied to DuckDB a few milliseconds later, so every API call but ingestion itself and the
 * health probe first waits until what was acknowledged before it arrived is applied (immediate
 * when nothing waits; at most READ_WAIT_MS, 5 s, after which it reads what is there).
 */
export function readAfterWrites(ctx: AppContext, exempt: (path: string) => boolean = () => false): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path;
    if (!(path === '/v1/health' || (c.req.method === 'POST' && path === '/v1/events') || exempt(path))) await ctx.ingestion.settled();
    await next();
  };
}

/**
 * A small uncompressed body with a declared length, read straight from node's request: the web
 * ReadableStream (and the AbortSignal) that `c.req.raw.body` builds cost about as much CPU per
 * 1-event request as everything else on the live path. Anything else takes requestBody().
 */
function smallBody(c: Context, max: number): AsyncIterable<Uint8Array> | null {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const length = Number(c.req.header('content-length'));
  if (!incoming || !(incoming instanceof IncomingMessage) || c.req.header('content-encoding') || !Number.isInteger(length) || length > max || incoming.readableDidRead) return null;
  const whole = new Promise<Uint8Array>((resolve, reject) => {
    const parts: Buffer[] = [];
    incoming.on('data', (d: Buffer) => parts.push(d));
    incoming.once('end', () => resolve(parts.length === 1 ? parts[0] : Buffer.concat(parts)));
    incoming.once('error', () => reject(new ClientGoneError()));
    incoming.once('close', () => (incoming.complete ? undefined : reject(new ClientGoneError())));
  });
  return (async function* () {
    yield await whole;
  })();
}

export function eventRoutes(ctx: AppContext) {
  ctx.openapi.add({
    method: 'post',
    path: '/v1/events',
    tag: 'ingestion',
    role: 'ingest',
    summary: 'Ingest events',
    description: [
      'Valid rows are committed together; invalid rows are stored in rejected rows with their raw text and reason. The same event_id is stored once (across requests and restarts).',
      'Scalar fields are read from their text: a number sent as a JSON string, or any CSV cell, is accepted when its text is valid. Rows are numbered from 1: NDJSON by line, JSON arrays by position, CSV by record after the header, Arrow by row.',
      `Bodies may be gzip-encoded (Content-Encoding: gzip); the limit (MAX_BODY_SIZE, default 256 MiB) applies to the bytes sent and to the decompressed bytes. 413 beyond it, 415 for another media type, 400 when the body cannot be split into rows at all (with its position).`,
    ].join('\n\n'),
    body: {
      description: 'events (see the event schemas; one object per row)',
      content: {
        'application/x-ndjson': EventSchema,
        'application/json': z.union([EventSchema, z.array(EventSchema)]),
        'text/csv': null,
        'application/vnd.apache.arrow.stream': null,
      },
    },
    responses: {
      200: { description: 'committed', schema: IngestResponse },
      413: { description: 'body too large' },
      503: { description: 'code `integrity_check_failed`: acknowledged batches are missing from the database and writes are refused (see /v1/health); code `overloaded`: the writer is behind (queued rows, bytes or age over their limits) or too many bulk requests are in flight: nothing of the request was stored; retry after the Retry-After header (seconds)' },
      415: { description: 'unsupported media type' },
    },
  });

  return new Hono().post('/', requireRole(ctx.config.tokens, 'ingest'), async (c) => {
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (!(mediaType in MEDIA_TYPES)) {
      throw new ApiError(415, 'unsupported_media_type', `Content-Type "${mediaType || '(none)'}" is not accepted; use one of ${Object.keys(MEDIA_TYPES).join(', ')}`);
    }
    const body = smallBody(c, Math.min(ctx.config.maxBodyBytes, ctx.config.ingestion.liveMaxBytes)) ?? requestBody(c.req.raw, ctx.config.maxBodyBytes);
    try {
      return c.json(await ctx.ingestion.ingest(body, mediaType as MediaType, c.req.header('user-agent') ?? null), 200);
    } catch (error) {
      if (error instanceof IngestRefused) {
        return c.json(errorBody('integrity_check_failed', error.message, { missing_batches: error.check.missingCount, first_missing: error.check.missing.slice(0, 10) }), 503);
      }
      if (!(error instanceof IngestOverloaded)) throw error;
      c.header('Retry-After', String(error.retryAfterSeconds));
      return c.json(errorBody('overloaded', error.message, { reason: error.reason, retry_after_seconds: error.retryAfterSeconds }), 503);
    }
  });
}
