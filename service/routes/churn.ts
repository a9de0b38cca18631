/**
 * /v1/churn: the churn analyses (docs/definitions.md). Every endpoint takes the one validated
 * filter set (contracts.ts FilterQuery) and answers JSON, or Arrow IPC for its main table when
 * asked with `Accept: application/vnd.apache.arrow.stream`.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { churnByFactor, doseResponse, drivers, heatmap, survival } from '../analytics/churn.ts';
import {
  ADJUSTMENTS,
  ChurnByFactor,
  Cohorts,
  Dimensions,
  DoseResponse,
  Drivers,
  FACTORS,
  FilterQuery,
  Heatmap,
  PeriodFilterQuery,
  SEGMENT_DIMENSIONS,
  Summary,
  SurvivalCurves,
} from '../analytics/contracts.ts';
import { cohorts, dimensions, summary } from '../analytics/overview.ts';
import { INTERVAL_COLUMNS, intervalBounds, type WithIntervals } from '../analytics/group-rows.ts';
import { respond } from '../http/arrow-response.ts';
import { resultCache } from '../http/result-cache.ts';
import { requireRole } from '../http/auth.ts';
import { ApiError } from '../http/errors.ts';
import { parseAnalysisQuery } from '../http/query.ts';
import { churnByFactorOverPeriods } from '../analytics/period-churn.ts';
import { parsePeriodQuery } from './churn-period.ts';
import type { RouteDoc } from '../http/openapi.ts';

const groupColumns = { key: 'string', n: 'int', churned: 'int', rate: 'float', relative_risk: 'float', risk_difference: 'float', p_value: 'float', is_reference: 'bool' } as const;
const flatGroup = <G extends WithIntervals>(g: G) => ({ ...g, ...intervalBounds(g) });

const FactorParam = z.object({ factor: z.enum(FACTORS) });
const ReferenceQuery = PeriodFilterQuery.extend({ reference: z.string().max(128).optional().describe('reference group (default: automatic / on_time / none, else the largest)') });
const SurvivalQuery = FilterQuery.extend({
  by: z.enum(FACTORS).default('payment_method_class'),
  times: z
    .preprocess(
      (v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).filter((s) => s.trim() !== '').map((s) => Number(s))),
      z.array(z.number().finite().min(0).max(36_500)).min(1).max(100),
    )
    .optional()
    .describe('days at which to report S(t), its 95 % interval and the number at risk exactly (e.g. 180,365,730), as R summary(survfit, times =); in the order given'),
});
const DriversQuery = FilterQuery.extend({
  dimensions: z
    .preprocess((v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).filter(Boolean)), z.array(z.enum(ADJUSTMENTS)).max(8))
    .optional()
    .describe('segment dimensions and behaviours (plan_fit, satisfaction_level) to adjust for (default: age_band, vertical, and tenure_band in the landmark view)'),
  ties: z.enum(['efron', 'breslow']).default('efron'),
});
const HeatmapQuery = FilterQuery.extend({ rows: z.enum(SEGMENT_DIMENSIONS).default('vertical'), factor: z.enum(FACTORS).default('payment_method_class'), reference: z.string().max(128).optional() });

export function churnRoutes(ctx: AppContext) {
  const engine = ctx.engine;
  const read = requireRole(ctx.config.tokens, 'read');
  const cached = resultCache(ctx.db);
  const doc = (d: Omit<RouteDoc, 'role' | 'method' | 'tag'> & { tag?: string }) =>
    ctx.openapi.add({ method: 'get', role: 'read', tag: 'churn', ...d, responses: { ...d.responses, 422: { description: 'the analysis refuses (e.g. a group too small for the model)' } } });

  doc({
    path: '/v1/churn/summary',
    summary: 'Headline KPIs against the previous period, and the monthly trend',
    description:
      'Period = the last horizon_days before as_of, or from–to when given. Churned / churn rate: customers active at the start of the period who cancelled by its end (landmark view: the period is the outcome window); customers and active: at the end of the period; shares of automatic payers, on-time payers and fee exposure are measured over the look-back before the period start. The comparison (compare, default previous_period) is the same computation on the comparison period; with from/to or compare the KPIs also carry previous_n and, for shares, change_ci (95 % Newcombe interval of the change).',
    query: PeriodFilterQuery, responses: { 200: { description: 'KPIs', schema: Summary } } });
  doc({
    path: '/v1/churn/by/{factor}',
    summary: 'Churn rate by factor with Wilson intervals, relative risks (log method), risk differences and chi-square p-values',
    description:
      'With from/to: the landmark window of the period (customers active at from, exposure in the look-back before it, churn by the end of to). With compare (default none here): each group also carries the same group in the comparison period, its rate, and the change with a 95 % Newcombe interval; the reference group is the same in both.',
    pathParams: FactorParam, query: ReferenceQuery, responses: { 200: { description: 'groups', schema: ChurnByFactor } } });
  doc({ path: '/v1/churn/dose-response/{measure}', summary: 'Churn by number of late invoices or fees (0, 1, 2, 3+) with a trend test', pathParams: z.object({ measure: z.enum(['late_invoices', 'fees']) }), query: FilterQuery, responses: { 200: { description: 'groups', schema: DoseResponse } } });
  doc({ path: '/v1/churn/survival', summary: 'Kaplan–Meier curves per group with 95 % log(−log) bands, medians and the log-rank test', query: SurvivalQuery, responses: { 200: { description: 'curves', schema: SurvivalCurves } } });
  doc({ path: '/v1/churn/drivers', summary: 'Cox proportional-hazards model (Efron ties) of the exposures and chosen segments', description: 'Default view: landmark. Refuses with 422 when a level has fewer than 30 customers or 5 churn events, or when the model does not converge.', query: DriversQuery, responses: { 200: { description: 'hazard ratios', schema: Drivers } } });
  doc({ path: '/v1/churn/cohorts', summary: 'Retention by signup month and months since signup', query: FilterQuery, responses: { 200: { description: 'cohorts', schema: Cohorts } } });
  doc({ path: '/v1/churn/heatmap', summary: 'Relative risk of a factor within each value of a segment dimension', query: HeatmapQuery, responses: { 200: { description: 'cells', schema: Heatmap } } });
  doc({ path: '/v1/churn/dimensions', summary: 'Observed values of every segment dimension, and the data range', responses: { 200: { description: 'values', schema: Dimensions } } });

  return new Hono()
    .get('/summary', read, cached, async (c) => {
      const { q, plan } = await parsePeriodQuery(PeriodFilterQuery, c, ctx.db, 'previous_period');
      const body = Summary.parse(await summary(engine, q, plan));
      return respond(c, body, (b) => ({ rows: b.trend, columns: { month: 'string', active_start: 'int', churned: 'int', churn_rate: 'float', payers: 'int', automatic_share: 'float', invoices_due: 'int', on_time_share: 'float' }, metadata: { as_of: b.as_of, kpis: b.kpis } }));
    })
    .get('/by/:factor', read, cached, async (c) => {
      const factor = FactorParam.safeParse({ factor: c.req.param('factor') });
      if (!factor.success) throw new ApiError(400, 'invalid_request', `unknown factor "${c.req.param('factor')}"; one of ${FACTORS.join(', ')}`);
      const { q, plan } = await parsePeriodQuery(ReferenceQuery, c, ctx.db, 'none');
      const body = ChurnByFactor.parse(plan ? await churnByFactorOverPeriods(engine, plan, factor.data.factor, q.reference) : await churnByFactor(engine, q, factor.data.factor, q.reference));
      return respond(c, body, (b) => ({ rows: b.groups.map(flatGroup), columns: { ...groupColumns, ...INTERVAL_COLUMNS }, metadata: { factor: b.factor, view: b.view, as_of: b.as_of, reference: b.reference } }));
    })
    .get('/dose-response/:measure', read, cached, async (c) => {
      const measure = c.req.param('measure');
      if (measure !== 'late_invoices' && measure !== 'fees') throw new ApiError(400, 'invalid_request', 'measure must be late_invoices or fees');
      const body = DoseResponse.parse(await doseResponse(engine, await parseAnalysisQuery(FilterQuery, c, ctx.db), measure));
      return respond(c, body, (b) => ({ rows: b.groups.map(flatGroup), columns: { ...groupColumns, ...INTERVAL_COLUMNS, count_min: 'int', count_max: 'int' }, metadata: { measure: b.measure, trend: b.trend } }));
    })
    .get('/survival', read, cached, async (c) => {
      const q = await parseAnalysisQuery(SurvivalQuery, c, ctx.db);
      const body = SurvivalCurves.parse(await survival(engine, q, q.by, q.times));
      return respond(c, body, (b) => ({
        rows: b.curves.flatMap((cv) => cv.points.map((p) => ({ key: cv.key, ...p }))),
        columns: { key: 'string', t_days: 'float', survival: 'float', lower: 'float', upper: 'float', at_risk: 'int' },
        metadata: { by: b.by, log_rank: b.log_rank, medians: Object.fromEntries(b.curves.map((cv) => [cv.key, cv.median_days])) },
      }));
    })
    .get('/drivers', read, cached, async (c) => {
      const q = await parseAnalysisQuery(DriversQuery, c, ctx.db);
      const body = Drivers.parse(await drivers(engine, q, q.dimensions, q.ties));
      return respond(c, body, (b) => ({
        rows: b.terms.map((t) => ({ ...t, hr_lower: t.hr_ci[0], hr_upper: t.hr_ci[1] })),
        columns: { term: 'string', factor: 'string', level: 'string', reference: 'string', n: 'int', coef: 'float', se: 'float', hazard_ratio: 'float', hr_lower: 'float', hr_upper: 'float', p_value: 'float' },
        metadata: { n: b.n, events: b.events, concordance: b.concordance, loglik: b.loglik },
      }));
    })
    .get('/cohorts', read, cached, async (c) => {
      const body = Cohorts.parse(await cohorts(engine, await parseAnalysisQuery(FilterQuery, c, ctx.db)));
      return respond(c, body, (b) => ({
        rows: b.cohorts.flatMap((co) => co.retention.map((r) => ({ signup_month: co.signup_month, n: co.n, months_since: r.months_since, active: r.active, share: r.share }))),
        columns: { signup_month: 'string', n: 'int', months_since: 'int', active: 'int', share: 'float' },
      }));
    })
    .get('/heatmap', read, cached, async (c) => {
      const q = await parseAnalysisQuery(HeatmapQuery, c, ctx.db);
      const body = Heatmap.parse(await heatmap(engine, q, q.rows, q.factor, q.reference));
      return respond(c, body, (b) => ({ rows: b.cells.map(flatGroup), columns: { row_key: 'string', ...groupColumns, ...INTERVAL_COLUMNS }, metadata: { rows: b.rows, factor: b.factor, reference: b.reference } }));
    })
    .get('/dimensions', read, cached, async (c) => c.json(Dimensions.parse(await dimensions(engine))));
}
