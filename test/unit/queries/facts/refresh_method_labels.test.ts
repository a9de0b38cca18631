/**
 * queries/facts/refresh_method_labels.sql: one row per trimmed, lower-cased payment-method label ×
 * customer with its event count; a later batch adds its counts to the pairs already held and adds the
 * pairs it is the first to carry, and a full refresh ($after NULL) rebuilds the table from the events.
 */
import { describe, expect, it } from 'vitest';
import { useStore, type Ev } from '../store.ts';

const store = useStore([
  { type: 'payment_received', at: '2025-01-06T00:00:00Z', customer: 'k1', invoice_id: 'i1', amount: 10, method: 'Autogiro' },
  { type: 'payment_received', at: '2025-02-06T00:00:00Z', customer: 'k1', invoice_id: 'i2', amount: 10, method: ' autogiro ' },
  { type: 'payment_method_changed', at: '2025-02-07T00:00:00Z', customer: 'k2', method: 'card' },
  // No method: not a label.
  { type: 'contact', at: '2025-01-03T10:00:00Z', customer: 'k3', channel: 'phone', topic: 'invoice' },
] satisfies Ev[]);

const rows = async (s: ReturnType<typeof store>) => s.rows(`SELECT label, customer_id, events::INT AS events FROM event_method_labels ORDER BY 1, 2`);

describe('facts/refresh_method_labels', () => {
  it('counts each label per customer, whatever its case and spacing', async () => {
    expect(await rows(store())).toEqual([
      { label: 'autogiro', customer_id: 'k1', events: 2 },
      { label: 'card', customer_id: 'k2', events: 1 },
    ]);
  });

  it("a later batch adds to the pairs held and adds new ones; batches outside the range do not count; a full refresh rebuilds", async () => {
    const s = store();
    await s.rows(`INSERT INTO events (event_id, type, occurred_at, customer_id, method, batch_id) VALUES
                  ('n1', 'payment_method_changed', TIMESTAMPTZ '2025-03-01 00:00:00+00', 'k1', 'AUTOGIRO', 2),
                  ('n2', 'payment_method_changed', TIMESTAMPTZ '2025-03-01 00:00:00+00', 'k1', 'card', 2),
                  ('n3', 'payment_method_changed', TIMESTAMPTZ '2025-03-02 00:00:00+00', 'k3', 'card', 2),
                  ('n4', 'payment_method_changed', TIMESTAMPTZ '2025-03-03 00:00:00+00', 'k4', 'swish', 3)`);
    await s.query('facts/refresh_method_labels', { after: 1, upto: 2 });
    expect(await rows(s)).toEqual([
      { label: 'autogiro', customer_id: 'k1', events: 3 },
      { label: 'card', customer_id: 'k1', events: 1 },
      { label: 'card', customer_id: 'k2', events: 1 },
      { label: 'card', customer_id: 'k3', events: 1 },
    ]);
    await s.rows(`INSERT INTO event_method_labels VALUES ('stray', 'k9', 5)`);
    await s.query('facts/refresh_method_labels', { after: null, upto: null });
    expect(await rows(s)).toEqual([
      { label: 'autogiro', customer_id: 'k1', events: 3 },
      { label: 'card', customer_id: 'k1', events: 1 },
      { label: 'card', customer_id: 'k2', events: 1 },
      { label: 'card', customer_id: 'k3', events: 1 },
      { label: 'swish', customer_id: 'k4', events: 1 },
    ]);
  });
});
