/**
 * The customers and contacts every staffing query test reads, in Europe/Stockholm (UTC+1 in
 * winter), chosen so that local days differ from UTC days around midnight:
 *
 * - s1 signed up 2024-12-20; its first invoice i1 (paper) is issued 2025-01-02 07:00Z, due
 *   2025-01-31, soft-reminded that morning, hard-reminded 2025-02-10 with a 60 fee (disputed by its
 *   fee contact the next day), paid 2025-02-03 (late). It moves to autogiro on 2025-02-15 (a direct-debit activation).
 * - s2 a customer since 2023: invoice i1 (email) issued 2025-01-02 07:00Z, due 2025-01-31, paid
 *   2025-01-20; a failed debit on 2025-01-31 05:00Z; one unmatched payment on 2025-01-25.
 * - s3 signed up 2024-06-01: invoice i1 (email) issued 2025-01-15 23:30Z (already 16 January in
 *   Stockholm), due 2025-02-14, never paid; a collection starts on 2025-03-01.
 * - Contacts: s1 by phone on 3 Jan 10:05Z (invoice, handle 300 s, wait 60 s) and by chat at 22:50Z
 *   (invoice, handle 200 s); s2 by phone at 23:10Z on 3 Jan, which is 00:10 on 4 January locally
 *   (payment, handle 400 s, wait 30 s), and an outbound call that is no demand; s1 by phone on
 *   11 Feb 09:00Z about its fee (which disputes it).
 */
import type { Ev } from '../store.ts';

export const TZ = 'Europe/Stockholm';
/** Days since 1970-01-01 of a calendar date, as the staffing queries return days. */
export const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

const start = (id: string, at: string): Ev[] => [
  { type: 'subscription_started', at: `${at}T08:00:00Z`, customer: id, plan: 'basic', monthly_price: 100 },
  { type: 'customer_updated', at: `${at}T08:00:01Z`, customer: id, vertical: 'telecom', market: 'SE' },
];
const contact = (customer: string, at: string, channel: string, topic: string, more: Partial<Ev> = {}): Ev => ({ type: 'contact', at, customer, channel, topic, ...more });

export const STAFFING_EVENTS: Ev[] = [
  ...start('s1', '2024-12-20'),
  ...start('s2', '2023-01-01'),
  ...start('s3', '2024-06-01'),
  { type: 'invoice_issued', at: '2025-01-02T07:00:00Z', customer: 's1', invoice_id: 'i1', amount: 100, due_date: '2025-01-31', channel: 'paper' },
  { type: 'reminder_sent', at: '2025-01-31T06:00:00Z', customer: 's1', invoice_id: 'i1', kind: 'soft' },
  { type: 'payment_received', at: '2025-02-03T10:00:00Z', customer: 's1', invoice_id: 'i1', amount: 100, method: 'ocr_transfer' },
  { type: 'reminder_sent', at: '2025-02-10T09:00:00Z', customer: 's1', invoice_id: 'i1', kind: 'hard' },
  { id: 'fee1', type: 'fee_charged', at: '2025-02-10T09:00:00Z', customer: 's1', invoice_id: 'i1', fee_type: 'reminder', amount: 60 },
  { type: 'payment_method_changed', at: '2025-02-15T09:00:00Z', customer: 's1', method: 'autogiro' },
  { type: 'invoice_issued', at: '2025-01-02T07:00:00Z', customer: 's2', invoice_id: 'i1', amount: 100, due_date: '2025-01-31', channel: 'email' },
  { type: 'payment_received', at: '2025-01-20T10:00:00Z', customer: 's2', invoice_id: 'i1', amount: 100, method: 'autogiro' },
  { type: 'payment_failed', at: '2025-01-31T05:00:00Z', customer: 's2', invoice_id: 'i1', method: 'autogiro' },
  { type: 'payment_unmatched', at: '2025-01-25T10:00:00Z', customer: 's2', amount: 100 },
  { type: 'invoice_issued', at: '2025-01-15T23:30:00Z', customer: 's3', invoice_id: 'i1', amount: 100, due_date: '2025-02-14', channel: 'email' },
  { type: 'collection_started', at: '2025-03-01T09:00:00Z', customer: 's3', invoice_id: 'i1' },
  contact('s1', '2025-01-03T10:05:00Z', 'phone', 'invoice', { handle_seconds: 300, wait_seconds: 60 }),
  contact('s1', '2025-01-03T22:50:00Z', 'chat', 'invoice', { handle_seconds: 200 }),
  contact('s2', '2025-01-03T23:10:00Z', 'phone', 'payment', { handle_seconds: 400, wait_seconds: 30 }),
  contact('s2', '2025-01-03T10:10:00Z', 'phone', 'payment', { direction: 'outbound', handle_seconds: 100 }),
  contact('s1', '2025-02-11T09:00:00Z', 'phone', 'fee'),
];
