/**
 * /v1/ingestion/status: event store totals, recent batches, events by type and by day, for the
 * data page and for producers checking what arrived (read or ingest role), and the live writer's
 * queue and latencies (see events/live-writer.ts). The stored totals change with every commit and the writer's figures all
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
      '`writer.live` is the live ingestion writer, which acknowledges small requests once they are in the fsynced live log and applies them to DuckDB behind it: requests being judged or written, rows and bytes acknowledged or waiting and not yet applied, the age of the oldest, unapplied groups and rows, the log size, recent latencies (ms; p50, p99, max over the last 2 048) of the log write + fdatasync (`log_ms`), of the acknowledgement (`ack_ms`), of an apply transaction (`apply_ms`), from log write to DuckDB commit (`apply_lag_ms`) and of the checkpoints that let closed log segments go (`checkpoint_ms`; at most one per 5 s, and every commit waits for one), rows per group, requests refused, index look-ups, the filter of stored ids, and the back-pressure limits; `writer.bulk_in_flight` counts bulk requests being ingested. The stored totals include every row acknowledged before this call (it waits for them to be applied, at most 5 s).',
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
