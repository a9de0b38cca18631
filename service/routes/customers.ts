/**
 * /v1/customers: the drill-down list behind any figure of the analyses (read; JSON pages or a
 * streamed CSV), one customer's page (timeline, segments, risk, offer; read), their churn risk with
 * the facts behind it and the recommended offer (read), and the GDPR erasure of everything stored
 * about them (admin, docs/api.md).
 */
import { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import { requireRole } from '../http/auth.ts';
import { ApiError } from '../http/errors.ts';
import { eraseCustomer } from '../customers/erasure.ts';
import { CustomerParam, CustomerRisk, ErasureResult, OffersQuery } from '../offers/contracts.ts';
import { customerRiskReport } from '../offers/customer-risk.ts';
import { offerEngineFor } from '../offers/engine.ts';
import { parseQuery } from '../http/query.ts';
import { CustomerPage, CustomerQuery, DrillPage, DrillQuery } from '../customers/contracts.ts';
import { customerPage } from '../customers/customer-page.ts';
import { drillDownCsv, drillDownPage } from '../customers/drill-down.ts';

function customerId(raw: string): string {
  const parsed = CustomerParam.safeParse({ id: raw });
  if (!parsed.success) throw new ApiError(400, 'invalid_request', 'a customer id is 1–128 characters', [{ path: 'id', message: parsed.error.issues[0].message }]);
  return parsed.data.id;
}

export function customerRoutes(ctx: AppContext) {
  const offers = offerEngineFor(ctx.engine);
  ctx.openapi.add({
    method: 'get',
    path: '/v1/customers/{id}/risk',
    tag: 'offers',
    role: 'read',
    summary: "A customer's churn risk within the horizon, the model factors and facts behind it, and the recommended offer",
    description: 'Churned customers answer with status "churned" and no risk; unknown ids 404.',
    pathParams: CustomerParam,
    query: OffersQuery,
    responses: { 200: { description: 'risk', schema: CustomerRisk }, 404: { description: 'no such customer' }, 422: { description: 'the risk model cannot be fitted' } },
  });
  ctx.openapi.add({
    method: 'get',
    path: '/v1/customers',
    tag: 'customers',
    role: 'read',
    summary: 'The customers behind a figure (drill-down): the analyses\' filters plus the clicked group, paged and sorted, or streamed as CSV',
    description:
      'One group at a time: `factor`+`level` (a bar of /v1/churn/by/{factor}; with `outcome=churned` its churners), plus `factor2`+`level2` (a heat-map cell: factor2 is the row dimension), `cohort` (+`month`: a cell of /v1/churn/cohorts, the customers still active then), or `kpi` (an Overview KPI of /v1/churn/summary; for a share, its numerator). The window follows the analysis that drew the figure: `view` as given (default lifetime) for factors, lifetime for cohorts, and for KPIs the summary\'s own (customers and active: lifetime; the others: landmark). `figure` repeats the clicked number as that analysis computes it; `total` equals its count. Pages are stable (ties broken by customer id). CSV: `format=csv` or `Accept: text/csv`; text cells are quoted, and one starting with = + - @ gets a leading apostrophe.',
    query: DrillQuery,
    responses: { 200: { description: 'one page of the list', schema: DrillPage }, 400: { description: 'the parameters name no single group' } },
  });
  ctx.openapi.add({
    method: 'get',
    path: '/v1/customers/{id}',
    tag: 'customers',
    role: 'read',
    summary: "One customer's page: the timeline of their events, their invoices with lateness, current segments and exposures, and the risk score with the recommended offer",
    description: `The timeline is newest first, up to \`limit\` events per request (default 200, at most 1 000; page with offset); \`timeline.total\` and \`by_type\` count everything stored. \`risk\` is the answer of /v1/customers/{id}/risk, null (with \`risk_note\`) when the model declines the window. Unknown and erased customers answer 404 \`customer_not_found\`: erasure keeps no trace of the id, so the two cannot be told apart.`,
    pathParams: CustomerParam,
    query: CustomerQuery,
    responses: { 200: { description: 'the customer', schema: CustomerPage }, 404: { description: 'no such customer (never seen, or erased)' } },
  });
  ctx.openapi.add({
    method: 'delete',
    path: '/v1/customers/{id}',
    tag: 'privacy',
    role: 'admin',
    summary: "Erase a customer (GDPR): their events, rejected rows carrying their id and every derived fact, in one transaction",
    pathParams: CustomerParam,
    responses: { 200: { description: 'rows erased per table', schema: ErasureResult }, 404: { description: 'nothing stored about this customer' } },
  });
  return new Hono()
    .get('/', requireRole(ctx.config.tokens, 'read'), async (c) => {
      const q = parseQuery(DrillQuery, c);
      const csv = q.format === 'csv' || (q.format === undefined && /\btext\/csv\b/.test(c.req.header('accept') ?? ''));
      if (!csv) return c.json(DrillPage.parse(await drillDownPage(ctx.engine, q)));
      const { stream, asOf } = await drillDownCsv(ctx.engine, q);
      return new Response(stream, {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="customers-${asOf}.csv"`, 'cache-control': 'no-store' },
      });
    })
    .get('/:id', requireRole(ctx.config.tokens, 'read'), async (c) => {
      const id = customerId(c.req.param('id'));
      const q = parseQuery(CustomerQuery, c);
      const filters = OffersQuery.parse({ as_of: q.as_of, lookback_days: q.lookback_days, horizon_days: q.horizon_days });
      return c.json(CustomerPage.parse(await customerPage(ctx.engine, id, q, async () => customerRiskReport(ctx.engine, await offers.state(filters), id))));
    })
    .get('/:id/risk', requireRole(ctx.config.tokens, 'read'), async (c) => {
      const id = customerId(c.req.param('id'));
      const q = parseQuery(OffersQuery, c);
      return c.json(CustomerRisk.parse(await customerRiskReport(ctx.engine, await offers.state(q), id)));
    })
    .delete('/:id', requireRole(ctx.config.tokens, 'admin'), async (c) => {
      const id = customerId(c.req.param('id'));
      const result = await eraseCustomer(ctx.engine, id);
      if (!result) throw new ApiError(404, 'not_found', `nothing is stored about customer ${id}`);
      return c.json(ErasureResult.parse(result));
    });
}
