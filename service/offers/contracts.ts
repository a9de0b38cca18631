/**
 * Request and response schemas of the offers API (docs/recommendations.md, issue #6): the offer catalogue with
 * its targeting rules, the churn-risk model report, the ranked recommendations, the audience (JSON
 * pages and CSV), past offer performance and the per-customer risk. Routes validate with these,
 * the OpenAPI document is generated from them and the dashboard imports the inferred types
 * (type-only), exactly as analytics/contracts.ts does for the churn analyses. Targeting rules are
 * data over an allow-list of columns and operators, so nothing a user types becomes SQL text.
 */
import { z } from 'zod';
import { FilterQuery, SEGMENT_DIMENSIONS } from '../analytics/contracts.ts';

// ─── Targeting rules ────────────────────────────────────────────────────────────────────────────

export type ColumnType = 'string' | 'number' | 'boolean';

/**
 * Columns a rule may test: those of the analysis base (queries/analysis_base.sql) plus the few
 * offer features computed in queries/offers/offer_facts.sql. `risk` exists only once customers are
 * scored, so it may appear in a target rule but not in a behaviour (measured on the landmark base).
 */
export const RULE_COLUMNS = {
  vertical: { type: 'string', description: 'telecom, broadband, energy, alarm, other' },
  market: { type: 'string', description: 'ISO 3166-1 alpha-2' },
  age_band: { type: 'string', description: '18-29, 30-49, 50-79, 80+, unknown' },
  tenure_band: { type: 'string', description: '<1y, 1-2y, 2+y' },
  segment: { type: 'string', description: 'customer segment (e.g. consumer, business)' },
  plan: { type: 'string', description: 'current plan' },
  currency: { type: 'string', description: 'billing currency (ISO 4217)' },
  invoice_channel: { type: 'string', description: 'channel of the latest invoice' },
  best_opened_channel: { type: 'string', description: 'the invoice channel the customer opens most (view rate in the look-back); paper-only customers: sms' },
  payment_method: { type: 'string', description: 'predominant payment method label in the look-back' },
  payment_method_class: { type: 'string', description: 'automatic, manual, unknown' },
  timeliness: { type: 'string', description: 'on_time, late_once, late_repeatedly (look-back)' },
  fee_exposure: { type: 'string', description: 'none, one, two_or_more (look-back)' },
  monthly_price: { type: 'number', description: 'current monthly price (billing currency)' },
  invoices_due: { type: 'number', description: 'invoices due in the look-back' },
  late_invoices: { type: 'number', description: 'late invoices in the look-back' },
  fees: { type: 'number', description: 'fees charged in the look-back' },
  fee_amount: { type: 'number', description: 'total fees charged in the look-back (billing currency)' },
  disputed_fees: { type: 'number', description: 'fees followed within 14 days by a contact on topic fee' },
  contacts: { type: 'number', description: 'contacts in the look-back' },
  billing_contacts: { type: 'number', description: 'contacts on invoice, payment or fee in the look-back' },
  fee_contacts: { type: 'number', description: 'contacts on topic fee in the look-back' },
  reminders: { type: 'number', description: 'reminders sent in the look-back' },
  usage_ratio: { type: 'number', description: 'mean used / included in the look-back (null without usage reports)' },
  satisfaction: { type: 'number', description: 'latest satisfaction (1–5)' },
  survey_score: { type: 'number', description: 'latest survey score (0–10)' },
  tenure_days: { type: 'number', description: 'days since the first subscription_started' },
  invoice_view_rate: { type: 'number', description: 'share of digital invoices viewed in the look-back' },
  offers_shown: { type: 'number', description: 'offers shown in the look-back' },
  offers_accepted: { type: 'number', description: 'offers accepted in the look-back' },
  dissatisfied: { type: 'boolean', description: 'latest survey ≤ 6 or satisfaction ≤ 2' },
  overpriced: { type: 'boolean', description: 'usage below 40 % of what the plan includes' },
  risk: { type: 'number', description: 'churn risk within the horizon (target rules only)' },
} as const satisfies Record<string, { type: ColumnType; description: string }>;
export type RuleColumn = keyof typeof RULE_COLUMNS;
export const RULE_COLUMN_NAMES = Object.keys(RULE_COLUMNS) as [RuleColumn, ...RuleColumn[]];

export const RULE_OPERATORS = ['eq', 'neq', 'in', 'not_in', 'lt', 'lte', 'gt', 'gte', 'is_null', 'not_null'] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

const Scalar = z.union([z.string().max(128), z.number().finite(), z.boolean()]);
export const Condition = z
  .object({
    column: z.enum(RULE_COLUMN_NAMES),
    op: z.enum(RULE_OPERATORS),
    value: z.union([Scalar, z.array(z.union([z.string().max(128), z.number().finite()])).min(1).max(100)]).optional(),
  })
  .strict()
  .describe('one test of a customer fact; a null fact fails every test but is_null');
export type Condition = z.infer<typeof Condition>;

export type RuleNode = Condition | { all: RuleNode[] } | { any: RuleNode[] } | { not: RuleNode };
/**
 * A rule: a condition, or `all` / `any` of rules, or `not` a rule. One object schema with every key
 * optional (and the shape checked in `ruleIssues`) rather than a union, so a mistake deep in a rule
 * is reported at its own path instead of as "no union member matched".
 */
export const RuleNode: z.ZodType<RuleNode> = z.lazy(() =>
  z
    .object({
      column: z.enum(RULE_COLUMN_NAMES).optional(),
      op: z.enum(RULE_OPERATORS).optional(),
      value: Condition.shape.value,
      all: z.array(RuleNode).max(30).optional(),
      any: z.array(RuleNode).min(1).max(30).optional(),
      not: RuleNode.optional(),
    })
    .strict()
    .describe('a condition {column, op, value}, or {all: [rules]}, {any: [rules]} or {not: rule}'),
) as unknown as z.ZodType<RuleNode>;

const NUMERIC_OPS: readonly RuleOperator[] = ['eq', 'neq', 'in', 'not_in', 'lt', 'lte', 'gt', 'gte'];
const STRING_OPS: readonly RuleOperator[] = ['eq', 'neq', 'in', 'not_in'];
const BOOLEAN_OPS: readonly RuleOperator[] = ['eq', 'neq'];

/**
 * What zod cannot see in a rule: the shape (exactly one kind of node), operators that suit the
 * column's type, values of the right type, nesting depth, and `risk` outside target rules.
 */
export function ruleIssues(node: unknown, path: (string | number)[], context: 'target' | 'behaviour', depth = 0): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  if (depth > 6) return [{ path, message: 'rules nest at most 6 deep' }];
  if (!node || typeof node !== 'object') return [{ path, message: 'a rule must be an object' }];
  const n = node as Record<string, unknown>;
  const kinds = ['column', 'all', 'any', 'not'].filter((k) => n[k] !== undefined);
  if (kinds.length !== 1) return [{ path, message: 'a rule is exactly one of {column, op, value}, {all: [...]}, {any: [...]} or {not: rule}' }];
  if (kinds[0] === 'all' || kinds[0] === 'any') {
    if (n.op !== undefined || n.value !== undefined) out.push({ path, message: `a group (${kinds[0]}) takes no op or value` });
    (n[kinds[0]] as unknown[]).forEach((child, i) => out.push(...ruleIssues(child, [...path, kinds[0], i], context, depth + 1)));
    return out;
  }
  if (kinds[0] === 'not') {
    if (n.op !== undefined || n.value !== undefined) out.push({ path, message: 'not takes no op or value' });
    return [...out, ...ruleIssues(n.not, [...path, 'not'], context, depth + 1)];
  }
  const column = n.column as RuleColumn;
  const op = n.op as RuleOperator | undefined;
  const type = RULE_COLUMNS[column].type;
  if (column === 'risk' && context === 'behaviour') out.push({ path: [...path, 'column'], message: 'risk is only known once customers are scored: use it in target rules, not in behaviours' });
  if (!op) return [...out, { path: [...path, 'op'], message: 'a condition needs an op' }];
  const value = n.value;
  if (op === 'is_null' || op === 'not_null') {
    if (value !== undefined) out.push({ path: [...path, 'value'], message: `${op} takes no value` });
    return out;
  }
  const allowed = type === 'number' ? NUMERIC_OPS : type === 'string' ? STRING_OPS : BOOLEAN_OPS;
  if (!allowed.includes(op)) return [...out, { path: [...path, 'op'], message: `${column} is a ${type}; its operators are ${[...allowed, 'is_null', 'not_null'].join(', ')}` }];
  const isList = op === 'in' || op === 'not_in';
  if (isList !== Array.isArray(value)) return [...out, { path: [...path, 'value'], message: isList ? `${op} takes a list of values` : `${op} takes one value` }];
  const items = Array.isArray(value) ? value : [value];
  const expected = type === 'number' ? 'number' : type === 'string' ? 'string' : 'boolean';
  if (items.some((v) => typeof v !== expected)) out.push({ path: [...path, 'value'], message: `${column} compares with ${expected} values` });
  return out;
}

/** The `{column}` placeholders of a reason template that are not rule columns. */
export function templateIssues(template: string): string[] {
  return [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).filter((name) => !(name in RULE_COLUMNS));
}

// ─── The catalogue ──────────────────────────────────────────────────────────────────────────────

export const OFFER_CHANNELS = ['invoice', 'email', 'sms', 'app', 'web', 'best_opened'] as const;
const Currency = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. EUR');

export const Eligibility = z
  .object({
    cooldown_days: z.number().int().min(0).max(3650).default(90).describe('not shown this offer within this many days before the as-of date'),
    after_acceptance_days: z.number().int().min(0).max(3650).default(365).describe('not offered again within this many days after the customer accepted it'),
    min_days_since_any_offer: z.number().int().min(0).max(365).default(30).describe('not offered when any offer was shown within this many days (contact pressure)'),
    exclude_churned: z.literal(true).default(true).describe('never offered to churned customers (always on: only customers active at the as-of date are scored)'),
  })
  .strict();

export const Offer = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'lower-case letters, digits and _ (2–40), starting with a letter'),
    name: z.string().trim().min(1).max(80),
    description: z.string().max(500).default(''),
    enabled: z.boolean().default(true),
    channel: z.enum(OFFER_CHANNELS).default('invoice').describe('where the offer is placed; best_opened = the invoice channel the customer opens most'),
    target: RuleNode.describe('who may get the offer'),
    behaviour: z
      .object({
        description: z.string().trim().min(1).max(200),
        exposed: RuleNode.describe('customers with the behaviour the offer changes'),
        changed_to: RuleNode.describe('customers with the behaviour the offer changes it to'),
      })
      .strict()
      .describe('the measured gap the expected reduction rests on: churn of `exposed` against `changed_to` on the landmark view'),
    acceptance_rate: z.number().gt(0).max(1).describe('assumed share of customers shown the offer who accept it; replaced by the observed rate when ≥ 30 showings exist'),
    monthly_cost: z.number().min(-10_000).max(10_000).default(0).describe('cost per accepting customer per month in the reporting currency (one-off costs spread over 12 months; negative = a saving)'),
    price_discount_share: z.number().min(0).max(1).default(0).describe('share of the monthly price given up per accepting customer'),
    reason: z.string().max(300).default('').describe('reason template; {column} inserts a rule column, e.g. "{late_invoices} late invoices"'),
    eligibility: Eligibility.prefault({}),
  })
  .strict();
export type Offer = z.infer<typeof Offer>;
export type OfferInput = z.input<typeof Offer>;

export const CatalogueDocument = z
  .object({
    reporting_currency: Currency.default('EUR'),
    exchange_rates: z.record(Currency, z.number().positive().max(1e6)).describe('value of one unit of each billing currency in the reporting currency'),
    offers: z.array(Offer).min(1).max(50),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.offers.forEach((o, i) => {
      if (seen.has(o.id)) ctx.addIssue({ code: 'custom', path: ['offers', i, 'id'], message: `offer id ${o.id} appears twice` });
      seen.add(o.id);
      const issues = [
        ...ruleIssues(o.target, ['offers', i, 'target'], 'target'),
        ...ruleIssues(o.behaviour.exposed, ['offers', i, 'behaviour', 'exposed'], 'behaviour'),
        ...ruleIssues(o.behaviour.changed_to, ['offers', i, 'behaviour', 'changed_to'], 'behaviour'),
        ...templateIssues(o.reason).map((name) => ({ path: ['offers', i, 'reason'], message: `{${name}} is not a rule column` })),
      ];
      for (const issue of issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    });
    if (!(doc.reporting_currency in doc.exchange_rates)) ctx.addIssue({ code: 'custom', path: ['exchange_rates'], message: `needs a rate for the reporting currency ${doc.reporting_currency} (1)` });
  });
export type CatalogueDocument = z.infer<typeof CatalogueDocument>;

export const CatalogueResponse = z.object({
  reporting_currency: z.string(),
  exchange_rates: z.record(z.string(), z.number()),
  offers: z.array(Offer),
  version: z.number().int().nullable().describe('saved version; null while the defaults apply'),
  saved_at: z.string().nullable(),
  is_default: z.boolean(),
  rule_columns: z.array(z.object({ name: z.string(), type: z.enum(['string', 'number', 'boolean']), description: z.string(), in_behaviour: z.boolean() })),
  rule_operators: z.array(z.string()),
});
export type CatalogueResponse = z.infer<typeof CatalogueResponse>;

// ─── Shared pieces ──────────────────────────────────────────────────────────────────────────────

const Interval = z.tuple([z.number(), z.number()]);
const NullableInterval = Interval.nullable();

export const OffersQuery = FilterQuery;
export const RecommendationsQuery = FilterQuery.extend({
  by: z.enum(SEGMENT_DIMENSIONS).optional().describe('also break each offer down by this segment dimension'),
});

const ModelSummary = z.object({
  kind: z.literal('cox_efron'),
  fit_landmark: z.string().describe('T = as_of − horizon: exposures in [T − L, T), churn in (T, as_of]'),
  n: z.number().int(),
  events: z.number().int(),
  concordance: z.number().nullable().describe("in-sample Harrell's C; the held-out figure is at /v1/offers/model"),
});

const GroupCount = z.object({ label: z.string(), n: z.number().int(), churned: z.number().int(), rate: z.number().nullable(), rate_ci: NullableInterval });

export const Evidence = z.object({
  statement: z.string().describe('the evidence in one sentence'),
  gap: z.object({
    window: z.object({ landmark: z.string(), lookback_start: z.string(), horizon_end: z.string() }),
    exposed: GroupCount,
    changed_to: GroupCount,
    relative_risk: z.number().nullable().describe('churn rate exposed / changed_to'),
    rr_ci: NullableInterval,
    p_value: z.number().nullable(),
    sufficient: z.boolean().describe('both groups have ≥ 30 customers and ≥ 5 churned'),
  }),
  acceptance: z.object({
    source: z.enum(['observed', 'assumed']),
    rate: z.number(),
    ci: NullableInterval.describe('95 % Wilson interval of the observed rate'),
    shown: z.number().int().describe('showings with a complete 30-day acceptance window'),
    accepted: z.number().int(),
    assumed_rate: z.number(),
  }),
  effect: z.object({
    value: z.number().nullable().describe('relative churn reduction for an accepting customer: 1 − 1 / relative risk'),
    ci: NullableInterval,
  }),
});
export type Evidence = z.infer<typeof Evidence>;

export const OfferRecommendation = z.object({
  offer_id: z.string(),
  name: z.string(),
  description: z.string(),
  behaviour: z.string(),
  channel: z.enum(OFFER_CHANNELS),
  rank: z.number().int().nullable().describe('by expected net monthly value; null when no customer gets this offer'),
  status: z
    .enum(['recommended', 'no_value', 'no_audience', 'no_benefit', 'insufficient_evidence', 'disabled'])
    .describe('no_value: eligible customers exist but the offer costs more than it is expected to save for each of them; no_audience: no eligible customer'),
  targeted: z.number().int().describe('filtered active customers the target rule selects'),
  eligible: z.number().int().describe('… of whom the eligibility limits allow the offer'),
  audience_size: z.number().int().describe('… for whom it is the best offer (one offer per customer)'),
  mean_risk: z.number().nullable().describe('mean churn risk within the horizon of the audience'),
  acceptance_rate: z.number(),
  expected_saved_customers: z.number().describe('Σ risk × effect × acceptance over the audience, within the horizon'),
  expected_saved_customers_ci: NullableInterval,
  gross_saved_revenue_monthly: z.number().describe('Σ risk × effect × acceptance × monthly price (reporting currency)'),
  offer_cost_monthly: z.number().describe('acceptance × Σ (monthly cost + discount share × price)'),
  expected_saved_revenue_monthly: z.number().describe('net: gross saved revenue − offer cost'),
  expected_saved_revenue_monthly_ci: NullableInterval,
  currency: z.string(),
  evidence: Evidence,
});
export type OfferRecommendation = z.infer<typeof OfferRecommendation>;

export const Recommendations = z.object({
  as_of: z.string(),
  horizon_days: z.number().int(),
  lookback_days: z.number().int(),
  customers_scored: z.number().int().describe('filtered customers active at the as-of date'),
  customers_recommended: z.number().int(),
  mean_risk: z.number().nullable(),
  currency: z.string(),
  totals: z.object({
    expected_saved_customers: z.number(),
    expected_saved_customers_ci: NullableInterval,
    expected_saved_revenue_monthly: z.number(),
    expected_saved_revenue_monthly_ci: NullableInterval,
  }),
  model: ModelSummary,
  offers: z.array(OfferRecommendation),
  by: z.enum(SEGMENT_DIMENSIONS).nullable(),
  segments: z.array(
    z.object({
      segment: z.string(),
      offer_id: z.string(),
      audience_size: z.number().int(),
      mean_risk: z.number().nullable(),
      expected_saved_customers: z.number(),
      expected_saved_revenue_monthly: z.number(),
    }),
  ),
  method: z.string(),
  note: z.string(),
});
export type Recommendations = z.infer<typeof Recommendations>;

// ─── Audience ───────────────────────────────────────────────────────────────────────────────────

export const AUDIENCE_SORTS = ['expected_value', 'risk', 'expected_reduction', 'monthly_price', 'customer_id'] as const;
export const AudienceQuery = FilterQuery.extend({
  offer_id: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/).optional().describe('only customers whose best offer is this one (default: every recommended customer)'),
  min_expected_value: z.coerce.number().min(-1e12).max(1e12).optional().describe('only customers with at least this expected net monthly value (reporting currency)'),
  sort: z.enum(AUDIENCE_SORTS).default('expected_value'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
export const AudienceCsvQuery = AudienceQuery.omit({ limit: true, offset: true });

export const AudienceRow = z.object({
  customer_id: z.string(),
  offer_id: z.string(),
  channel: z.string(),
  risk: z.number(),
  expected_reduction: z.number().describe('expected drop in churn probability within the horizon (risk × effect × acceptance)'),
  expected_value: z.number().describe('expected net monthly value in the reporting currency'),
  reason: z.string(),
  vertical: z.string(),
  market: z.string(),
  age_band: z.string(),
  tenure_band: z.string(),
  plan: z.string(),
  invoice_channel: z.string(),
  payment_method_class: z.string(),
  monthly_price: z.number().nullable(),
  currency: z.string().nullable(),
});
export type AudienceRow = z.infer<typeof AudienceRow>;
export const AudiencePage = z.object({
  as_of: z.string(),
  offer_id: z.string().nullable(),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  sort: z.enum(AUDIENCE_SORTS),
  order: z.enum(['asc', 'desc']),
  value_currency: z.string(),
  rows: z.array(AudienceRow),
});
export type AudiencePage = z.infer<typeof AudiencePage>;

// ─── Performance ────────────────────────────────────────────────────────────────────────────────

export const PerformanceQuery = FilterQuery.extend({
  by: z.enum(SEGMENT_DIMENSIONS).optional().describe('break each offer down by this segment dimension'),
});
export const PerformanceRow = z.object({
  offer_id: z.string(),
  segment: z.string().describe('"all", or a value of the `by` dimension'),
  shown: z.number().int().describe('showings with full follow-up'),
  customers: z.number().int(),
  accepted: z.number().int(),
  acceptance_rate: z.number().nullable(),
  acceptance_ci: NullableInterval,
  accepted_churned: z.number().int(),
  accepted_churn_rate: z.number().nullable(),
  accepted_churn_ci: NullableInterval,
  not_accepted: z.number().int(),
  not_accepted_churned: z.number().int(),
  not_accepted_churn_rate: z.number().nullable(),
  not_accepted_churn_ci: NullableInterval,
  relative_risk: z.number().nullable().describe('churn after acceptance / churn of those shown who did not accept'),
  rr_ci: NullableInterval,
  risk_difference: z.number().nullable(),
  p_value: z.number().nullable(),
});
export type PerformanceRow = z.infer<typeof PerformanceRow>;
export const Performance = z.object({
  as_of: z.string(),
  by: z.enum(SEGMENT_DIMENSIONS).nullable(),
  horizon_days: z.number().int(),
  acceptance_window_days: z.number().int(),
  shown_from: z.string().nullable(),
  shown_to: z.string(),
  rows: z.array(PerformanceRow),
  note: z.string(),
});
export type Performance = z.infer<typeof Performance>;

// ─── The risk model ─────────────────────────────────────────────────────────────────────────────

export const ModelTerm = z.object({
  term: z.string(),
  factor: z.string(),
  level: z.string(),
  reference: z.string(),
  n: z.number().int(),
  coef: z.number(),
  se: z.number(),
  hazard_ratio: z.number(),
  hr_ci: Interval,
  p_value: z.number(),
});
export const CalibrationBin = z.object({
  decile: z.number().int(),
  n: z.number().int(),
  mean_predicted: z.number(),
  observed: z.number(),
  observed_ci: Interval,
  churned: z.number().int(),
});
export const RiskModel = z.object({
  as_of: z.string(),
  kind: z.literal('cox_efron'),
  formula: z.string(),
  horizon_days: z.number().int(),
  lookback_days: z.number().int(),
  fit: z.object({
    landmark: z.string(),
    lookback_start: z.string(),
    horizon_end: z.string(),
    n: z.number().int(),
    events: z.number().int(),
    concordance: z.number().nullable(),
    loglik: z.tuple([z.number(), z.number()]),
    baseline_cumulative_hazard: z.number().describe('Breslow estimate at the horizon, at all dummies 0'),
    terms: z.array(ModelTerm),
    pooled: z.array(z.object({ factor: z.string(), level: z.string(), n: z.number().int(), events: z.number().int() })).describe('levels too small for a term of their own, pooled with the reference'),
    dropped: z.array(z.string()).describe('terms left out because their coefficient diverged'),
  }),
  validation: z
    .object({
      fit_landmark: z.string(),
      test_landmark: z.string(),
      test_horizon_end: z.string(),
      n: z.number().int(),
      events: z.number().int(),
      concordance: z.number().nullable().describe("Harrell's C of the earlier model on the later window"),
      auc: z.number().nullable().describe('AUC of churn within the horizon'),
      brier: z.number(),
      mean_predicted: z.number(),
      observed_rate: z.number(),
      calibration: z.array(CalibrationBin),
    })
    .nullable(),
  validation_note: z.string(),
});
export type RiskModel = z.infer<typeof RiskModel>;

// ─── Customers ──────────────────────────────────────────────────────────────────────────────────

export const CustomerParam = z.object({ id: z.string().min(1).max(128) });
export const CustomerRisk = z.object({
  customer_id: z.string(),
  as_of: z.string(),
  status: z.enum(['active', 'churned', 'not_started']),
  horizon_days: z.number().int(),
  risk: z.number().nullable().describe('probability of churning within the horizon'),
  risk_ci: NullableInterval.describe('from the coefficients’ uncertainty only'),
  percentile: z.number().nullable().describe('share of active customers with a lower risk'),
  factors: z.array(
    z.object({
      factor: z.string(),
      value: z.string(),
      reference: z.string(),
      hazard_ratio: z.number().describe('1 at the reference or a pooled level'),
      hr_ci: NullableInterval,
    }),
  ),
  facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  recommended: z
    .object({ offer_id: z.string(), name: z.string(), channel: z.string(), expected_reduction: z.number(), expected_value: z.number(), reason: z.string() })
    .nullable(),
  offers: z.array(
    z.object({
      offer_id: z.string(),
      targeted: z.boolean(),
      eligible: z.boolean(),
      blocked_by: z.array(z.enum(['not_targeted', 'disabled', 'cooldown', 'after_acceptance', 'recent_offer', 'churned', 'no_value'])),
      expected_reduction: z.number().nullable(),
      expected_value: z.number().nullable(),
    }),
  ),
  model: ModelSummary,
  note: z.string(),
});
export type CustomerRisk = z.infer<typeof CustomerRisk>;

export const ErasureResult = z.object({
  customer_id: z.string(),
  erased: z.record(z.string(), z.number().int()).describe('rows deleted per table; with ANALYSIS_ENGINE=spark also `lake_events`, the rows removed from the lake files that held them'),
  total: z.number().int(),
});
export type ErasureResult = z.infer<typeof ErasureResult>;
