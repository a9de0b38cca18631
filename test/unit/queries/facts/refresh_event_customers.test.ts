/**
 * queries/facts/refresh_event_customers.sql: one row per distinct customer id of the events (orphans
 * included), a later batch adds only the ids it is the first to carry, and a full refresh ($after
 * NULL) rebuilds the table from the events.
 */
import { describe, expect, it } from 'vitest';
import { useStore, type Ev } from '../store.ts';

const store = useStore([
  { type: 'subscription_started', at: '2025-01-01T00:00:00Z', customer: 'k1', vertical: 'telecom', plan: 'basic' },
  { type: 'contact', at: '2025-01-03T10:00:00Z', customer: 'k1', channel: 'phone', topic: 'invoice' },
  // An orphan (no lifecycle event): not a customer of the analyses, but an id of the store.
  { type: 'payment_received', at: '2025-01-06T00:00:00Z', customer: 'k2', invoice_id: 'i1', amount: 10, method: 'swish' },
] satisfies Ev[]);

const ids = async (s: ReturnType<typeof store>) => (await s.rows(`SELECT customer_id FROM event_customer_ids ORDER BY 1`)).map((r) => r.customer_id);

describe('facts/refresh_event_customers', () => {
  it('holds each customer id of the events once', async () => {
    expect(await ids(store())).toEqual(['k1', 'k2']);
  });

  it('a later batch adds only the ids it is the first to carry; a full refresh rebuilds from the events', async () => {
    const s = store();
    await s.rows(`INSERT INTO events (event_id, type, occurred_at, customer_id, channel, topic, batch_id) VALUES
                  ('n1', 'contact', TIMESTAMPTZ '2025-02-01 00:00:00+00', 'k1', 'chat', 'fee', 2),
                  ('n2', 'contact', TIMESTAMPTZ '2025-02-01 00:00:00+00', 'k3', 'chat', 'fee', 2),
                  ('n3', 'contact', TIMESTAMPTZ '2025-02-02 00:00:00+00', 'k3', 'chat', 'fee', 2),
                  ('n4', 'contact', TIMESTAMPTZ '2025-02-03 00:00:00+00', 'k4', 'chat', 'fee', 3)`);
    await s.query('facts/refresh_event_customers', { after: 1, upto: 2 });
    // k1 seen before and k3 twice in the batch: one new row; batch 3 is outside the range.
    expect(await ids(s)).toEqual(['k1', 'k2', 'k3']);
    await s.rows(`INSERT INTO event_customer_ids VALUES ('stray')`);
    await s.query('facts/refresh_event_customers', { after: null, upto: null });
    expect(await ids(s)).toEqual(['k1', 'k2', 'k3', 'k4']);
  });
});
