/**
 * queries/facts/refresh_fees.sql on four customers, each with one fee or a look-alike: a fee is
 * disputed by the customer's first contact on topic "fee" within 14 days after it, and only
 * fee_charged is a fee (a reminder's fee_amount describes the reminder).
 */
import { describe, expect, it } from 'vitest';
import { useStore, type Ev } from '../store.ts';

const fee = (customer: string): Ev => ({ id: `fee-${customer}`, type: 'fee_charged', at: '2025-01-01T12:00:00Z', customer, invoice_id: 'i1', fee_type: 'reminder', amount: 60 });
const feeCall = (customer: string, at: string): Ev => ({ type: 'contact', at, customer, channel: 'phone', topic: 'fee' });
const store = useStore([
  // w1: called about the fee nine days later, and again later still: disputed at the first call.
  fee('w1'),
  feeCall('w1', '2025-01-10T09:00:00Z'),
  feeCall('w1', '2025-01-12T09:00:00Z'),
  // w2: called 15 days after: too late to count as a dispute.
  fee('w2'),
  feeCall('w2', '2025-01-16T12:00:01Z'),
  // w3: a reminder that names a fee amount, but no fee_charged.
  { type: 'reminder_sent', at: '2025-01-01T12:00:00Z', customer: 'w3', invoice_id: 'i1', kind: 'hard', fee_amount: 60 },
  // w4: called about fees the day before it was charged one.
  fee('w4'),
  feeCall('w4', '2024-12-31T12:00:00Z'),
]);

describe('facts/refresh_fees', () => {
  it('keeps one row per fee_charged, disputed by the first fee contact within 14 days after it', async () => {
    expect(await store().rows(`SELECT event_id, customer_id, amount::DOUBLE AS amount, strftime(disputed_at, '%Y-%m-%dT%H:%M:%SZ') AS disputed_at FROM fact_fees ORDER BY 1`)).toEqual([
      { event_id: 'fee-w1', customer_id: 'w1', amount: 60, disputed_at: '2025-01-10T09:00:00Z' },
      { event_id: 'fee-w2', customer_id: 'w2', amount: 60, disputed_at: null },
      { event_id: 'fee-w4', customer_id: 'w4', amount: 60, disputed_at: null },
    ]);
  });

  it('a fee contact arriving in a later batch disputes a fee of an earlier one', async () => {
    const s = store();
    // w2 calls again within the 14 days, in batch 2; only batch 2's customers are refreshed.
    await s.rows(`INSERT INTO events (event_id, type, occurred_at, customer_id, channel, topic, batch_id) VALUES ('late-call', 'contact', TIMESTAMPTZ '2025-01-14 08:00:00+00', 'w2', 'chat', 'fee', 2)`);
    await s.query('facts/refresh_fees', { after: 1, upto: 2 });
    const rows = await s.rows(`SELECT event_id, strftime(disputed_at, '%Y-%m-%d') AS disputed FROM fact_fees ORDER BY 1`);
    expect(rows).toEqual([
      { event_id: 'fee-w1', disputed: '2025-01-10' },
      { event_id: 'fee-w2', disputed: '2025-01-14' },
      { event_id: 'fee-w4', disputed: null },
    ]);
  });
});
