/**
 * /v1/ingestion/status: event store totals, recent batches, events by type and by day, for the
 * data page and for producers checking what arrived (read or ingest role).
 */
import { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import { IngestionStatus } from '../analytics/contracts.ts';
import { ingestionStatus } from '../analytics/overview.ts';
import { requireRole } from '../http/auth.ts';
import { resultCache } from '../http/result-cache.ts';

export function ingestionStatusRoutes(ctx: AppContext) {
  ctx.openapi.add({ method: 'get', path: '/v1/ingestion/status', tag: 'ingestion', role: 'read', summary: 'Event store totals, recent batches, events by type and by day', responses: { 200: { description: 'status', schema: IngestionStatus } } });
  return new Hono().get('/status', requireRole(ctx.config.tokens, 'read', 'ingest'), resultCache(ctx.db), async (c) => c.json(IngestionStatus.parse(await ingestionStatus(ctx.db))));
}
