/**
 * Request and response schemas of the customer endpoints (issue 15): the drill-down list behind a
 * figure (GET /v1/customers) and one customer's page (GET /v1/customers/{id}). The drill-down takes
 * the analyses' own filter set (FilterQuery) plus the clicked group, so a list opened from a chart
 * is narrowed exactly as the chart was; the OpenAPI document and the dashboard's types come from
 * these schemas.
 */
import { z } from 'zod';
import { FACTORS, FilterQuery } from '../analytics/contracts.ts';
import { CustomerRisk } from '../offers/contracts.ts';

/** The Overview KPIs a tile can drill into (the keys of /v1/churn/summary). */
export const KPI_KEYS = ['customers', 'active', 'churned', 'churn_rate', 'automatic_share', 'on_time_share', 'fee_share'] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

/** Columns a drill-down list may be sorted by (an allow-list: they reach the SQL as identifiers). */
export const DRILL_SORTS = ['customer_id', 'tenure_start', 'monthly_price', 'late_invoices', 'invoices_due', 'fees', 'fee_amount', 'contacts', 'churn_at', 'time_days'] as const;

const level = z.string().trim().min(1).max(128);

export const DrillQuery = FilterQuery.extend({
  kpi: z.enum(KPI_KEYS).optional().describe('an Overview KPI: the customers its figure counts (for a share, its numerator; the denominator is reported)'),
  factor: z.enum(FACTORS).optional().describe('a factor of /v1/churn/by/{factor} (a bar); with level'),
  level: level.optional().describe('the level of factor that was clicked'),
  factor2: z.enum(FACTORS).optional().describe('a second factor (a heat-map cell: its row dimension); with level2'),
  level2: level.optional(),
  measure: z.enum(['late_invoices', 'fees']).optional().describe('a bar of /v1/churn/dose-response/{measure}; with count'),
  count: z.coerce.number().int().min(0).max(3).optional().describe('the number of late invoices or fees of that bar (3 = three or more); with measure'),
  cohort: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
    .optional()
    .describe('a signup month of /v1/churn/cohorts (YYYY-MM): its customers, or with month those still active that many months later'),
  month: z.coerce.number().int().min(0).max(119).optional().describe('months since signup (a cohort cell); with cohort'),
  outcome: z.enum(['any', 'churned', 'retained']).default('any').describe('with factor or measure: narrow to the churners (the numerator of a rate) or to those who stayed'),
  sort: z.enum(DRILL_SORTS).default('customer_id'),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  format: z.enum(['json', 'csv']).optional().describe('csv: the whole list streamed as CSV (also with Accept: text/csv); paging is ignored'),
});
export type DrillQuery = z.infer<typeof DrillQuery>;

export const DrillRow = z.object({
  customer_id: z.string(),
  vertical: z.string(),
  market: z.string(),
  age_band: z.string(),
  tenure_band: z.string(),
  plan: z.string(),
  invoice_channel: z.string(),
  payment_method_class: z.string(),
  payment_method: z.string(),
  timeliness: z.string(),
  fee_exposure: z.string(),
  tenure_start: z.string().nullable(),
  churned: z.boolean(),
  churn_at: z.string().nullable(),
  monthly_price: z.number().nullable(),
  currency: z.string().nullable(),
  invoices_due: z.number().int(),
  late_invoices: z.number().int(),
  fees: z.number().int(),
  fee_amount: z.number(),
  contacts: z.number().int(),
});
export type DrillRow = z.infer<typeof DrillRow>;

export const DrillPage = z.object({
  as_of: z.string(),
  view: z.enum(['lifetime', 'landmark']),
  window: z.object({ landmark: z.string(), lookback_start: z.string(), horizon_end: z.string() }).nullable(),
  group: z.string().describe('what was clicked, in words'),
  total: z.number().int().describe('customers in the list'),
  figure: z
    .object({ count: z.number().int(), denominator: z.number().int().nullable(), share: z.number().nullable() })
    .describe('the clicked figure as its own analysis computes it; count equals total by construction (tested)'),
  limit: z.number().int(),
  offset: z.number().int(),
  sort: z.enum(DRILL_SORTS),
  order: z.enum(['asc', 'desc']),
  rows: z.array(DrillRow),
});
export type DrillPage = z.infer<typeof DrillPage>;

export const TIMELINE_MAX = 1000;
export const CustomerQuery = FilterQuery.pick({ as_of: true, lookback_days: true, horizon_days: true }).extend({
  limit: z.coerce.number().int().min(1).max(TIMELINE_MAX).default(200).describe(`timeline events returned, newest first (at most ${TIMELINE_MAX})`),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

export const TimelineEvent = z.object({
  event_id: z.string(),
  type: z.string(),
  occurred_at: z.string(),
  invoice_id: z.string().nullable(),
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  due_date: z.string().nullable(),
  channel: z.string().nullable(),
  method: z.string().nullable(),
  kind: z.string().nullable(),
  fee_type: z.string().nullable(),
  fee_amount: z.number().nullable(),
  topic: z.string().nullable(),
  direction: z.string().nullable(),
  offer_id: z.string().nullable(),
  placement: z.string().nullable(),
  reason: z.string().nullable(),
  plan: z.string().nullable(),
  monthly_price: z.number().nullable(),
  score: z.number().nullable(),
  days_late: z.number().int().nullable().describe('payment_received: days after the due date it completed the invoice (0 = on time)'),
});

export const InvoiceLateness = z.object({
  invoice_id: z.string(),
  issued_at: z.string().nullable(),
  due_date: z.string().nullable(),
  amount: z.number().nullable(),
  paid_at: z.string().nullable(),
  status: z.enum(['on_time', 'late', 'unpaid_overdue', 'open']),
  days_late: z.number().int().nullable(),
  reminders: z.number().int(),
});

export const CustomerPage = z.object({
  customer_id: z.string(),
  first_event: z.string(),
  last_event: z.string(),
  segments: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).describe('current segments and exposures (customer_facts: lifetime view as of now)'),
  timeline: z.object({
    total: z.number().int().describe('events stored for this customer'),
    limit: z.number().int(),
    offset: z.number().int(),
    by_type: z.record(z.string(), z.number().int()),
    events: z.array(TimelineEvent),
  }),
  invoices: z.array(InvoiceLateness).describe('every invoice with its lateness, newest first'),
  risk: CustomerRisk.nullable().describe('GET /v1/customers/{id}/risk, the same answer; null when the model refuses'),
  risk_note: z.string().nullable(),
});
export type CustomerPage = z.infer<typeof CustomerPage>;
