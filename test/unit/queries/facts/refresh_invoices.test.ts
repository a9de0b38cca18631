/**
 * queries/facts/refresh_invoices.sql, incrementally: batch 1 is ingested and the facts built; then
 * batches 2 and 3 arrive (inserted below) and the refresh runs for (1, 3] only, as the upkeep does.
 *
 * - v1/i1: issued 2025-01-01 for 100 (email), paid 40 on 01-10 (batch 1); in batch 2, paid 60 on
 *   01-20, re-issued on 01-05 for 999 (the first issue stands), viewed on 01-02, soft-reminded twice.
 * - v2/i9: its payment of 50 on 01-02 arrives in batch 2, the invoice itself (issued 01-03) in batch 3.
 * - v3/i1: untouched by batches 2 and 3.
 */
import { describe, expect, it } from 'vitest';
import { useStore, type Ev } from '../store.ts';

const BATCH1: Ev[] = [
  { type: 'invoice_issued', at: '2025-01-01T00:00:00Z', customer: 'v1', invoice_id: 'i1', amount: 100, due_date: '2025-01-31', channel: 'email' },
  { type: 'payment_received', at: '2025-01-10T00:00:00Z', customer: 'v1', invoice_id: 'i1', amount: 40, method: 'swish' },
  { type: 'invoice_issued', at: '2025-01-01T00:00:00Z', customer: 'v3', invoice_id: 'i1', amount: 70, due_date: '2025-01-31' },
];
const LATER = [
  // event_id, type, occurred_at, customer, invoice, amount, due, channel, kind, method, batch
  ['b2-1', 'payment_received', '2025-01-20T00:00:00Z', 'v1', 'i1', 60, null, null, null, 'swish', 2],
  ['b2-2', 'invoice_issued', '2025-01-05T00:00:00Z', 'v1', 'i1', 999, '2025-02-28', 'paper', null, null, 2],
  ['b2-3', 'invoice_viewed', '2025-01-02T00:00:00Z', 'v1', 'i1', null, null, 'email', null, null, 2],
  ['b2-4', 'reminder_sent', '2025-02-01T00:00:00Z', 'v1', 'i1', null, null, null, 'soft', null, 2],
  ['b2-5', 'reminder_sent', '2025-02-05T00:00:00Z', 'v1', 'i1', null, null, null, 'soft', null, 2],
  ['b2-6', 'payment_received', '2025-01-02T00:00:00Z', 'v2', 'i9', 50, null, null, null, 'swish', 2],
  ['b3-1', 'invoice_issued', '2025-01-03T00:00:00Z', 'v2', 'i9', 50, '2025-02-03', null, null, null, 3],
] as const;

const store = useStore(BATCH1);
const facts = async () =>
  (await store().rows(`SELECT customer_id, invoice_id, strftime(issued_at, '%m-%d') AS issued, strftime(due_date, '%m-%d') AS due, amount::DOUBLE AS amount, channel,
    paid_amount::DOUBLE AS paid, strftime(paid_at, '%m-%d') AS paid_at, strftime(first_viewed_at, '%m-%d') AS viewed, soft_reminders AS soft, hard_reminders AS hard
    FROM fact_invoices ORDER BY 1, 2`));

describe('facts/refresh_invoices', () => {
  it('after batch 1: the invoices as issued, part-paid, no paid-in-full time yet', async () => {
    expect(await facts()).toEqual([
      { customer_id: 'v1', invoice_id: 'i1', issued: '01-01', due: '01-31', amount: 100, channel: 'email', paid: 40, paid_at: null, viewed: null, soft: 0, hard: 0 },
      { customer_id: 'v3', invoice_id: 'i1', issued: '01-01', due: '01-31', amount: 70, channel: null, paid: 0, paid_at: null, viewed: null, soft: 0, hard: 0 },
    ]);
  });

  it('refreshing (1, 3] recomputes only the touched invoices, from all their events', async () => {
    const s = store();
    for (const [id, type, at, customer, invoice, amount, due, channel, kind, method, batch] of LATER) {
      await s.rows(`INSERT INTO events (event_id, type, occurred_at, customer_id, invoice_id, amount, due_date, channel, kind, method, batch_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, [id, type, at, customer, invoice, amount, due, channel, kind, method, batch] as never);
    }
    await s.query('facts/refresh_invoices', { after: 1, upto: 3 });
    expect(await facts()).toEqual([
      // Paid in full on 01-20, when the payments reached 100; the re-issue changes neither amount, due date nor channel.
      { customer_id: 'v1', invoice_id: 'i1', issued: '01-01', due: '01-31', amount: 100, channel: 'email', paid: 100, paid_at: '01-20', viewed: '01-02', soft: 2, hard: 0 },
      // The payment that came first is picked up when the invoice arrives.
      { customer_id: 'v2', invoice_id: 'i9', issued: '01-03', due: '02-03', amount: 50, channel: null, paid: 50, paid_at: '01-02', viewed: null, soft: 0, hard: 0 },
      { customer_id: 'v3', invoice_id: 'i1', issued: '01-01', due: '01-31', amount: 70, channel: null, paid: 0, paid_at: null, viewed: null, soft: 0, hard: 0 },
    ]);
    // The same as a rebuild from every event.
    const incremental = await facts();
    await s.query('facts/refresh_invoices', { after: null, upto: null });
    expect(await facts()).toEqual(incremental);
  });
});
