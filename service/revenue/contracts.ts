/**
 * The API contract of the revenue analyses (issue 15): revenue-weighted churn, MRR movements and
 * cancellation reasons. Money is in the offer catalogue's reporting currency, converted with its
 * exchange rates (`PUT /v1/offers/catalogue` edits both), computed in integer cents so that sums
 * and the month-to-month identity are exact; amounts are shown in currency units. The dashboard
 * imports these types (type-only).
 */
import { z } from 'zod';
import { FACTORS, FilterQuery, SEGMENT_DIMENSIONS } from '../analytics/contracts.ts';

const Interval = z.tuple([z.number(), z.number()]);
const Money = z.object({ reporting_currency: z.string(), exchange_rates: z.record(z.string(), z.number()), unconverted_customers: z.number().int().describe('customers left out: their currency has no rate, or they have no price') });

/** The landmark window's customers in money, overall and per group of a breakdown (`by`): both per-group answers. */
const landmarkBreakdown = <B extends z.ZodType, G extends z.ZodType>(by: B, group: G) =>
  z.object({
    as_of: z.string(),
    window: z.object({ landmark: z.string(), horizon_end: z.string() }),
    by,
    money: Money,
    overall: group,
    groups: z.array(group),
    note: z.string(),
  });

export const RevenueChurnQuery = FilterQuery.extend({ by: z.enum(FACTORS).default('payment_method_class').describe('the factor to break revenue churn down by') });
export const MovementsQuery = FilterQuery;
export const ReasonsQuery = FilterQuery.extend({ by: z.enum(SEGMENT_DIMENSIONS).default('vertical') });

export const RevenueGroup = z.object({
  key: z.string(),
  n: z.number().int().describe('customers active at the landmark'),
  churned: z.number().int(),
  customer_rate: z.number().nullable().describe('churned / n'),
  customer_rate_ci: Interval.nullable().describe('95 % Wilson'),
  mrr_at_risk: z.number().describe('MRR of the customers active at the landmark'),
  mrr_lost: z.number().describe('MRR of those who churned within the horizon'),
  revenue_rate: z.number().nullable().describe('mrr_lost / mrr_at_risk'),
  revenue_rate_ci: Interval.nullable().describe('95 %, delta method for a ratio of sums, clipped to [0, 1]'),
  small: z.boolean().describe('fewer than 30 customers or 5 churned: shown, not a headline'),
});
export const RevenueChurn = landmarkBreakdown(z.enum(FACTORS), RevenueGroup);
export type RevenueChurn = z.infer<typeof RevenueChurn>;

export const MrrMonth = z.object({
  month: z.string(),
  period_start: z.string(),
  period_end: z.string(),
  partial: z.boolean().describe('the as-of month, up to the as-of date'),
  mrr_start: z.number(),
  new: z.number(),
  expansion: z.number(),
  contraction: z.number(),
  churned: z.number(),
  mrr_end: z.number().describe('= mrr_start + new + expansion − contraction − churned, exactly (in cents)'),
  net_change: z.number(),
  customers_start: z.number().int(),
  customers_end: z.number().int(),
  new_customers: z.number().int(),
  expanded_customers: z.number().int(),
  contracted_customers: z.number().int(),
  churned_customers: z.number().int(),
});
export const MrrMovements = z.object({ as_of: z.string(), money: Money, months: z.array(MrrMonth), note: z.string() });
export type MrrMovements = z.infer<typeof MrrMovements>;

export const ReasonGroup = z.object({
  key: z.string(),
  churned: z.number().int(),
  mrr_lost: z.number(),
  reasons: z.array(z.object({ reason: z.string(), customers: z.number().int(), share: z.number(), share_ci: Interval.describe('95 % Wilson, of the group\'s churned customers'), mrr_lost: z.number() })),
});
export const CancellationReasons = landmarkBreakdown(z.enum(SEGMENT_DIMENSIONS), ReasonGroup);
export type CancellationReasons = z.infer<typeof CancellationReasons>;
