/**
 * The API contract of alerts (issue 15): rules that watch a segment's churn, the alerts they fire,
 * and the webhook body. A rule's segment is validated by the analyses' own filter schema
 * (segment dimensions only: a rule always looks at the latest data, so as-of, view and windows
 * are the rule's, not filters). The dashboard imports these types (type-only).
 */
import { z } from 'zod';
import { FilterQuery, SEGMENT_DIMENSIONS } from '../analytics/contracts.ts';

export const ALERT_KINDS = ['rate_above', 'change_vs_previous'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Segment filters only, as lists, validated by FilterQuery (unknown keys and bad values refused). */
export const AlertSegment = z
  .record(z.string(), z.unknown())
  .superRefine((raw, ctx) => {
    for (const k of Object.keys(raw)) if (!(SEGMENT_DIMENSIONS as readonly string[]).includes(k)) ctx.addIssue({ code: 'custom', path: [k], message: `not a segment dimension; one of ${SEGMENT_DIMENSIONS.join(', ')}` });
    const parsed = FilterQuery.safeParse(raw);
    if (!parsed.success) for (const i of parsed.error.issues) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
  })
  .transform((raw) => {
    const parsed = FilterQuery.parse(raw);
    const out: Record<string, string[]> = {};
    for (const d of SEGMENT_DIMENSIONS) if (parsed[d]?.length) out[d] = [...new Set(parsed[d])];
    return out;
  })
  .describe('the segment watched: lists per segment dimension (empty: every customer)');

const Base = {
  name: z.string().trim().min(1).max(80).describe('unique (trimmed, case-insensitive)'),
  kind: z.enum(ALERT_KINDS).describe('rate_above: the churn rate over the window exceeds threshold; change_vs_previous: it differs from the previous window of the same length beyond the 95 % interval of their relative risk'),
  segment: AlertSegment,
  window_days: z.number().int().min(7).max(365).describe('churn within this many days among customers active at its start (landmark view, horizon = window; default 30)'),
  threshold: z.number().min(0).max(1).nullable().describe('rate_above only: a share, e.g. 0.05 for 5 %'),
  condition: z.enum(['estimate', 'lower_bound']).describe('rate_above: fire when the estimate exceeds the threshold (default), or only when the lower 95 % Wilson bound does (confidently above)'),
  direction: z.enum(['up', 'down', 'either']).describe('change_vs_previous: which change fires (default either)'),
  min_customers: z.number().int().min(1).max(1_000_000).describe('below this many customers in a window the rule reports insufficient_data instead of firing (default 30)'),
  enabled: z.boolean(),
};

export const CreateRule = z
  .object({
    ...Base,
    segment: Base.segment.default({}),
    window_days: Base.window_days.default(30),
    threshold: Base.threshold.default(null),
    condition: Base.condition.default('estimate'),
    direction: Base.direction.default('either'),
    min_customers: Base.min_customers.default(30),
    enabled: Base.enabled.default(true),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.kind === 'rate_above' && r.threshold === null) ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'rate_above needs a threshold (a share between 0 and 1)' });
  });
export type CreateRule = z.infer<typeof CreateRule>;
/** Only the fields given change; the result is checked like a new rule. */
export const UpdateRule = z
  .object(Object.fromEntries(Object.entries(Base).map(([k, v]) => [k, (v as z.ZodType).optional()])) as { [K in keyof typeof Base]: z.ZodOptional<(typeof Base)[K]> })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');
export type UpdateRule = z.infer<typeof UpdateRule>;
export const RuleId = z.object({ id: z.string().min(1).max(64) });

export interface RuleDefinition {
  kind: AlertKind;
  segment: Record<string, string[]>;
  window_days: number;
  threshold: number | null;
  condition: 'estimate' | 'lower_bound';
  direction: 'up' | 'down' | 'either';
  min_customers: number;
}

const Interval = z.tuple([z.number(), z.number()]);
const WindowCount = z.object({ start: z.string(), end: z.string(), n: z.number().int(), churned: z.number().int(), rate: z.number().nullable(), rate_ci: Interval.nullable().describe('95 % Wilson') });

export const Measurement = z.object({
  current: WindowCount,
  previous: WindowCount.nullable(),
  relative_risk: z.number().nullable().describe('current over previous (change_vs_previous)'),
  rr_ci: Interval.nullable().describe('95 %, log method'),
  p_value: z.number().nullable().describe('Pearson chi-square, current vs previous'),
});
export type Measurement = z.infer<typeof Measurement>;

export const RULE_STATES = ['ok', 'firing', 'insufficient_data', 'no_data'] as const;
export type RuleState = (typeof RULE_STATES)[number];

export const AlertRule = z.object({
  id: z.string(),
  name: z.string(),
  ...{
    kind: z.enum(ALERT_KINDS),
    segment: z.record(z.string(), z.array(z.string())),
    window_days: z.number().int(),
    threshold: z.number().nullable(),
    condition: z.enum(['estimate', 'lower_bound']),
    direction: z.enum(['up', 'down', 'either']),
    min_customers: z.number().int(),
  },
  enabled: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  last_evaluation: z
    .object({ state: z.enum(RULE_STATES), evaluated_at: z.string(), period: z.object({ start: z.string(), end: z.string() }).nullable(), measurement: Measurement.nullable(), message: z.string() })
    .nullable(),
});
export type AlertRule = z.infer<typeof AlertRule>;
export const RuleList = z.object({ rules: z.array(AlertRule) });

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'not_configured'] as const;
export const Alert = z.object({
  id: z.string().describe('also the Idempotency-Key of its webhook delivery: one per rule × period × state'),
  rule_id: z.string(),
  rule_name: z.string(),
  state: z.enum(['firing', 'resolved']),
  period: z.object({ start: z.string(), end: z.string() }),
  message: z.string(),
  measurement: Measurement,
  fired_at: z.string(),
  delivery: z.object({ status: z.enum(DELIVERY_STATUSES), attempts: z.number().int(), next_attempt_at: z.string().nullable(), last_status: z.number().int().nullable(), last_error: z.string().nullable(), delivered_at: z.string().nullable() }),
});
export type Alert = z.infer<typeof Alert>;
export const AlertList = z.object({
  firing: z.number().int().describe('rules whose last evaluation is firing'),
  total: z.number().int(),
  alerts: z.array(Alert),
});
export type AlertList = z.infer<typeof AlertList>;
export const AlertQuery = z.object({
  state: z.enum(['firing', 'resolved']).optional(),
  rule_id: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The JSON body POSTed to ALERT_WEBHOOK_URL (signed over its raw bytes). */
export interface WebhookBody {
  type: 'invoice_pulse.alert';
  alert_id: string;
  state: 'firing' | 'resolved';
  rule: { id: string; name: string } & RuleDefinition;
  period: { start: string; end: string };
  message: string;
  measurement: Measurement;
  fired_at: string;
  /** Unix seconds, equal to the X-InvoicePulse-Timestamp header; signed with the body. */
  sent_at: number;
  attempt: number;
}
