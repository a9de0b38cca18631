/**
 * /v1/revenue: revenue-weighted churn, MRR movements per month and cancellation reasons by
 * segment (issue 15), under the read role, with the shared filter set. Money is in the offer
 * catalogue's reporting currency at its exchange rates; see service/revenue/revenue.ts.
 */
import { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import { requireRole } from '../http/auth.ts';
import { parseQuery } from '../http/query.ts';
import { resultCache } from '../http/result-cache.ts';
import { CancellationReasons, MovementsQuery, MrrMovements, ReasonsQuery, RevenueChurn, RevenueChurnQuery } from '../revenue/contracts.ts';
import { cancellationReasons, mrrMovements, revenueChurn } from '../revenue/revenue.ts';

export function revenueRoutes(ctx: AppContext) {
  const read = requireRole(ctx.config.tokens, 'read');
  const cached = resultCache(ctx.db);
  const add = ctx.openapi.add.bind(ctx.openapi);
  add({
    method: 'get',
    path: '/v1/revenue/churn',
    tag: 'revenue',
    role: 'read',
    summary: 'Revenue-weighted churn (lost MRR over MRR at risk) overall and by a factor, with 95 % delta-method intervals beside the customer churn rate',
    description: 'Landmark view: MRR at the landmark (as_of − horizon_days) of customers active then; lost when they churned within the horizon. Money in the offer catalogue\'s reporting currency.',
    query: RevenueChurnQuery,
    responses: { 200: { description: 'revenue churn', schema: RevenueChurn } },
  });
  add({
    method: 'get',
    path: '/v1/revenue/mrr-movements',
    tag: 'revenue',
    role: 'read',
    summary: 'MRR per month with its movements: new, expansion, contraction, churned (end = start + new + expansion − contraction − churned, exactly)',
    query: MovementsQuery,
    responses: { 200: { description: 'months', schema: MrrMovements } },
  });
  add({
    method: 'get',
    path: '/v1/revenue/cancellation-reasons',
    tag: 'revenue',
    role: 'read',
    summary: 'Reasons given by the customers who churned within the horizon, overall and by a segment dimension, with shares (95 % Wilson) and lost MRR',
    query: ReasonsQuery,
    responses: { 200: { description: 'reasons', schema: CancellationReasons } },
  });
  return new Hono()
    .get('/churn', read, cached, async (c) => {
      const q = parseQuery(RevenueChurnQuery, c);
      return c.json(RevenueChurn.parse(await revenueChurn(ctx.engine, q, q.by)));
    })
    .get('/mrr-movements', read, cached, async (c) => c.json(MrrMovements.parse(await mrrMovements(ctx.engine, parseQuery(MovementsQuery, c)))))
    .get('/cancellation-reasons', read, cached, async (c) => {
      const q = parseQuery(ReasonsQuery, c);
      return c.json(CancellationReasons.parse(await cancellationReasons(ctx.engine, q, q.by)));
    });
}
