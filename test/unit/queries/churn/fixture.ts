/**
 * The four customers every churn-folder query test reads, as of 2025-06-30 (the end of that day
 * is the as-of bound, 2025-07-01T00:00Z). Written once here so the tests count from one list:
 *
 * - c1 telecom SE, signed up 2024-01-10, pays by autogiro (automatic): two email invoices, both
 *   paid before due; the first viewed 24 h after issue; one phone contact about an invoice in
 *   March 2024 (more than a year before the as-of date).
 * - c2 telecom SE, signed up 2024-02-05, pays by OCR transfer (manual): one paper invoice never
 *   viewed and paid after its due date (2024-02-28, paid 2024-03-10); a chat contact in June 2025; cancelled 2025-04-15.
 * - c3 energy NO, signed up 2023-05-01 (before the first invoice in the data), pays by swish
 *   (manual): one einvoice viewed 12 h after issue, paid on time; never contacted.
 * - c4 energy SE, signed up 2024-03-10, pays by recurring card (automatic): one app invoice,
 *   never viewed; contacts by chat (payment) and phone (invoice) in 2025, and a phone contact
 *   dated after the as-of date that no query may count.
 */
import type { Ev } from '../store.ts';

export const AS_OF = '2025-06-30';
export const AS_OF_END = '2025-07-01T00:00:00Z';

const customer = (id: string, vertical: string, market: string, since: string): Ev[] => [
  { type: 'subscription_started', at: `${since}T09:00:00Z`, customer: id, plan: 'basic', monthly_price: 199, currency: market === 'NO' ? 'NOK' : 'SEK' },
  { type: 'customer_updated', at: `${since}T09:00:01Z`, customer: id, vertical, market, birth_year: 1980 },
];

/** An invoice issued at midnight UTC, paid in full at 10:00 on `paid`, and viewed at `viewed` if given. */
const invoice = (customer: string, invoice_id: string, issued: string, due_date: string, channel: string, amount: number, paid: string, method: string, viewed?: string): Ev[] => [
  { type: 'invoice_issued', at: `${issued}T00:00:00Z`, customer, invoice_id, amount, due_date, channel },
  ...(viewed ? [{ type: 'invoice_viewed', at: viewed, customer, invoice_id, channel }] : []),
  { type: 'payment_received', at: `${paid}T10:00:00Z`, customer, invoice_id, amount, method },
];

export const CHURN_EVENTS: Ev[] = [
  ...customer('c1', 'telecom', 'SE', '2024-01-10'),
  ...customer('c2', 'telecom', 'SE', '2024-02-05'),
  ...customer('c3', 'energy', 'NO', '2023-05-01'),
  ...customer('c4', 'energy', 'SE', '2024-03-10'),
  ...invoice('c1', 'i1', '2024-02-01', '2024-02-28', 'email', 199, '2024-02-20', 'autogiro', '2024-02-02T00:00:00Z'),
  ...invoice('c1', 'i2', '2024-03-01', '2024-03-31', 'email', 199, '2024-03-15', 'autogiro'),
  { type: 'contact', at: '2024-03-05T10:00:00Z', customer: 'c1', channel: 'phone', topic: 'invoice' },
  ...invoice('c2', 'i1', '2024-02-10', '2024-02-28', 'paper', 199, '2024-03-10', 'ocr_transfer'),
  { type: 'contact', at: '2025-06-01T10:00:00Z', customer: 'c2', channel: 'chat', topic: 'cancellation' },
  { type: 'subscription_cancelled', at: '2025-04-15T10:00:00Z', customer: 'c2', reason: 'price' },
  ...invoice('c3', 'i1', '2024-02-01', '2024-02-28', 'einvoice', 149, '2024-02-25', 'swish', '2024-02-01T12:00:00Z'),
  ...invoice('c4', 'i1', '2024-04-01', '2024-04-30', 'app', 99, '2024-04-10', 'card_recurring'),
  { type: 'contact', at: '2025-02-01T10:00:00Z', customer: 'c4', channel: 'chat', topic: 'payment' },
  { type: 'contact', at: '2025-05-01T10:00:00Z', customer: 'c4', channel: 'phone', topic: 'invoice' },
  { type: 'contact', at: '2025-07-02T10:00:00Z', customer: 'c4', channel: 'phone', topic: 'invoice' },
];
