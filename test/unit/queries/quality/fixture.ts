/**
 * The customers every data-quality query test reads (volume_outliers builds its own year of
 * events). Each carries one flaw, or the look-alike that must not be flagged:
 *
 * - q1 telecom, SEK: invoice i1 of 200 with a 50 fee, paid 250 (exactly amount + fee: fine);
 *   invoice i2 of 100 paid twice (excess 100). Pays by autogiro.
 * - q2 telecom, started in SEK and later updated to NOK (its latest currency is NOK): invoice i1 of
 *   300 in NOK paid 300.50 (excess 0.50). Pays with the unknown label " Giro-Plus ". Cancelled on
 *   2025-03-01; then a plan change (never after a cancellation), an invoice on 2025-03-15 (inside
 *   the 90-day settlement) and a payment on 2025-07-01 (past it).
 * - q3 energy, no currency on the customer, one invoice in EUR; pays with "giro-plus" and with
 *   "My Automatic Pay" (classified by its name). Cancelled on 2025-01-01 but started again on
 *   2025-02-01, so its later plan change is no flaw.
 * - o1 and o2: orphans (contacts and a payment, none of the events that make a customer).
 */
import type { Ev } from '../store.ts';

export const QUALITY_EVENTS: Ev[] = [
  { type: 'subscription_started', at: '2025-01-05T08:00:00Z', customer: 'q1', plan: 'basic', monthly_price: 200, currency: 'SEK' },
  { type: 'customer_updated', at: '2025-01-05T08:00:01Z', customer: 'q1', vertical: 'telecom', market: 'SE' },
  { type: 'invoice_issued', at: '2025-02-01T00:00:00Z', customer: 'q1', invoice_id: 'i1', amount: 200, due_date: '2025-02-28' },
  { type: 'fee_charged', at: '2025-03-05T00:00:00Z', customer: 'q1', invoice_id: 'i1', fee_type: 'reminder', amount: 50 },
  { type: 'payment_received', at: '2025-03-10T00:00:00Z', customer: 'q1', invoice_id: 'i1', amount: 250, method: 'autogiro' },
  { type: 'invoice_issued', at: '2025-03-01T00:00:00Z', customer: 'q1', invoice_id: 'i2', amount: 100, due_date: '2025-03-31' },
  { type: 'payment_received', at: '2025-03-20T00:00:00Z', customer: 'q1', invoice_id: 'i2', amount: 100, method: 'autogiro' },
  { type: 'payment_received', at: '2025-03-21T00:00:00Z', customer: 'q1', invoice_id: 'i2', amount: 100, method: 'autogiro' },

  { type: 'subscription_started', at: '2025-01-10T08:00:00Z', customer: 'q2', plan: 'basic', monthly_price: 300, currency: 'SEK' },
  { type: 'customer_updated', at: '2025-01-20T08:00:00Z', customer: 'q2', vertical: 'telecom', market: 'NO', currency: 'NOK' },
  { type: 'invoice_issued', at: '2025-02-01T00:00:00Z', customer: 'q2', invoice_id: 'i1', amount: 300, due_date: '2025-02-28', currency: 'NOK' },
  { type: 'payment_received', at: '2025-02-20T00:00:00Z', customer: 'q2', invoice_id: 'i1', amount: 300.5, method: ' Giro-Plus ' },
  { type: 'subscription_cancelled', at: '2025-03-01T00:00:00Z', customer: 'q2', reason: 'price' },
  { id: 'q2-plan', type: 'plan_changed', at: '2025-03-10T00:00:00Z', customer: 'q2', plan: 'plus', monthly_price: 350 },
  { type: 'invoice_issued', at: '2025-03-15T00:00:00Z', customer: 'q2', invoice_id: 'i2', amount: 300, due_date: '2025-04-15', currency: 'NOK' },
  { id: 'q2-late-pay', type: 'payment_received', at: '2025-07-01T00:00:00Z', customer: 'q2', invoice_id: 'i2', amount: 300, method: 'swish' },

  { type: 'subscription_started', at: '2024-06-01T08:00:00Z', customer: 'q3', plan: 'basic', monthly_price: 90 },
  { type: 'customer_updated', at: '2024-06-01T08:00:01Z', customer: 'q3', vertical: 'energy', market: 'SE' },
  { type: 'invoice_issued', at: '2024-07-01T00:00:00Z', customer: 'q3', invoice_id: 'i1', amount: 90, due_date: '2024-07-31', currency: 'EUR' },
  { type: 'payment_received', at: '2024-07-20T00:00:00Z', customer: 'q3', invoice_id: 'i1', amount: 90, method: 'giro-plus' },
  { type: 'payment_method_changed', at: '2024-08-01T00:00:00Z', customer: 'q3', method: 'My Automatic Pay' },
  { type: 'subscription_cancelled', at: '2025-01-01T00:00:00Z', customer: 'q3' },
  { type: 'subscription_started', at: '2025-02-01T00:00:00Z', customer: 'q3', plan: 'basic', monthly_price: 90 },
  { type: 'plan_changed', at: '2025-02-10T00:00:00Z', customer: 'q3', plan: 'plus', monthly_price: 120 },

  { type: 'contact', at: '2025-02-01T10:00:00Z', customer: 'o1', channel: 'phone', topic: 'sales' },
  { type: 'contact', at: '2025-04-03T10:00:00Z', customer: 'o1', channel: 'chat', topic: 'sales' },
  { type: 'payment_received', at: '2025-03-01T10:00:00Z', customer: 'o1', invoice_id: 'x', amount: 10, method: 'swish' },
  { type: 'contact', at: '2025-01-15T10:00:00Z', customer: 'o2', channel: 'phone', topic: 'other' },
];
