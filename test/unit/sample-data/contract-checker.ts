/**
 * An independent reading of the docs/event-contract.md event contract, written from the document and not from
 * the generator's code, so that a generator bug cannot hide behind a shared table. It returns every
 * reason a row breaks the contract (not just the first), which lets the dirt test demand that each
 * invalid row is broken in exactly one way.
 */

const TYPES: Record<string, { required: string[] }> = {
  customer_updated: { required: [] },
  subscription_started: { required: ['plan', 'monthly_price'] },
  plan_changed: { required: ['plan', 'monthly_price'] },
  subscription_cancelled: { required: [] },
  invoice_issued: { required: ['invoice_id', 'amount', 'due_date'] },
  invoice_viewed: { required: ['invoice_id'] },
  payment_received: { required: ['invoice_id', 'amount', 'method'] },
  payment_failed: { required: ['method'] },
  reminder_sent: { required: ['invoice_id', 'kind'] },
  fee_charged: { required: ['invoice_id', 'fee_type', 'amount'] },
  collection_started: { required: ['invoice_id'] },
  payment_method_changed: { required: ['method'] },
  payment_unmatched: { required: ['amount'] },
  contact: { required: ['channel', 'topic'] },
  offer_shown: { required: ['offer_id'] },
  offer_accepted: { required: ['offer_id'] },
  survey_response: { required: ['score'] },
  usage_reported: { required: ['period_start', 'used', 'included'] },
};
export const EVENT_TYPE_NAMES = Object.keys(TYPES);

const ENUMS: Record<string, Record<string, string[]>> = {
  customer_updated: { vertical: ['telecom', 'broadband', 'energy', 'alarm', 'other'] },
  subscription_cancelled: { reason: ['price', 'service', 'competitor', 'billing', 'moved', 'other'] },
  invoice_issued: { channel: ['paper', 'email', 'sms', 'einvoice', 'digital_mailbox', 'app'] },
  invoice_viewed: { channel: ['paper', 'email', 'sms', 'einvoice', 'digital_mailbox', 'app'] },
  reminder_sent: { kind: ['soft', 'hard'], channel: ['paper', 'email', 'sms', 'einvoice', 'digital_mailbox', 'app'] },
  fee_charged: { fee_type: ['reminder', 'late_interest', 'paper_invoice', 'collection'] },
  contact: {
    channel: ['phone', 'chat', 'email', 'sms', 'invoice_message', 'social'],
    topic: ['invoice', 'payment', 'fee', 'technical', 'sales', 'cancellation', 'other'],
    direction: ['inbound', 'outbound'],
  },
  offer_shown: { placement: ['invoice', 'email', 'sms', 'app', 'web'] },
};

/** Numeric fields with their allowed range. */
const RANGES: Record<string, [number, number]> = {
  amount: [0, Infinity],
  monthly_price: [0, Infinity],
  fee_amount: [0, Infinity],
  used: [0, Infinity],
  included: [0, Infinity],
  wait_seconds: [0, Infinity],
  handle_seconds: [0, Infinity],
  binding_months: [0, 600],
  score: [0, 10],
  satisfaction: [1, 5],
  birth_year: [1900, 2100],
};
const DATE_FIELDS = ['due_date', 'period_start'];
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const AUTOMATIC = ['autogiro', 'avtalegiro', 'betalingsservice', 'sepa_direct_debit', 'direct_debit', 'card_recurring'];
export const MANUAL = ['bank_transfer', 'ocr_transfer', 'paper_giro', 'card', 'swish', 'vipps', 'mobilepay', 'cash', 'einvoice'];

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(s + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export type Code =
  | 'invalid_json' | 'unknown_type' | 'missing_field' | 'invalid_value' | 'invalid_timestamp' | 'future_timestamp'
  | 'out_of_range' | 'too_long';

/** Every contract violation of one NDJSON line; empty when valid. `now` bounds future timestamps. */
export function violations(line: string, now: number): Code[] {
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(line);
  } catch {
    return ['invalid_json'];
  }
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return ['invalid_json'];
  const out = new Set<Code>();
  for (const f of ['event_id', 'type', 'occurred_at', 'customer_id']) if (!(f in e)) out.add('missing_field');
  for (const f of ['event_id', 'customer_id']) {
    const v = e[f];
    if (f in e && (typeof v !== 'string' || v.length === 0)) out.add('invalid_value');
    if (typeof v === 'string' && v.length > 128) out.add('too_long');
  }
  const type = e.type;
  if ('type' in e && (typeof type !== 'string' || !(type in TYPES))) out.add('unknown_type');
  if ('occurred_at' in e) {
    const ts = e.occurred_at;
    const m = typeof ts === 'string' ? RFC3339.exec(ts) : null;
    if (!m || !validDate(`${m[1]}-${m[2]}-${m[3]}`) || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) out.add('invalid_timestamp');
    else if (Date.parse(ts as string) > now + 86_400_000) out.add('future_timestamp');
  }
  if (typeof type === 'string' && type in TYPES) {
    for (const f of TYPES[type].required) if (!(f in e) || e[f] === null) out.add('missing_field');
    for (const [f, allowed] of Object.entries(ENUMS[type] ?? {})) {
      if (f in e && !allowed.includes(String(e[f]))) out.add('invalid_value');
    }
  }
  for (const f of DATE_FIELDS) if (f in e && (typeof e[f] !== 'string' || !validDate(e[f] as string))) out.add('invalid_value');
  for (const [f, [lo, hi]] of Object.entries(RANGES)) {
    if (!(f in e)) continue;
    const v = e[f];
    if (typeof v !== 'number') out.add('invalid_value');
    else if (!Number.isFinite(v) || v < lo || v > hi) out.add('out_of_range');
  }
  for (const f of ['plan', 'invoice_id', 'method', 'offer_id', 'currency', 'market', 'reference', 'segment']) {
    if (f in e && (typeof e[f] !== 'string' || (e[f] as string).length === 0)) out.add('invalid_value');
  }
  if ('currency' in e && !/^[A-Z]{3}$/.test(String(e.currency))) out.add('invalid_value');
  if ('market' in e && !/^[A-Z]{2}$/.test(String(e.market))) out.add('invalid_value');
  return [...out];
}

/** Splits NDJSON text into lines (the text must end with a newline). */
export function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.pop() !== '') throw new Error('NDJSON must end with a newline');
  return lines;
}
