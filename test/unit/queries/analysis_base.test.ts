/**
 * queries/analysis_base.sql, the per-customer base every analysis reads, in the lifetime view as
 * of 2025-06-30, on the churn fixture plus three customers that test who is a customer:
 * c5 has only an unpaid invoice (first seen late, tenure unknown), c6 is first seen by a
 * customer_updated of 2024-05-01 carrying customer_since 2020-03-01 (delayed entry) and was charged
 * two fees, and c7 signs up after the as-of date.
 */
import { describe, expect, it } from 'vitest';
import { useStore, type Ev } from './store.ts';
import { AS_OF, CHURN_EVENTS } from './churn/fixture.ts';

const EXTRA: Ev[] = [
  { type: 'invoice_issued', at: '2024-06-01T00:00:00Z', customer: 'c5', invoice_id: 'i1', amount: 50, due_date: '2024-06-30' },
  { type: 'customer_updated', at: '2024-05-01T00:00:00Z', customer: 'c6', vertical: 'alarm', market: 'SE', extra: JSON.stringify({ customer_since: '2020-03-01' }) },
  { type: 'invoice_issued', at: '2024-06-01T00:00:00Z', customer: 'c6', invoice_id: 'i1', amount: 50, due_date: '2024-06-30' },
  { type: 'fee_charged', at: '2024-07-05T00:00:00Z', customer: 'c6', invoice_id: 'i1', fee_type: 'reminder', amount: 60 },
  { type: 'fee_charged', at: '2024-08-05T00:00:00Z', customer: 'c6', invoice_id: 'i1', fee_type: 'reminder', amount: 60 },
  { type: 'subscription_started', at: '2025-08-01T00:00:00Z', customer: 'c7', plan: 'basic', monthly_price: 10 },
];
const store = useStore([...CHURN_EVENTS, ...EXTRA]);
const COLUMNS = ['customer_id', 'observed_late', 'tenure_known', 'on_time_scale', 'entry_days', 'churned', 'time_days', 'tenure_band', 'age_band', 'payment_method_class', 'invoices_due', 'late_invoices', 'timeliness', 'fees', 'fee_exposure', 'contacts', 'billing_contacts'];

describe('analysis_base', () => {
  it('derives entry, outcome, time and exposures per customer as docs/definitions.md defines them', async () => {
    const base = await store().base(AS_OF);
    const rows = await store().rows(`SELECT ${COLUMNS.join(', ')} FROM ${base} ORDER BY customer_id`);
    expect(rows.map((r) => COLUMNS.map((c) => r[c]))).toEqual([
      // 2024-01-10 09:00 to 2025-07-01 00:00: 538 days less 9 hours; both invoices paid on time; one call about an invoice.
      ['c1', false, true, true, 0, false, 537.625, '1-2y', '30-49', 'automatic', '2', '0', 'on_time', '0', 'none', '1', '1'],
      // Churned 2025-04-15 10:00, 435 days and an hour after signing up; its one invoice paid late; its call was about cancelling.
      ['c2', false, true, true, 0, true, 435 + 1 / 24, '1-2y', '30-49', 'manual', '1', '1', 'late_once', '0', 'none', '1', '0'],
      ['c3', false, true, true, 0, false, 791.625, '2+y', '30-49', 'manual', '1', '0', 'on_time', '0', 'none', '0', '0'],
      // Its contact of 2025-07-02 is after the as-of date; the two before it are about payment and an invoice.
      ['c4', false, true, true, 0, false, 477.625, '1-2y', '30-49', 'automatic', '1', '0', 'on_time', '0', 'none', '2', '2'],
      // First seen at its invoice (2024-06-01), 395 days before the end; its origin unknown, so off the tenure scale; unpaid and overdue is late.
      ['c5', true, false, false, 0, false, 395, '1-2y', 'unknown', 'unknown', '1', '1', 'late_once', '0', 'none', '0', '0'],
      // Tenure from 2020-03-01, seen from 2024-05-01: 1 522 days of it before we could see it leave, 1 948 in all.
      ['c6', true, true, true, 1522, false, 1948, '2+y', 'unknown', 'unknown', '1', '1', 'late_once', '2', 'two_or_more', '0', '0'],
      // c7 signs up after the as-of date: no row.
    ]);
  });
});
