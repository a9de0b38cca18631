/**
 * /v1/offers/campaigns (issue 15 hold-outs): export an offer audience as a campaign that holds out
 * a reproducible random share (seeded by the campaign id), download its members by group, and
 * measure the uplift against the hold-out (experimental, intent-to-treat). See
 * service/offers/campaigns.ts. Reads and creation are under the read role, like the audience
 * export they extend.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { FilterQuery } from '../analytics/contracts.ts';
import { adminBodyLimit } from '../http/admin-body.ts';
import { requireRole } from '../http/auth.ts';
import { ApiError, zodDetails } from '../http/errors.ts';
import { campaignMembersCsv, campaignReport, createCampaign, listCampaigns } from '../offers/campaigns.ts';
import { offerEngineFor } from '../offers/engine.ts';
import { ViewFilters } from '../views/contracts.ts';

const CampaignId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ - (1–64, starting with a letter or digit)');
const CreateCampaign = z
  .object({
    campaign_id: CampaignId.describe('seeds the hold-out: the same id holds out the same customers'),
    offer_id: z.string().min(1).max(64).optional().describe('only the audience of this offer (default: every customer with a best offer)'),
    holdout_share: z.number().min(0.01).max(0.5).default(0.1),
    // The same bound as the audience's filter: beyond it the value overflowed the SQL's DECIMAL (a 500, found by schemathesis).
    min_expected_value: z.number().min(0).max(1e12).optional(),
    filters: ViewFilters.default({}).describe('the audience filters (as the analyses take them)'),
  })
  .strict();
const Interval = z.tuple([z.number(), z.number()]);
const Group = z.object({ members: z.number().int(), shown: z.number().int(), accepted: z.number().int(), churned: z.number().int(), churn_rate: z.number().nullable(), churn_rate_ci: Interval.nullable() });
export const CampaignReportSchema = z.object({
  campaign_id: z.string(),
  offer_id: z.string().nullable(),
  holdout_share: z.number(),
  as_of: z.string(),
  filters: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  observed_until: z.string(),
  days_observed: z.number().int(),
  evidence: z.literal('experimental'),
  treatment: Group,
  holdout: Group,
  realised_holdout_share: z.number().nullable(),
  relative_risk: z.number().nullable().describe('treatment churn over hold-out churn'),
  rr_ci: Interval.nullable(),
  p_value: z.number().nullable(),
  churn_prevented: z.number().nullable().describe('hold-out rate − treatment rate'),
  churn_prevented_ci: Interval.nullable().describe('95 % Newcombe hybrid score interval'),
  note: z.string(),
});
const IdParam = z.object({ id: CampaignId });

export function campaignRoutes(ctx: AppContext) {
  const read = requireRole(ctx.config.tokens, 'read');
  const offers = offerEngineFor(ctx.engine);
  const add = ctx.openapi.add.bind(ctx.openapi);
  add({
    method: 'post',
    path: '/v1/offers/campaigns',
    tag: 'offers',
    role: 'read',
    summary: 'Export an audience as a campaign with a reproducible hold-out group',
    description: 'A customer is held out when md5(campaign_id:customer_id) (first 13 hex digits / 2^52) < holdout_share. The members are stored; send the offer to the treatment group only (members.csv?group=treatment).',
    body: { description: 'the campaign', content: { 'application/json': CreateCampaign } },
    responses: { 201: { description: 'the campaign report', schema: CampaignReportSchema }, 409: { description: 'the campaign id exists' } },
  });
  add({ method: 'get', path: '/v1/offers/campaigns', tag: 'offers', role: 'read', summary: 'Every campaign with its uplift against the hold-out, newest first', responses: { 200: { description: 'the reports', schema: z.object({ campaigns: z.array(CampaignReportSchema) }) } } });
  add({ method: 'get', path: '/v1/offers/campaigns/{id}', tag: 'offers', role: 'read', summary: 'Uplift against the hold-out (experimental, intent-to-treat)', pathParams: IdParam, responses: { 200: { description: 'the report', schema: CampaignReportSchema }, 404: { description: 'no such campaign' } } });
  add({
    method: 'get',
    path: '/v1/offers/campaigns/{id}/members.csv',
    tag: 'offers',
    role: 'read',
    summary: 'The campaign members with their group',
    pathParams: IdParam,
    query: z.object({ group: z.enum(['treatment', 'holdout', 'all']).default('treatment') }),
    responses: { 200: { description: 'CSV', contentType: 'text/csv' }, 404: { description: 'no such campaign' } },
  });
  const id = (raw: string) => {
    const p = IdParam.safeParse({ id: raw });
    if (!p.success) throw new ApiError(400, 'invalid_request', 'invalid campaign id', zodDetails(p.error));
    return p.data.id;
  };
  return new Hono()
    .post('/', read, adminBodyLimit(ctx.config.maxAdminBodyBytes), async (c) => {
      const parsed = CreateCampaign.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) throw new ApiError(400, 'invalid_request', 'expected {"campaign_id", "holdout_share", "offer_id"?, "filters"?}', zodDetails(parsed.error));
      const b = parsed.data;
      const filters = FilterQuery.parse(b.filters);
      const state = await offers.state(filters);
      if (b.offer_id && !state.evaluations.some((e) => e.offer.id === b.offer_id)) throw new ApiError(400, 'invalid_request', `unknown offer_id "${b.offer_id}"`);
      return c.json(CampaignReportSchema.parse(await createCampaign(ctx.engine, state, filters, b, b.filters)), 201);
    })
    .get('/', read, async (c) => c.json({ campaigns: (await listCampaigns(ctx.engine)).map((r) => CampaignReportSchema.parse(r)) }))
    .get('/:id', read, async (c) => c.json(CampaignReportSchema.parse(await campaignReport(ctx.engine, id(c.req.param('id'))))))
    .get('/:id/members.csv', read, async (c) => {
      const campaign = id(c.req.param('id'));
      const g = z.enum(['treatment', 'holdout', 'all']).default('treatment').safeParse(c.req.query('group'));
      if (!g.success) throw new ApiError(400, 'invalid_request', 'group is treatment, holdout or all');
      return new Response(await campaignMembersCsv(ctx.engine, campaign, g.data), {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="campaign-${campaign}-${g.data}.csv"`, 'cache-control': 'no-store' },
      });
    });
}
