/**
 * /v1/ingestion/status: event store totals, recent batches, events by type and by day, for the
 * data page and for producers checking what arrived (read or ingest role), and the live writer's
 * queue and latencies. The stored totals change with every commit and the writer's figures all
 * the time, so the totals are kept per data version and the writer's are read on every call.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { IngestionStatus } from '../analytics/contracts.ts';
import { ingestionStatus } from '../analytics/overview.ts';
import { requireRole } from '../http/auth.ts';

export function ingestionStatusRoutes(ctx: AppContext) {
  ctx.openapi.add({
    method: 'get',
    path: '/v1/ingestion/status',
    tag: 'ingestion',
    role: ['read', 'ingest'],
    summary: 'Event store totals, recent batches, events by type and by day, and the live writer',
    description:
      '`writer.live` is the live ingestion writer: requests, rows and bytes waiting, the age of the oldest, recent latencies (ms) of preparing and committing a group and of acknowledging a request (p50, p99, max over the last 2 048), rows per group, requests refused, and the back-pressure limits; `writer.bulk_in_flight` counts bulk requests being ingested.',
    responses: { 200: { description: 'status', schema: IngestionStatus.extend({ writer: z.record(z.string(), z.unknown()) }) } },
  });
  let stored: { version: number; value: Promise<IngestionStatus> } | null = null;
  return new Hono().get('/status', requireRole(ctx.config.tokens, 'read', 'ingest'), async (c) => {
    if (stored?.version !== ctx.db.version) {
      const value = ingestionStatus(ctx.db).then((s) => IngestionStatus.parse(s));
      value.catch(() => (stored = null)); // a failed read is not kept
      stored = { version: ctx.db.version, value };
    }
    return c.json({ ...(await stored.value), writer: ctx.ingestion.status() });
  });
}
