/**
 * GET /v1/health: liveness, whether the database answers, and row counts. Public, so load
 * balancers can probe it; it reveals counts only, no data and no paths (the database file is
 * named to admin tokens only).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { lookup } from '../http/auth.ts';

const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ reachable: z.boolean(), file: z.string().optional().describe('the database path: shown to admin callers only'), schema_version: z.number().nullable() }),
  counts: z.object({ events: z.number(), customers: z.number(), rejected_rows: z.number(), batches: z.number() }).nullable(),
  auth: z.enum(['on', 'open']),
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
    const base = { auth: ctx.config.tokens.size ? ('on' as const) : ('open' as const), uptime_seconds: Math.round((Date.now() - ctx.startedAt.getTime()) / 1000) };
    try {
      const r = await ctx.db.withConnection(async (conn) =>
        (
          await conn.runAndReadAll(`SELECT (SELECT max(version) FROM schema_version) AS v, (SELECT count(*) FROM events) AS events,
            (SELECT count(DISTINCT customer_id) FROM events) AS customers, (SELECT count(*) FROM rejected_rows) AS rejected,
            (SELECT count(*) FROM ingest_batches) AS batches`)
        ).getRowObjects()[0],
      );
      return c.json(
        Health.parse({
          status: 'ok',
          database: { reachable: true, file, schema_version: Number(r.v) },
          counts: { events: Number(r.events), customers: Number(r.customers), rejected_rows: Number(r.rejected), batches: Number(r.batches) },
          ...base,
        }),
      );
    } catch {
      return c.json(Health.parse({ status: 'degraded', database: { reachable: false, file, schema_version: null }, counts: null, ...base }), 503);
    }
  });
}
