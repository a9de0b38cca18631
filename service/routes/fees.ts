/**
 * /v1/fees: whether the reminder fee pays, per vertical: fee revenue against the value of churn
 * attributable to fees and the handling cost of reminders and fee contacts, JSON or Arrow. Money is
 * converted to the reporting currency with the offer catalogue's exchange rates, never summed raw.
 */
import { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import { FeeEconomics, FeeEconomicsQuery, FilterQuery } from '../analytics/contracts.ts';
import { feeEconomics } from '../analytics/overview.ts';
import { loadCatalogue } from '../offers/catalogue.ts';
import { respond } from '../http/arrow-response.ts';
import { requireRole } from '../http/auth.ts';
import { parseAnalysisQuery } from '../http/query.ts';
import { resultCache } from '../http/result-cache.ts';

export function feeRoutes(ctx: AppContext) {
  const engine = ctx.engine;
  const Query = FilterQuery.extend(FeeEconomicsQuery.shape);
  ctx.openapi.add({ method: 'get', path: '/v1/fees/economics', tag: 'churn', role: 'read', summary: 'Fee revenue against the value of churn attributable to fees and the handling cost of reminders and fee contacts, per vertical', description: 'Every money figure is in the reporting currency of the offer catalogue (GET /v1/offers/catalogue): each billing currency is converted with its exchange rate before anything is summed, and a currency without a rate is left out of the money figures and listed (unconverted). by_currency breaks each vertical down in its own currencies.', query: Query, responses: { 200: { description: 'economics', schema: FeeEconomics } } });
  return new Hono().get('/economics', requireRole(ctx.config.tokens, 'read'), resultCache(ctx.db), async (c) => {
    const q = await parseAnalysisQuery(Query, c, ctx.db);
    const { reporting_currency, exchange_rates } = (await loadCatalogue(ctx.db)).document;
    const body = FeeEconomics.parse(await feeEconomics(engine, q, q, { reporting_currency, exchange_rates }));
    return respond(c, body, (b) => ({
      rows: b.verticals,
      columns: { vertical: 'string', customers: 'int', fee_customers: 'int', fees: 'int', fee_revenue: 'money', reminders: 'int', fee_contacts: 'int', handling_cost: 'money', attributable_churned: 'float', attributable_churn_value: 'money', net: 'money' },
      metadata: { parameters: b.parameters, currency: b.currency, exchange_rates: b.exchange_rates, unconverted_currencies: b.unconverted_currencies },
    }));
  });
}
