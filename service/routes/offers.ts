/**
 * /v1/offers: invoice offer recommendations for marketers (docs/recommendations.md, issue #6) — the catalogue
 * (read; replace: admin), the risk model report, ranked recommendations, the audience as JSON pages
 * or a streamed CSV, and past offer performance. Every GET takes the shared filter parameters
 * (as_of, lookback_days, horizon_days and the segment dimensions; `view` is accepted and ignored:
 * the risk model is always the landmark view).
 */
import { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import { respond } from '../http/arrow-response.ts';
import { adminBodyLimit } from '../http/admin-body.ts';
import { requireRole } from '../http/auth.ts';
import { ApiError, zodDetails } from '../http/errors.ts';
import { audienceCsv, audiencePage, CSV_HEADER } from '../offers/audience.ts';
import { catalogueResponse, loadCatalogue, saveCatalogue } from '../offers/catalogue.ts';
import {
  AudienceCsvQuery,
  AudiencePage,
  AudienceQuery,
  CatalogueDocument,
  CatalogueResponse,
  OffersQuery,
  Performance,
  PerformanceQuery,
  Recommendations,
  RecommendationsQuery,
  RiskModel,
} from '../offers/contracts.ts';
import { modelReport } from '../offers/customer-risk.ts';
import { offerEngineFor, type OfferState } from '../offers/engine.ts';
import { offerPerformance } from '../offers/performance.ts';
import { recommendations } from '../offers/recommend.ts';
import { parseQuery } from '../http/query.ts';

function knownOffer(state: OfferState, offerId: string | undefined): OfferState {
  if (offerId && !state.evaluations.some((e) => e.offer.id === offerId)) {
    throw new ApiError(400, 'invalid_request', `unknown offer_id "${offerId}"`, [{ path: 'offer_id', message: `one of ${state.evaluations.map((e) => e.offer.id).join(', ')}` }]);
  }
  return state;
}

export function offerRoutes(ctx: AppContext) {
  const offers = offerEngineFor(ctx.engine);
  const read = requireRole(ctx.config.tokens, 'read');
  const admin = requireRole(ctx.config.tokens, 'admin');
  const doc = ctx.openapi.add.bind(ctx.openapi);
  const refuses = { 422: { description: 'the risk model cannot be fitted (too little churn history in the window)' } };

  doc({ method: 'get', path: '/v1/offers/catalogue', tag: 'offers', role: 'read', summary: 'The offer catalogue: targeting rules, behaviours, acceptance, costs, eligibility limits, and the rule columns and operators', responses: { 200: { description: 'the catalogue', schema: CatalogueResponse } } });
  doc({
    method: 'put',
    path: '/v1/offers/catalogue',
    tag: 'offers',
    role: 'admin',
    summary: 'Replace the offer catalogue (saved as a new version)',
    description: 'Rules are {column, op, value} conditions or {all|any: [rules]} / {not: rule} over the allow-listed columns. 400 with the path of every problem.',
    body: { description: 'the complete catalogue', content: { 'application/json': CatalogueDocument } },
    responses: { 200: { description: 'the catalogue after the change', schema: CatalogueResponse } },
  });
  doc({ method: 'get', path: '/v1/offers/model', tag: 'offers', role: 'read', summary: 'The churn-risk model: coefficients, and concordance, AUC and calibration by decile on a later held-out window', query: OffersQuery, responses: { 200: { description: 'the model', schema: RiskModel }, ...refuses } });
  doc({
    method: 'get',
    path: '/v1/offers/recommendations',
    tag: 'offers',
    role: 'read',
    summary: 'Ranked offers: audience size, mean risk, expected saved customers and net monthly revenue with intervals, and the evidence',
    description: 'One offer per customer (the eligible offer of highest positive expected value). Arrow: one row per offer.',
    query: RecommendationsQuery,
    responses: { 200: { description: 'recommendations', schema: Recommendations }, ...refuses },
  });
  doc({ method: 'get', path: '/v1/offers/audience', tag: 'offers', role: 'read', summary: 'The audience (customers with their best offer), paged and sorted', query: AudienceQuery, responses: { 200: { description: 'a page', schema: AudiencePage }, ...refuses } });
  doc({
    method: 'get',
    path: '/v1/offers/audience.csv',
    tag: 'offers',
    role: 'read',
    summary: 'The audience as CSV, streamed; the same rows and order as /v1/offers/audience',
    description: `Columns: ${CSV_HEADER}. Expected value is net monthly, in the catalogue's reporting currency.`,
    query: AudienceCsvQuery,
    responses: { 200: { description: 'CSV', contentType: 'text/csv' }, ...refuses },
  });
  doc({ method: 'get', path: '/v1/offers/performance', tag: 'offers', role: 'read', summary: 'Past offer performance per offer (× segment): acceptance with intervals, churn after acceptance against those shown who did not accept (observational)', query: PerformanceQuery, responses: { 200: { description: 'performance', schema: Performance } } });

  return new Hono()
    .get('/catalogue', read, async (c) => c.json(CatalogueResponse.parse(catalogueResponse(await loadCatalogue(ctx.db)))))
    .put('/catalogue', admin, adminBodyLimit(ctx.config.maxAdminBodyBytes), async (c) => {
      const body = CatalogueDocument.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success) throw new ApiError(400, 'invalid_request', 'the catalogue is invalid; see details for each problem', zodDetails(body.error));
      return c.json(CatalogueResponse.parse(catalogueResponse(await saveCatalogue(ctx.db, body.data))));
    })
    .get('/model', read, async (c) => c.json(RiskModel.parse(await modelReport(offers, parseQuery(OffersQuery, c)))))
    .get('/recommendations', read, async (c) => {
      const q = parseQuery(RecommendationsQuery, c);
      const body = Recommendations.parse(await recommendations(ctx.engine, await offers.state(q), q, q.by));
      return respond(c, body, (b) => ({
        rows: b.offers.map((o) => ({
          ...o,
          saved_lower: o.expected_saved_customers_ci?.[0] ?? null,
          saved_upper: o.expected_saved_customers_ci?.[1] ?? null,
          revenue_lower: o.expected_saved_revenue_monthly_ci?.[0] ?? null,
          revenue_upper: o.expected_saved_revenue_monthly_ci?.[1] ?? null,
        })),
        columns: {
          offer_id: 'string',
          rank: 'int',
          status: 'string',
          targeted: 'int',
          eligible: 'int',
          audience_size: 'int',
          mean_risk: 'float',
          acceptance_rate: 'float',
          expected_saved_customers: 'float',
          saved_lower: 'float',
          saved_upper: 'float',
          expected_saved_revenue_monthly: 'money',
          revenue_lower: 'money',
          revenue_upper: 'money',
        },
        metadata: { as_of: b.as_of, currency: b.currency, horizon_days: b.horizon_days },
      }));
    })
    .get('/audience', read, async (c) => {
      const q = parseQuery(AudienceQuery, c);
      const state = knownOffer(await offers.state(q), q.offer_id);
      return c.json(AudiencePage.parse(await audiencePage(ctx.engine, state, q, q)));
    })
    .get('/audience.csv', read, async (c) => {
      const q = parseQuery(AudienceCsvQuery, c);
      const state = knownOffer(await offers.state(q), q.offer_id);
      const name = `audience-${q.offer_id ?? 'all'}-${state.asOf}.csv`;
      return new Response(audienceCsv(ctx.engine, state, q, q), {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' },
      });
    })
    .get('/performance', read, async (c) => {
      const q = parseQuery(PerformanceQuery, c);
      return c.json(Performance.parse(await offerPerformance(ctx.engine, q, q.by)));
    });
}
