/**
 * GET /v1/health: liveness, whether the database answers, and row counts. Public, so load
 * balancers can probe it; it reveals counts only, no data and no paths (the database file is
 * named to admin tokens only).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { eventTotals } from '../events/event-totals.ts';
import { lookup } from '../http/auth.ts';

const Health = z.object({
  status: z.enum(['ok', 'degraded', 'failed']),
  database: z.object({
    reachable: z.boolean(),
    file: z.string().optional().describe('the database path: shown to admin callers only'),
    schema_version: z.number().nullable(),
    fatal: z.string().nullable().describe('set when DuckDB declared the database unusable (e.g. a checkpoint failed on a full disk); the service then exits with status 70 for its supervisor to restart it'),
  }),
  counts: z.object({ events: z.number(), customers: z.number(), rejected_rows: z.number(), batches: z.number() }).nullable(),
  auth: z.enum(['on', 'open']),
  ingestion: z.object({
    queued_requests: z.number(),
    queued_rows: z.number(),
    oldest_wait_ms: z.number(),
    unapplied_rows: z.number().describe('rows acknowledged (in the fsynced live log) and not yet applied to DuckDB'),
    log_bytes: z.number().describe('size of the live log files'),
    log_ms_p99: z.number().nullable().describe('writing and fdatasyncing one group to the live log'),
    ack_ms_p50: z.number().nullable(),
    ack_ms_p99: z.number().nullable(),
    apply_ms_p50: z.number().nullable().describe('one DuckDB transaction of the applier'),
    apply_ms_p99: z.number().nullable(),
    apply_lag_ms_p99: z.number().nullable().describe('from the log write to the DuckDB commit'),
    bulk_in_flight: z.number(),
  }).describe('the live writer: what waits to be logged or applied, and recent latencies (ms, over the last 2 048)'),
  integrity: z.object({ ok: z.boolean(), acknowledged_batches: z.number(), missing_batches: z.number(), first_missing: z.array(z.number()) })
    .describe('the ledger of acknowledged batches against the database, checked at start-up; when batches are missing, writes are refused (503 integrity_check_failed)'),
  analysis: z.object({
    data_as_of: z.object({ batch_id: z.number(), committed_at: z.string().nullable() }),
    lag_seconds: z.number(),
    max_lag_seconds: z.number(),
    bases: z.number(),
    builds: z.number(),
    refreshes: z.number(),
    rebuilds: z.number(),
    last_refresh: z.object({ bases: z.number(), customers: z.number(), ms: z.number() }).nullable(),
    staffing_calendars: z.object({
      builds: z.number(),
      refreshes: z.number(),
      last_refresh: z.object({ customers: z.number(), changes: z.number(), ms: z.number() }).nullable(),
    }).describe('staffing’s stored calendars per time zone (service/staffing/calendar-store.ts): zones built from all data since start-up, catch-ups applied, and the last one (customers recomputed, rows of change applied)'),
  }).describe('the published analysis snapshot: the batch every analysis reflects, how far it lags the newest, and the stored bases (builds counts bases built from all events since start-up; a restart on a stored base adds none)'),
  uptime_seconds: z.number(),
});

export function healthRoutes(ctx: AppContext) {
  ctx.openapi.add({ method: 'get', path: '/v1/health', tag: 'operations', role: 'public', summary: 'Liveness, database reachability and row counts', responses: { 200: { description: 'healthy', schema: Health }, 503: { description: 'database unreachable', schema: Health } } });
  // Only an admin token sees the file's absolute path; in the open mode nobody is identified.
  const fileFor = (authorization: string | undefined) => {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
    return token && lookup(ctx.config.tokens, token) === 'admin' ? ctx.db.path : undefined;
  };
  return new Hono().get('/', async (c) => {
    const file = fileFor(c.req.header('authorization'));
    const s = ctx.ingestion.status();
    const ingestion = {
      queued_requests: s.live.queued_requests,
      queued_rows: s.live.queued_rows,
      oldest_wait_ms: s.live.oldest_wait_ms,
      unapplied_rows: s.live.unapplied_rows,
      log_bytes: s.live.log_bytes,
      log_ms_p99: s.live.log_ms.p99,
      ack_ms_p50: s.live.ack_ms.p50,
      ack_ms_p99: s.live.ack_ms.p99,
      apply_ms_p50: s.live.apply_ms.p50,
      apply_ms_p99: s.live.apply_ms.p99,
      apply_lag_ms_p99: s.live.apply_lag_ms.p99,
      bulk_in_flight: s.bulk_in_flight,
    };
    const lost = ctx.ingestion.integrity;
    const integrity = { ok: !lost, acknowledged_batches: lost?.acknowledged ?? 0, missing_batches: lost?.missingCount ?? 0, first_missing: lost?.missing.slice(0, 10) ?? [] };
    const snapshot = await ctx.engine.upkeep.snapshot().catch(() => ({ batch_id: ctx.engine.upkeep.watermark, committed_at: null, lag_seconds: 0 }));
    const analysis = {
      data_as_of: { batch_id: snapshot.batch_id, committed_at: snapshot.committed_at },
      lag_seconds: snapshot.lag_seconds,
      max_lag_seconds: ctx.config.analysisMaxLagMs / 1000,
      bases: ctx.engine.cache.size,
      ...ctx.engine.cache.counters,
      staffing_calendars: ctx.engine.calendars.counters,
    };
    const base = { ingestion, integrity, analysis, auth: ctx.config.tokens.size ? ('on' as const) : ('open' as const), uptime_seconds: Math.round((Date.now() - ctx.startedAt.getTime()) / 1000) };
    if (ctx.db.fatal) {
      return c.json(Health.parse({ status: 'failed', database: { reachable: false, file, schema_version: null, fatal: ctx.db.fatal }, counts: null, ...base }), 503);
    }
    try {
      const [version, totals] = await Promise.all([
        ctx.db.withConnection(async (conn) => Number((await conn.runAndReadAll(`SELECT max(version) AS v FROM schema_version`)).getRowObjects()[0].v)),
        eventTotals(ctx.db),
      ]);
      return c.json(
        Health.parse({
          status: lost ? 'degraded' : 'ok',
          database: { reachable: true, file, schema_version: version, fatal: null },
          counts: { events: totals.events, customers: totals.customers, rejected_rows: totals.rejected_rows, batches: totals.batches },
          ...base,
        }),
      );
    } catch {
      return c.json(Health.parse({ status: 'degraded', database: { reachable: false, file, schema_version: null, fatal: ctx.db.fatal }, counts: null, ...base }), 503);
    }
  });
}
