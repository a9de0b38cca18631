/**
 * queries/customers/customer_timeline.sql and customer_event_counts.sql on the staffing fixture:
 * one customer's events newest first (with how late a completing payment was), and per type.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { STAFFING_EVENTS } from '../staffing/fixture.ts';

const store = useStore(STAFFING_EVENTS);

describe('customers/customer_timeline', () => {
  it('pages newest first and marks the payment that completed an invoice with its days late', async () => {
    const page = await store().query('customers/customer_timeline', { customer_id: 's1', limit: 4, offset: 2 });
    // s1 has 11 events; skipping the two newest (autogiro on 02-15, the fee call on 02-11), the next four:
    expect(page.map((r) => [r.type, r.occurred_at, r.days_late])).toEqual([
      ['fee_charged', '2025-02-10T09:00:00Z', null],
      ['reminder_sent', '2025-02-10T09:00:00Z', null],
      // Due 31 January, completed on 3 February.
      ['payment_received', '2025-02-03T10:00:00Z', 3],
      ['reminder_sent', '2025-01-31T06:00:00Z', null],
    ]);
  });
});

describe('customers/customer_event_counts', () => {
  it('counts the customer’s events per type with their span, and nothing for an unknown id', async () => {
    expect(await store().query('customers/customer_event_counts', { customer_id: 's2' })).toEqual([
      // Two contacts: the inbound call and the outbound one, both on 3 January.
      { type: 'contact', events: 2, first_event: '2025-01-03T10:10:00Z', last_event: '2025-01-03T23:10:00Z' },
      { type: 'customer_updated', events: 1, first_event: '2023-01-01T08:00:01Z', last_event: '2023-01-01T08:00:01Z' },
      { type: 'invoice_issued', events: 1, first_event: '2025-01-02T07:00:00Z', last_event: '2025-01-02T07:00:00Z' },
      { type: 'payment_failed', events: 1, first_event: '2025-01-31T05:00:00Z', last_event: '2025-01-31T05:00:00Z' },
      { type: 'payment_received', events: 1, first_event: '2025-01-20T10:00:00Z', last_event: '2025-01-20T10:00:00Z' },
      { type: 'payment_unmatched', events: 1, first_event: '2025-01-25T10:00:00Z', last_event: '2025-01-25T10:00:00Z' },
      { type: 'subscription_started', events: 1, first_event: '2023-01-01T08:00:00Z', last_event: '2023-01-01T08:00:00Z' },
    ]);
    expect(await store().query('customers/customer_event_counts', { customer_id: 'nobody' })).toEqual([]);
  });
});
