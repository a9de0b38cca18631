/**
 * queries/facts/refresh_payment_months.sql on three customers: one row per customer and UTC month
 * with a payment, the first payment of the month and the first automatic one (by the map, with a
 * label padded and in capitals; a label the map lacks counts when it names itself automatic), and
 * a payment in a later batch refreshes only its customer.
 */
import { describe, expect, it } from 'vitest';
import { useStore, type Ev } from '../store.ts';

const pay = (customer: string, at: string, method: string | null, batch = 1): Ev => ({ type: 'payment_received', at, customer, invoice_id: `i-${at.slice(0, 7)}`, amount: 100, method, batch });
const store = useStore([
  // p1: manual, then autogiro later in January; in February only paper giro. The last January
  // payment falls on the month's last microsecond UTC (still January).
  pay('p1', '2025-01-03T10:00:00Z', 'paper_giro'),
  pay('p1', '2025-01-20T10:00:00Z', '  AutoGiro '),
  pay('p1', '2025-01-31T23:59:59.999999Z', 'paper_giro'),
  pay('p1', '2025-02-05T10:00:00Z', 'paper_giro'),
  // p2: a label the map lacks but which names itself automatic, and a payment without a method.
  pay('p2', '2025-01-10T00:00:00Z', 'Automatic card'),
  pay('p2', '2025-03-01T00:00:00Z', null),
  // p3: no payment at all, only an invoice.
  { type: 'invoice_issued', at: '2025-01-01T00:00:00Z', customer: 'p3', invoice_id: 'i1', amount: 100, due_date: '2025-01-20', channel: 'email' },
]);

const rows = (s: ReturnType<typeof store>) =>
  s.rows(`SELECT customer_id, strftime(month_start, '%Y-%m-%d') AS month, strftime(first_paid_at, '%Y-%m-%dT%H:%M:%SZ') AS paid, strftime(first_automatic_at, '%Y-%m-%dT%H:%M:%SZ') AS automatic
          FROM fact_payment_months ORDER BY 1, 2`);

describe('facts/refresh_payment_months', () => {
  it('keeps the first payment and the first automatic payment of each customer and month', async () => {
    expect(await rows(store())).toEqual([
      { customer_id: 'p1', month: '2025-01-01', paid: '2025-01-03T10:00:00Z', automatic: '2025-01-20T10:00:00Z' },
      { customer_id: 'p1', month: '2025-02-01', paid: '2025-02-05T10:00:00Z', automatic: null },
      { customer_id: 'p2', month: '2025-01-01', paid: '2025-01-10T00:00:00Z', automatic: '2025-01-10T00:00:00Z' },
      { customer_id: 'p2', month: '2025-03-01', paid: '2025-03-01T00:00:00Z', automatic: null },
    ]);
  });

  it('a payment in a later batch refreshes its customer only, earlier in a month already stored', async () => {
    const s = store();
    await s.rows(`INSERT INTO events (event_id, type, occurred_at, customer_id, invoice_id, amount, method, batch_id)
                  VALUES ('late-pay', 'payment_received', TIMESTAMPTZ '2025-02-01 00:00:00+00', 'p1', 'i-2025-02', 5, 'direct_debit', 2)`);
    // Stale on purpose for p2: a refresh of batch 2 must not touch a customer it did not touch.
    await s.rows(`UPDATE fact_payment_months SET first_automatic_at = NULL WHERE customer_id = 'p2'`);
    await s.query('facts/refresh_payment_months', { after: 1, upto: 2 });
    expect(await rows(s)).toEqual([
      { customer_id: 'p1', month: '2025-01-01', paid: '2025-01-03T10:00:00Z', automatic: '2025-01-20T10:00:00Z' },
      { customer_id: 'p1', month: '2025-02-01', paid: '2025-02-01T00:00:00Z', automatic: '2025-02-01T00:00:00Z' },
      { customer_id: 'p2', month: '2025-01-01', paid: '2025-01-10T00:00:00Z', automatic: null },
      { customer_id: 'p2', month: '2025-03-01', paid: '2025-03-01T00:00:00Z', automatic: null },
    ]);
  });
});
