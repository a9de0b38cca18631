/**
 * /v1/engagement: how customers pay and respond (payment-method mix by segment, invoice views by
 * channel, contact mix), over the same filter set as the churn analyses, JSON or Arrow.
 */
import { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import { Engagement, FilterQuery } from '../analytics/contracts.ts';
import { engagement } from '../analytics/overview.ts';
import { respond } from '../http/arrow-response.ts';
import { requireRole } from '../http/auth.ts';
import { parseAnalysisQuery } from '../http/query.ts';
import { resultCache } from '../http/result-cache.ts';

export function engagementRoutes(ctx: AppContext) {
  const engine = ctx.engine;
  ctx.openapi.add({ method: 'get', path: '/v1/engagement', tag: 'churn', role: 'read', summary: 'How customers pay and respond: payment-method mix by segment, invoice views by channel, contact mix, customers whose only contact is the invoice', query: FilterQuery, responses: { 200: { description: 'engagement', schema: Engagement } } });
  return new Hono().get('/', requireRole(ctx.config.tokens, 'read'), resultCache(ctx.db), async (c) => {
    const body = Engagement.parse(await engagement(engine, await parseAnalysisQuery(FilterQuery, c, ctx.db)));
    return respond(c, body, (b) => ({ rows: b.payment_method_mix, columns: { dimension: 'string', segment: 'string', method_class: 'string', customers: 'int', share: 'float' } }));
  });
}
