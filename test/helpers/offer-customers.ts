/**
 * Hand-made customer histories for the offer tests: a customer of known payment method, timeliness,
 * fees, channel and offer history, placed before a given as-of date so that exactly the intended
 * eligibility rule applies to them.
 */
import type { TestEvent } from './events.ts';

const DAY = 86_400_000;

export interface SyntheticCustomer {
  id: string;
  asOf: string; // YYYY-MM-DD: every event is before the end of this day
  method?: string; // payment method label (default ocr_transfer: manual)
  lateInvoices?: number; // of the last 6 invoices, how many are paid 6 days late
  channel?: string; // invoice channel (default email)
  tenureDays?: number; // default 1000
  birthYear?: number;
  /** Offers shown (and optionally accepted) this many days before the as-of date. */
  offers?: { offer_id: string; daysAgo: number; accepted?: boolean }[];
  disputedFeeDaysAgo?: number;
  cancelledDaysAgo?: number;
  monthlyPrice?: number;
}

export function syntheticCustomer(s: SyntheticCustomer): TestEvent[] {
  const end = Date.parse(`${s.asOf}T12:00:00Z`);
  const at = (daysAgo: number, hour = 0) => new Date(end - daysAgo * DAY + hour * 3_600_000).toISOString().replace('.000Z', 'Z');
  const date = (daysAgo: number) => at(daysAgo).slice(0, 10);
  let k = 0;
  const ev = (type: string, daysAgo: number, fields: Record<string, string | number>, hour = 0): TestEvent => ({ event_id: `${s.id}-${k++}`, type, occurred_at: at(daysAgo, hour), customer_id: s.id, ...fields });
  const tenure = s.tenureDays ?? 1000;
  const price = s.monthlyPrice ?? 399;
  const out: TestEvent[] = [
    ev('subscription_started', tenure, { plan: 'mobile_m', monthly_price: price, currency: 'SEK', binding_months: 12 }),
    ev('customer_updated', tenure - 1, { vertical: 'telecom', market: 'SE', birth_year: s.birthYear ?? 1975, segment: 'consumer', plan: 'mobile_m', monthly_price: price, currency: 'SEK', satisfaction: 4 }),
  ];
  const method = s.method ?? 'ocr_transfer';
  const late = s.lateInvoices ?? 0;
  for (let i = 6; i >= 1; i--) {
    const issued = i * 30 + 14;
    const due = issued - 14;
    const invoice = `${s.id}-INV${i}`;
    out.push(ev('invoice_issued', issued, { invoice_id: invoice, amount: price, due_date: date(due), currency: 'SEK', channel: s.channel ?? 'email' }));
    if ((s.channel ?? 'email') !== 'paper') out.push(ev('invoice_viewed', issued - 1, { invoice_id: invoice, channel: s.channel ?? 'email' }));
    // The `late` most recent invoices are paid six days after their due date, the rest two days early.
    const paidAgo = i <= late ? due - 6 : due + 2;
    out.push(ev('payment_received', paidAgo, { invoice_id: invoice, amount: price, method }, 1));
  }
  if (s.disputedFeeDaysAgo !== undefined) {
    out.push(ev('fee_charged', s.disputedFeeDaysAgo, { invoice_id: `${s.id}-INV2`, fee_type: 'reminder', amount: 60 }));
    out.push(ev('contact', s.disputedFeeDaysAgo - 2, { channel: 'phone', topic: 'fee', direction: 'inbound', wait_seconds: 60, handle_seconds: 300 }));
  }
  for (const o of s.offers ?? []) {
    out.push(ev('offer_shown', o.daysAgo, { offer_id: o.offer_id, placement: 'invoice' }, 2));
    if (o.accepted) out.push(ev('offer_accepted', o.daysAgo, { offer_id: o.offer_id }, 5));
  }
  if (s.cancelledDaysAgo !== undefined) out.push(ev('subscription_cancelled', s.cancelledDaysAgo, { reason: 'price' }, 3));
  return out;
}
