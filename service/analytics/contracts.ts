/**
 * Request and response schemas of the analytical API (docs/definitions.md, docs/api.md). The routes validate their
 * query with these schemas, the OpenAPI document is generated from them, and the dashboard imports
 * the inferred types (type-only), so server, document and client cannot drift apart.
 */
import { z } from 'zod';
import { INVOICE_CHANNELS, VERTICALS } from '../events/contract.ts';
import { ADJUSTMENTS, BEHAVIOUR_FACTORS, FACTORS, SEGMENT_DIMENSIONS, type Adjustment, type Factor, type SegmentDimension } from './dimensions.ts';

export { ADJUSTMENTS, BEHAVIOUR_FACTORS, FACTORS, SEGMENT_DIMENSIONS };
export type { Adjustment, Factor, SegmentDimension };

export const AGE_BANDS = ['18-29', '30-49', '50-79', '80+'] as const;
export const TENURE_BANDS = ['<1y', '1-2y', '2+y'] as const;
export const METHOD_CLASSES = ['automatic', 'manual', 'unknown'] as const;
export const TIMELINESS = ['on_time', 'late_once', 'late_repeatedly'] as const;
export const FEE_EXPOSURE = ['none', 'one', 'two_or_more'] as const;
export { INVOICE_CHANNELS };

/** Values a segment filter may take where the set is closed; open sets (plan, market) are free text. */
export const DIMENSION_VALUES: Partial<Record<Factor, readonly string[]>> = {
  vertical: VERTICALS,
  age_band: AGE_BANDS,
  tenure_band: TENURE_BANDS,
  payment_method_class: METHOD_CLASSES,
  invoice_channel: INVOICE_CHANNELS,
  timeliness: TIMELINESS,
  fee_exposure: FEE_EXPOSURE,
  plan_fit: ['fits_use', 'priced_above_use', 'no_usage_data'],
  satisfaction_level: ['satisfied', 'dissatisfied', 'unknown'],
};

/** A repeatable query parameter: `?market=SE&market=NO` or `?market=SE,NO`. */
const multi = (values?: readonly string[]) => {
  const item = values ? z.enum(values as [string, ...string[]]) : z.string().trim().min(1).max(128);
  return z
    .preprocess((v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).filter((s) => s !== '')), z.array(item).max(50))
    .optional();
};

/** One repeatable filter per segment dimension, derived from SEGMENT_DIMENSIONS so none can be left out. */
const FILTER_DESCRIPTIONS: Partial<Record<SegmentDimension, string>> = { market: 'ISO 3166-1 alpha-2 market(s)' };
const segmentFilters = Object.fromEntries(
  SEGMENT_DIMENSIONS.map((d) => {
    const schema = multi(DIMENSION_VALUES[d]);
    return [d, FILTER_DESCRIPTIONS[d] ? schema.describe(FILTER_DESCRIPTIONS[d]) : schema];
  }),
) as { [D in SegmentDimension]: ReturnType<typeof multi> };

// A range, so no date arithmetic on a parameter can overflow (as_of=9999-12-31 was a 500).
const isoDate = z.iso
  .date()
  .refine((d) => d >= '1970-01-01' && d <= '2199-12-31', 'a date between 1970-01-01 and 2199-12-31')
  .describe('YYYY-MM-DD, 1970-01-01 to 2199-12-31');

export const FilterQuery = z.object({
  as_of: isoDate.optional().describe('analysis date; nothing after its end is visible (default: the latest event). A date outside the days the events span is refused (422 as_of_out_of_range, details name the range); a string that is no calendar date is a 422 invalid_date'),
  view: z.enum(['lifetime', 'landmark']).optional().describe('lifetime (each customer once, whole history) or landmark (active at as_of, exposure in the look-back, churn within the horizon)'),
  lookback_days: z.coerce.number().int().min(30).max(1095).default(180).describe('landmark look-back window L in days'),
  horizon_days: z.coerce.number().int().min(7).max(730).default(90).describe('landmark outcome horizon H in days'),
  ...segmentFilters,
});
export type Filters = z.infer<typeof FilterQuery>;

/**
 * A period and a comparison period (issue 15), for the endpoints that take one (README, "Periods"):
 * `from`–`to` is a landmark window (customers active at the start of `from`, exposure in the
 * look-back before it, churn by the end of `to`), so it replaces `as_of` (= `to`) and `horizon_days`
 * (= its length in days, 7 to 730).
 */
export const COMPARISONS = ['previous_period', 'previous_year', 'none'] as const;
export type Comparison = (typeof COMPARISONS)[number];
export const PeriodFields = {
  from: isoDate.optional().describe('first day of the period (with `to`; replaces as_of and horizon_days). Inside the days the events span (422 period_out_of_range); the period is 7 to 730 days long, from < to (400 invalid_period)'),
  to: isoDate.optional().describe('last day of the period, included (with `from`)'),
  compare: z
    .enum(COMPARISONS)
    .optional()
    .describe('comparison period: previous_period (the same number of days just before `from`), previous_year (the same dates a year earlier; 29 February becomes 28 February) or none. Default: previous_period on /v1/churn/summary, none on /v1/churn/by/{factor}'),
};
export const PeriodFilterQuery = FilterQuery.extend(PeriodFields);
export type PeriodFilters = z.infer<typeof PeriodFilterQuery>;
export const PeriodRange = z.object({ start: z.string().describe('YYYY-MM-DD, included'), end: z.string().describe('YYYY-MM-DD, included'), days: z.number().int() });
export const ComparisonRange = PeriodRange.extend({
  kind: z.enum(['previous_period', 'previous_year']),
  within_data: z.boolean().describe('false when the comparison period starts before the first event: its population is then partly or wholly unobserved'),
});

export const Interval = z.tuple([z.number(), z.number()]);
const NullableInterval = z.tuple([z.number(), z.number()]).nullable();

const AnalysisMeta = {
  as_of: z.string().describe('the as-of date used'),
  view: z.enum(['lifetime', 'landmark']),
  window: z
    .object({ landmark: z.string(), lookback_start: z.string(), horizon_end: z.string() })
    .nullable()
    .describe('landmark view only: exposure in [lookback_start, landmark), outcome in (landmark, horizon_end]'),
};

export const GroupStat = z.object({
  key: z.string(),
  n: z.number().int(),
  churned: z.number().int(),
  rate: z.number().nullable(),
  rate_ci: NullableInterval.describe('95 % Wilson interval'),
  relative_risk: z.number().nullable().describe('against the reference group; null when undefined (zero cells)'),
  rr_ci: NullableInterval.describe('95 % CI, log method'),
  risk_difference: z.number().nullable(),
  p_value: z.number().nullable().describe('Pearson chi-square (no continuity correction) against the reference'),
  is_reference: z.boolean(),
  small_sample: z.boolean().describe('fewer customers than MIN_GROUP_SIZE (default 30): shown, but no headline rests on it'),
});
export type GroupStat = z.infer<typeof GroupStat>;

export const ChurnByFactor = z.object({
  ...AnalysisMeta,
  factor: z.enum(FACTORS),
  reference: z.string().nullable(),
  n: z.number().int(),
  churned: z.number().int(),
  groups: z.array(
    GroupStat.extend({
      comparison: z
        .object({
          n: z.number().int(),
          churned: z.number().int(),
          rate: z.number().nullable(),
          rate_ci: NullableInterval,
          change: z.number().nullable().describe('rate − comparison rate'),
          change_ci: NullableInterval.describe('95 % Newcombe hybrid score interval of the change (the periods taken as independent samples)'),
        })
        .optional()
        .describe('only with a comparison period: the same group in it'),
    }),
  ),
  period_query: z
    .object({ period: PeriodRange, comparison: ComparisonRange.nullable(), comparison_n: z.number().int().nullable(), comparison_churned: z.number().int().nullable() })
    .optional()
    .describe('only when from/to or compare was given'),
  note: z.string(),
});
export type ChurnByFactor = z.infer<typeof ChurnByFactor>;

export const DoseResponse = z.object({
  ...AnalysisMeta,
  measure: z.enum(['late_invoices', 'fees']),
  reference: z.string().nullable(),
  groups: z.array(GroupStat.extend({ count_min: z.number().int(), count_max: z.number().int().nullable() })),
  trend: z.object({ chi_square: z.number(), p_value: z.number() }).nullable().describe('chi-square test for trend (Cochran–Armitage)'),
  note: z.string(),
});
export type DoseResponse = z.infer<typeof DoseResponse>;

export const SurvivalPoint = z.object({ t_days: z.number(), survival: z.number(), lower: z.number().nullable(), upper: z.number().nullable(), at_risk: z.number().int() });
export const SurvivalAtTime = z.object({
  t_days: z.number(),
  survival: z.number(),
  std_err: z.number().nullable().describe('Greenwood standard error of −log S (R std.err / surv)'),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  at_risk: z.number().int().describe('number at risk at t (R n.risk)'),
  beyond_follow_up: z.boolean().describe('t is past the last observed time of the group: the value is carried forward and nobody is at risk'),
});
export const SurvivalCurves = z.object({
  ...AnalysisMeta,
  by: z.enum(FACTORS),
  time_origin: z.string().describe('tenure start (lifetime) or the landmark (landmark)'),
  delayed_entry: z.boolean().describe('true when some customers were first seen after their tenure began and are at risk only from then (left truncation, R Surv(entry, exit, event))'),
  curves: z.array(
    z.object({
      key: z.string(),
      n: z.number().int(),
      events: z.number().int(),
      entered_late: z.number().int().describe('customers of the curve at risk only from a later entry time'),
      median_days: z.number().nullable(),
      small_sample: z.boolean().describe('fewer customers than MIN_GROUP_SIZE (default 30)'),
      points: z.array(SurvivalPoint).describe('the curve thinned to about 200 points, for charts'),
      at_times: z.array(SurvivalAtTime).optional().describe('only with times=: the curve at exactly those times, as R summary(survfit, times =)'),
    }),
  ),
  log_rank: z.object({ chi_square: z.number(), df: z.number().int(), p_value: z.number() }).nullable(),
});
export type SurvivalCurves = z.infer<typeof SurvivalCurves>;

export const CoxTerm = z.object({
  term: z.string().describe('factor=level'),
  factor: z.string(),
  level: z.string(),
  reference: z.string(),
  n: z.number().int().describe('customers at this level'),
  coef: z.number(),
  se: z.number(),
  hazard_ratio: z.number(),
  hr_ci: Interval,
  p_value: z.number(),
});
export const Drivers = z.object({
  ...AnalysisMeta,
  n: z.number().int(),
  events: z.number().int(),
  ties: z.enum(['efron', 'breslow']),
  concordance: z.number().nullable().describe("Harrell's C of the fitted risk score"),
  loglik: z.tuple([z.number(), z.number()]).describe('at zero and at the estimate'),
  iterations: z.number().int(),
  delayed_entry: z.boolean().describe('true when customers first seen late enter the risk sets only from their first sighting'),
  terms: z.array(CoxTerm),
  merged_levels: z
    .array(z.object({ dimension: z.string(), from: z.string(), into: z.string(), n: z.number().int().describe('customers of the original level'), events: z.number().int() }))
    .describe('levels below 30 customers or 5 churn events merged into a neighbour before fitting (ordered factors into the adjacent level, unordered into other)'),
  constant_factors: z.array(z.string()).describe('factors with one level for these filters, left out of the model'),
  note: z.string(),
});
export type Drivers = z.infer<typeof Drivers>;

export const Cohorts = z.object({
  as_of: z.string(),
  note: z.string(),
  cohorts: z.array(
    z.object({
      signup_month: z.string().describe('YYYY-MM'),
      n: z.number().int(),
      small_sample: z.boolean().describe('fewer customers than MIN_GROUP_SIZE (default 30)'),
      retention: z.array(z.object({ months_since: z.number().int(), active: z.number().int(), share: z.number(), ci: Interval })),
    }),
  ),
});
export type Cohorts = z.infer<typeof Cohorts>;

const Kpi = z.object({
  key: z.enum(['customers', 'active', 'churned', 'churn_rate', 'automatic_share', 'on_time_share', 'fee_share']),
  label: z.string(),
  unit: z.enum(['count', 'share']),
  value: z.number().nullable(),
  ci: NullableInterval,
  n: z.number().int().describe('denominator'),
  previous: z.number().nullable(),
  previous_ci: NullableInterval,
  change: z.number().nullable().describe('value − previous'),
  previous_n: z.number().int().optional().describe('with a period or compare: the denominator of the comparison value'),
  change_ci: NullableInterval.optional().describe('with a period or compare, shares only: 95 % Newcombe hybrid score interval of value − previous, treating the two periods as independent samples (customers present in both make them overlap)'),
});
export const Summary = z.object({
  as_of: z.string(),
  period: z.object({ start: z.string(), end: z.string() }),
  previous_period: z.object({ start: z.string(), end: z.string() }).nullable().describe('the comparison period (null with compare=none)'),
  period_query: z
    .object({ period: PeriodRange, comparison: ComparisonRange.nullable() })
    .optional()
    .describe('only when from/to or compare was given: the period analysed and its comparison period'),
  kpis: z.array(Kpi),
  trend: z.array(
    z.object({
      month: z.string().describe('YYYY-MM'),
      active_start: z.number().int(),
      churned: z.number().int(),
      churn_rate: z.number().nullable(),
      churn_rate_ci: NullableInterval,
      payers: z.number().int().describe('customers with a payment in the month'),
      automatic_share: z.number().nullable(),
      automatic_share_ci: NullableInterval,
      invoices_due: z.number().int(),
      on_time_share: z.number().nullable(),
      on_time_share_ci: NullableInterval,
    }),
  ),
});
export type Summary = z.infer<typeof Summary>;

export const Heatmap = z.object({
  ...AnalysisMeta,
  rows: z.enum(SEGMENT_DIMENSIONS),
  factor: z.enum(FACTORS),
  reference: z.string().nullable(),
  cells: z.array(GroupStat.extend({ row_key: z.string() })),
});
export type Heatmap = z.infer<typeof Heatmap>;

export const FeeEconomicsQuery = z.object({
  handling_cost_per_reminder: z.coerce.number().min(0).max(10_000).default(15).describe('cost of handling one reminder, in the reporting currency'),
  handling_cost_per_fee_contact: z.coerce.number().min(0).max(10_000).default(60).describe('cost of one fee-related contact, in the reporting currency'),
  expected_lifetime_months: z.coerce.number().min(1).max(240).default(24).describe('expected remaining lifetime of a retained customer'),
});
export const FeeEconomics = z.object({
  ...AnalysisMeta,
  parameters: z.object({ handling_cost_per_reminder: z.number(), handling_cost_per_fee_contact: z.number(), expected_lifetime_months: z.number() }),
  verticals: z.array(
    z.object({
      vertical: z.string(),
      customers: z.number().int(),
      fee_customers: z.number().int(),
      fees: z.number().int(),
      fee_revenue: z.number(),
      reminders: z.number().int(),
      fee_contacts: z.number().int(),
      handling_cost: z.number(),
      rate_with_fee: z.number().nullable(),
      rate_without_fee: z.number().nullable(),
      attributable_churned: z.number(),
      attributable_churned_ci: NullableInterval,
      mean_monthly_price: z.number().nullable(),
      attributable_churn_value: z.number(),
      net: z.number().describe('fee revenue − attributable churn value − handling cost'),
      net_ci: NullableInterval.describe('net over the 95 % interval of attributable churn'),
      by_currency: z
        .array(z.object({ currency: z.string(), customers: z.number().int(), fee_customers: z.number().int(), fees: z.number().int(), fee_revenue: z.number().describe('in this currency'), rate: z.number().nullable(), fee_revenue_converted: z.number().nullable() }))
        .describe('the vertical by billing currency, amounts in that currency'),
      unconverted: z.array(z.object({ currency: z.string(), fee_revenue: z.number(), customers: z.number().int() })).describe('currencies without an exchange rate, left out of the money figures'),
    }),
  ),
  currency: z.string().describe('the reporting currency every money figure is in'),
  exchange_rates: z.record(z.string(), z.number()).describe('the rates used: one unit of each billing currency in the reporting currency'),
  totals: z.object({ customers: z.number().int(), fee_customers: z.number().int(), fees: z.number().int(), fee_revenue: z.number(), handling_cost: z.number(), attributable_churn_value: z.number(), net: z.number() }).describe('all verticals, in the reporting currency'),
  unconverted_currencies: z.array(z.string()),
  note: z.string(),
});
export type FeeEconomics = z.infer<typeof FeeEconomics>;

export const Engagement = z.object({
  as_of: z.string(),
  payment_method_mix: z.array(z.object({ dimension: z.string(), segment: z.string(), method_class: z.string(), customers: z.number().int(), share: z.number() })),
  invoice_views: z.array(z.object({ channel: z.string(), invoices: z.number().int(), viewed: z.number().int(), view_rate: z.number().nullable(), view_rate_ci: NullableInterval, median_hours_to_view: z.number().nullable() })),
  contacts: z.array(z.object({ vertical: z.string(), channel: z.string(), topic: z.string(), contacts: z.number().int(), customers: z.number().int() })),
  no_contact_share: z.array(z.object({ vertical: z.string(), customers: z.number().int(), without_contact: z.number().int(), share: z.number(), ci: Interval })),
});
export type Engagement = z.infer<typeof Engagement>;

export const IngestionStatus = z.object({
  events: z.number().int(),
  customers: z.number().int(),
  rejected_rows: z.number().int(),
  first_event: z.string().nullable(),
  last_event: z.string().nullable(),
  batches: z.array(z.object({ batch_id: z.number().int(), received_at: z.string(), media_type: z.string(), rows_total: z.number().int(), accepted: z.number().int(), duplicates: z.number().int(), rejected: z.number().int(), source: z.string().nullable() })),
  by_type: z.array(z.object({ type: z.string(), events: z.number().int() })),
  by_day: z.array(z.object({ day: z.string(), type: z.string(), events: z.number().int() })).describe('the last 90 days with events'),
});
export type IngestionStatus = z.infer<typeof IngestionStatus>;

export const Dimensions = z.object({
  first_event: z.string().nullable(),
  last_event: z.string().nullable(),
  default_as_of: z.string().nullable(),
  values: z.record(z.string(), z.array(z.object({ value: z.string(), customers: z.number().int() }))).describe('observed values per segment dimension, most customers first'),
});
export type Dimensions = z.infer<typeof Dimensions>;
