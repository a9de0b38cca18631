/**
 * queries/facts/refresh_contacts.sql: every contact event and nothing else, a later batch appends
 * only its own contacts, and a full refresh ($after NULL) rebuilds the table from the events.
 */
import { describe, expect, it } from 'vitest';
import { useStore, type Ev } from '../store.ts';

const contact = (id: string, customer: string, at: string, channel: string, topic: string | null): Ev => ({ id, type: 'contact', at, customer, channel, topic });
const store = useStore([
  contact('c1', 'k1', '2025-01-03T10:00:00Z', 'phone', 'invoice'),
  contact('c2', 'k1', '2025-02-03T10:00:00Z', 'chat', null),
  contact('c3', 'k2', '2025-01-05T08:00:00Z', 'email', 'fee'),
  // Not contacts: a payment and an invoice view of k2.
  { type: 'payment_received', at: '2025-01-06T00:00:00Z', customer: 'k2', invoice_id: 'i1', amount: 10, method: 'swish' },
  { type: 'invoice_viewed', at: '2025-01-02T00:00:00Z', customer: 'k2', invoice_id: 'i1', channel: 'email' },
]);

const rows = (s: ReturnType<typeof store>) => s.rows(`SELECT event_id, customer_id, strftime(occurred_at, '%Y-%m-%d') AS day, channel, topic FROM fact_contacts ORDER BY 1`);

describe('facts/refresh_contacts', () => {
  it('holds every contact event with its channel and topic', async () => {
    expect(await rows(store())).toEqual([
      { event_id: 'c1', customer_id: 'k1', day: '2025-01-03', channel: 'phone', topic: 'invoice' },
      { event_id: 'c2', customer_id: 'k1', day: '2025-02-03', channel: 'chat', topic: null },
      { event_id: 'c3', customer_id: 'k2', day: '2025-01-05', channel: 'email', topic: 'fee' },
    ]);
  });

  it('a later batch appends its contacts only; a full refresh rebuilds from the events', async () => {
    const s = store();
    await s.rows(`INSERT INTO events (event_id, type, occurred_at, customer_id, channel, topic, batch_id) VALUES
                  ('c4', 'contact', TIMESTAMPTZ '2024-12-31 23:00:00+00', 'k3', 'phone', 'cancel', 2),
                  ('p2', 'payment_received', TIMESTAMPTZ '2025-01-07 00:00:00+00', 'k3', NULL, NULL, 2)`);
    await s.query('facts/refresh_contacts', { after: 1, upto: 2 });
    expect((await rows(s)).map((r) => r.event_id)).toEqual(['c1', 'c2', 'c3', 'c4']);
    // A row no event backs (as a bug would leave) is gone after a full refresh, and nothing is doubled.
    await s.rows(`INSERT INTO fact_contacts VALUES ('stray', 'k9', TIMESTAMPTZ '2025-01-01 00:00:00+00', 'phone', 'invoice')`);
    await s.query('facts/refresh_contacts', { after: null, upto: null });
    expect((await rows(s)).map((r) => r.event_id)).toEqual(['c1', 'c2', 'c3', 'c4']);
  });
});
