/**
 * The Hono application: the API under /v1 (one sub-app per domain, mounted with `route`), the
 * OpenAPI document, and the built dashboard at /. The dashboard's client (web/src/lib/api.ts) is
 * typed by the zod contracts the routes validate with, not by the route tree.
 */
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from './app-context.ts';
import { errorBody, handleError } from './http/errors.ts';
import { freshness } from './http/freshness.ts';
import { churnRoutes } from './routes/churn.ts';
import { noSymlinks } from './http/no-symlinks.ts';
import { inlineScriptHashes, securityHeaders } from './http/security-headers.ts';
import { customerRoutes } from './routes/customers.ts';
import { engagementRoutes } from './routes/engagement.ts';
import { eventRoutes, readAfterWrites } from './routes/events.ts';
import { exportRoutes } from './routes/export.ts';
import { feeRoutes } from './routes/fees.ts';
import { healthRoutes } from './routes/health.ts';
import { ingestionStatusRoutes } from './routes/ingestion.ts';
import { offerRoutes } from './routes/offers.ts';
import { qualityRoutes } from './routes/quality.ts';
import { rejectedRoutes } from './routes/rejected.ts';
import { settingsRoutes } from './routes/settings.ts';
import { shiftRoutes } from './routes/shifts.ts';
import { operationsRoutes, staffingRoutes } from './routes/staffing.ts';
import { viewRoutes } from './routes/views.ts';
import { alertRoutes } from './routes/alerts.ts';
import { revenueRoutes } from './routes/revenue.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { adminRoutes } from './routes/admin.ts';
import { sessionRoutes } from './routes/session.ts';
import { timing } from 'hono/timing';

/** Route prefixes whose GET answers are analyses of the published snapshot. */
const ANALYTICAL_PREFIXES = ['churn', 'engagement', 'fees', 'offers', 'customers', 'staffing', 'operations', 'revenue', 'data-quality'] as const;
/**
 * Route prefixes that never read the events: they need not wait for acknowledged live rows to be
 * applied (under a 200 events/s trickle, /v1/alerts, asked by every page, waited behind the
 * applier). Settings is not one: its payment-method report counts the labels in the events.
 */
const NO_EVENT_READS = ['alerts', 'views', 'session'] as const;
const under = (path: string, prefixes: readonly string[]) => prefixes.some((p) => path === `/v1/${p}` || path.startsWith(`/v1/${p}/`));

export const WEB_BUILD_DIR = path.resolve(import.meta.dirname, '../web/build');

export function createApp(ctx: AppContext) {
  // Analytical answers carry the snapshot they reflect (data_as_of, lag_seconds): http/freshness.ts.
  const fresh = freshness(ctx.engine);
  const api = new Hono();
  // GET answers say how long the service spent on them (`Server-Timing: total`), so that a page's
  // slow request can be told apart from the browser's own wait for one of its six connections per
  // host. Writes skip it: it is per-request cost on the live ingestion path.
  const serverTime = timing({ totalDescription: 'service' });
  api.use('*', (c, next) => (c.req.method === 'GET' ? serverTime(c, next) : next()));
  // Reads see every live row acknowledged before them, except analyses within their staleness bound (they read the published snapshot).
  api.use('*', readAfterWrites(ctx, (path) => under(path, NO_EVENT_READS) || (ctx.config.analysisMaxLagMs > 0 && under(path, ANALYTICAL_PREFIXES))));
  for (const prefix of ANALYTICAL_PREFIXES) api.use(`/${prefix}/*`, fresh);
  api
    .route('/events', eventRoutes(ctx))
    .route('/rejected', rejectedRoutes(ctx))
    .route('/health', healthRoutes(ctx))
    .route('/session', sessionRoutes(ctx))
    .route('/settings', settingsRoutes(ctx))
    .route('/admin', adminRoutes(ctx))
    .route('/export', exportRoutes(ctx))
    .route('/ingestion', ingestionStatusRoutes(ctx))
    .route('/data-quality', qualityRoutes(ctx))
    .route('/churn', churnRoutes(ctx))
    .route('/engagement', engagementRoutes(ctx))
    .route('/fees', feeRoutes(ctx))
    .route('/offers/campaigns', campaignRoutes(ctx))
    .route('/offers', offerRoutes(ctx))
    .route('/customers', customerRoutes(ctx))
    .route('/staffing', staffingRoutes(ctx))
    .route('/staffing', shiftRoutes(ctx))
    .route('/operations', operationsRoutes(ctx))
    .route('/views', viewRoutes(ctx))
    .route('/alerts', alertRoutes(ctx))
    .route('/revenue', revenueRoutes(ctx));
  api.get('/openapi.json', (c) => c.json(ctx.openapi.document()));
  ctx.openapi.add({ method: 'get', path: '/v1/openapi.json', tag: 'operations', role: 'public', summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } });

  const app = new Hono();
  app.use('*', securityHeaders(inlineScriptHashes(path.join(WEB_BUILD_DIR, 'index.html'))));
  app.onError((error, c) => handleError(error, c, ctx.config.debugLogs));
  app.route('/v1', api);
  app.all('/v1/*', (c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404));
  if (fs.existsSync(WEB_BUILD_DIR)) {
    const root = path.relative(process.cwd(), WEB_BUILD_DIR);
    app.use('/*', noSymlinks(WEB_BUILD_DIR));
    app.use('/*', serveStatic({ root }));
    // Client-side routes (/drivers, /fees, …) all load the single-page shell.
    app.get('/*', serveStatic({ root, rewriteRequestPath: () => '/index.html' }));
  }
  return app;
}
