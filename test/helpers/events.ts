/**
 * A deterministic mix of valid events of every type (for ingestion tests), and encoders into
 * each accepted media type.
 */
import { tableToIPC, vectorFromArray, Utf8, Float64, Table, type Vector } from "apache-arrow";
import { mulberry32 } from './random.ts';


export type TestEvent = Record<string, string | number>;

export function makeEvents(n: number, seed = 1, prefix = 'ev'): TestEvent[] {
  const r = mulberry32(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const out: TestEvent[] = [];
  for (let i = 0; i < n; i++) {
    const base = {
      event_id: `${prefix}-${seed}-${i}`,
      occurred_at: new Date(Date.UTC(2025, 0, 1) + Math.floor(r() * 300 * 86400) * 1000).toISOString().replace('.000Z', 'Z'),
      customer_id: `C${String(Math.floor(r() * 200)).padStart(5, '0')}`,
    };
    const inv = `INV-${Math.floor(r() * 5000)}`;
    const money = Math.round(r() * 50000) / 100;
    const k = i % 18;
    const e: TestEvent = [
      () => ({ type: 'customer_updated', vertical: pick(['telecom', 'broadband', 'energy', 'alarm']), market: pick(['SE', 'NO', 'DK', 'FI']), birth_year: 1940 + Math.floor(r() * 65), segment: 'consumer', plan: 'p1', monthly_price: money, currency: 'SEK', satisfaction: 1 + Math.floor(r() * 5) }),
      () => ({ type: 'subscription_started', plan: pick(['mobile_s', 'mobile_l', 'bb_500']), monthly_price: money, currency: 'NOK', binding_months: 12 }),
      () => ({ type: 'plan_changed', plan: 'mobile_m', monthly_price: money }),
      () => ({ type: 'subscription_cancelled', reason: pick(['price', 'service', 'competitor', 'billing', 'moved', 'other']) }),
      () => ({ type: 'invoice_issued', invoice_id: inv, amount: money, due_date: '2025-11-30', currency: 'SEK', channel: pick(['paper', 'email', 'sms', 'einvoice', 'digital_mailbox', 'app']) }),
      () => ({ type: 'invoice_viewed', invoice_id: inv, channel: 'app' }),
      () => ({ type: 'payment_received', invoice_id: inv, amount: money, method: pick(['autogiro', 'swish', 'card', 'bank_transfer']) }),
      () => ({ type: 'payment_failed', method: 'autogiro', invoice_id: inv, reason: 'insufficient funds, "quoted"' }),
      () => ({ type: 'reminder_sent', invoice_id: inv, kind: pick(['soft', 'hard']), channel: 'email', fee_amount: 60 }),
      () => ({ type: 'fee_charged', invoice_id: inv, fee_type: 'reminder', amount: 60 }),
      () => ({ type: 'collection_started', invoice_id: inv, amount: money }),
      () => ({ type: 'payment_method_changed', method: pick(['autogiro', 'avtalegiro', 'card_recurring']) }),
      () => ({ type: 'payment_unmatched', amount: money, reference: 'OCR 1234,5678\nsecond line' }),
      () => ({ type: 'contact', channel: pick(['phone', 'chat', 'email']), topic: pick(['invoice', 'fee', 'payment']), direction: 'inbound', wait_seconds: Math.floor(r() * 300), handle_seconds: 60 + Math.floor(r() * 600) }),
      () => ({ type: 'offer_shown', offer_id: 'direct_debit', placement: 'invoice' }),
      () => ({ type: 'offer_accepted', offer_id: 'direct_debit' }),
      () => ({ type: 'survey_response', score: Math.floor(r() * 11) }),
      () => ({ type: 'usage_reported', period_start: '2025-06-01', used: Math.round(r() * 1000) / 10, included: 100 }),
    ][k]();
    out.push({ ...base, ...e });
  }
  return out;
}

/**
 * The honest-headlines problem 1 (API and browser tests alike): 2 000 stray contacts, all on Friday
 * 16 October 2026 between 08:00 and 16:59, each for an id with no other event.
 */
export const strayContacts = (n = 2000): TestEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    event_id: `stray-${i}`,
    type: 'contact',
    occurred_at: `2026-10-16T${String(8 + (i % 9)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`,
    customer_id: `STRAY-${String(i).padStart(4, '0')}`,
    channel: 'phone',
    topic: 'invoice',
  }));

export const toNdjson = (events: object[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

export function toCsv(events: TestEvent[]): string {
  const fields = [...new Set(events.flatMap((e) => Object.keys(e)))];
  const cell = (v: unknown) => {
    if (v === undefined || v === null) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [fields.join(','), ...events.map((e) => fields.map((f) => cell(e[f])).join(','))].join('\r\n') + '\r\n';
}

/** Events as one Arrow IPC stream, a column per field (numbers as Float64, the rest as text); the ingest bench sends its batches this way too. */
export function toArrow(events: readonly Record<string, unknown>[]): Uint8Array {
  const fields = [...new Set(events.flatMap((e) => Object.keys(e)))];
  const columns: Record<string, Vector> = {};
  for (const f of fields) {
    const values = events.map((e) => (e[f] === undefined ? null : e[f]));
    const numeric = values.every((v) => v === null || typeof v === 'number');
    columns[f] = numeric ? vectorFromArray(values as (number | null)[], new Float64()) : vectorFromArray(values.map((v) => (v === null ? null : String(v))), new Utf8());
  }
  return tableToIPC(new Table(columns), 'stream');
}
