/**
 * The event contract of docs/event-contract.md as data: the envelope, every event type and the rule of each
 * field. This is the single source from which the DuckDB columns (schema), the row validation
 * (generated SQL, see validation-sql.ts) and the OpenAPI schemas (zod, see schemas.ts) are derived,
 * so the three cannot drift apart. Change the contract here and all of them follow.
 */

export type FieldRule =
  | { kind: 'string'; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'country' }
  | { kind: 'currency' }
  | { kind: 'date' }
  | { kind: 'number'; min: number; max: number; integer?: boolean };

export interface FieldSpec {
  rule: FieldRule;
  required: boolean;
  description?: string;
}

/** Money amounts: finite, and below what any household invoice could carry. */
const MONEY = { kind: 'number', min: 0, max: 1e9 } as const;
export const INVOICE_CHANNELS = ['paper', 'email', 'sms', 'einvoice', 'digital_mailbox', 'app'] as const;
export const CONTACT_CHANNELS = ['phone', 'chat', 'email', 'sms', 'invoice_message', 'social'] as const;
export const VERTICALS = ['telecom', 'broadband', 'energy', 'alarm', 'other'] as const;
export const CANCEL_REASONS = ['price', 'service', 'competitor', 'billing', 'moved', 'other'] as const;
export const FEE_TYPES = ['reminder', 'late_interest', 'paper_invoice', 'collection'] as const;
export const CONTACT_TOPICS = ['invoice', 'payment', 'fee', 'technical', 'sales', 'cancellation', 'other'] as const;

const req = (rule: FieldRule, description?: string): FieldSpec => ({ rule, required: true, description });
const opt = (rule: FieldRule, description?: string): FieldSpec => ({ rule, required: false, description });
const str = (max = 256): FieldRule => ({ kind: 'string', max });
const oneOf = (values: readonly string[]): FieldRule => ({ kind: 'enum', values });

export const ENVELOPE = {
  event_id: req(str(128), 'Idempotency key: the same event_id is stored once.'),
  type: req(str(64), 'One of the event types.'),
  occurred_at: req(str(64), 'RFC 3339 timestamp with offset or Z; at most 1 day in the future.'),
  customer_id: req(str(128)),
} as const;

export const EVENT_TYPES = {
  customer_updated: {
    vertical: opt(oneOf(VERTICALS)),
    market: opt({ kind: 'country' }, 'ISO 3166-1 alpha-2'),
    birth_year: opt({ kind: 'number', min: 1900, max: 2100, integer: true }),
    segment: opt(str(64)),
    plan: opt(str(128)),
    monthly_price: opt(MONEY),
    currency: opt({ kind: 'currency' }, 'ISO 4217'),
    satisfaction: opt({ kind: 'number', min: 1, max: 5, integer: true }),
  },
  subscription_started: {
    plan: req(str(128)),
    monthly_price: req(MONEY),
    currency: opt({ kind: 'currency' }),
    binding_months: opt({ kind: 'number', min: 0, max: 120, integer: true }),
  },
  plan_changed: { plan: req(str(128)), monthly_price: req(MONEY) },
  subscription_cancelled: { reason: opt(oneOf(CANCEL_REASONS)) },
  invoice_issued: {
    invoice_id: req(str(128)),
    amount: req(MONEY),
    due_date: req({ kind: 'date' }),
    currency: opt({ kind: 'currency' }),
    channel: opt(oneOf(INVOICE_CHANNELS)),
  },
  invoice_viewed: { invoice_id: req(str(128)), channel: opt(oneOf(INVOICE_CHANNELS)) },
  payment_received: { invoice_id: req(str(128)), amount: req(MONEY), method: req(str(64)) },
  payment_failed: { method: req(str(64)), invoice_id: opt(str(128)), reason: opt(str(256)) },
  reminder_sent: {
    invoice_id: req(str(128)),
    kind: req(oneOf(['soft', 'hard'])),
    channel: opt(oneOf(INVOICE_CHANNELS)),
    fee_amount: opt(MONEY, 'Describes the reminder; fees are counted from fee_charged only.'),
  },
  fee_charged: { invoice_id: req(str(128)), fee_type: req(oneOf(FEE_TYPES)), amount: req(MONEY) },
  collection_started: { invoice_id: req(str(128)), amount: opt(MONEY) },
  payment_method_changed: { method: req(str(64)) },
  payment_unmatched: { amount: req(MONEY), reference: opt(str(128)) },
  contact: {
    channel: req(oneOf(CONTACT_CHANNELS)),
    topic: req(oneOf(CONTACT_TOPICS)),
    direction: opt(oneOf(['inbound', 'outbound'])),
    wait_seconds: opt({ kind: 'number', min: 0, max: 86_400 * 7 }),
    handle_seconds: opt({ kind: 'number', min: 0, max: 86_400 }),
  },
  offer_shown: { offer_id: req(str(128)), placement: opt(oneOf(['invoice', 'email', 'sms', 'app', 'web'])) },
  offer_accepted: { offer_id: req(str(128)) },
  survey_response: { score: req({ kind: 'number', min: 0, max: 10 }) },
  usage_reported: {
    period_start: req({ kind: 'date' }),
    used: req({ kind: 'number', min: 0, max: 1e12 }),
    included: req({ kind: 'number', min: 0, max: 1e12 }),
  },
} as const satisfies Record<string, Record<string, FieldSpec>>;

export type EventType = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];

/** Column type of each payload field in the events table; one column per field name. */
export type ColumnType = 'VARCHAR' | 'DOUBLE' | 'INTEGER' | 'DECIMAL(18,4)' | 'DATE';

function columnTypeOf(name: string, rule: FieldRule): ColumnType {
  if (rule.kind === 'date') return 'DATE';
  if (rule.kind !== 'number') return 'VARCHAR';
  // Money stays decimal so sums of fees and invoices are exact.
  if (rule === MONEY || name === 'amount' || name.endsWith('_price') || name === 'fee_amount') return 'DECIMAL(18,4)';
  return rule.integer ? 'INTEGER' : 'DOUBLE';
}

export interface PayloadColumn {
  name: string;
  type: ColumnType;
}

/** Every payload field name across all types, in a stable order, with its column type. */
export const PAYLOAD_COLUMNS: readonly PayloadColumn[] = (() => {
  const seen = new Map<string, ColumnType>();
  for (const fields of Object.values(EVENT_TYPES)) {
    for (const [name, spec] of Object.entries(fields) as [string, FieldSpec][]) {
      const type = columnTypeOf(name, spec.rule);
      const prior = seen.get(name);
      if (prior && prior !== type) throw new Error(`contract: field ${name} has two column types`);
      seen.set(name, type);
    }
  }
  return [...seen].map(([name, type]) => ({ name, type }));
})();

/** Machine-readable rejection codes; the same set is documented in the OpenAPI document. */
export const REJECTION_CODES = [
  'invalid_json',
  'invalid_encoding',
  'malformed_row',
  'unknown_type',
  'missing_field',
  'invalid_value',
  'invalid_timestamp',
  'future_timestamp',
  'out_of_range',
  'too_long',
  'row_too_large',
  'implausible_date',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];
