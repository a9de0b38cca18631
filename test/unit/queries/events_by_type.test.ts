/**
 * queries/events_by_type.sql and queries/events_by_day.sql on the churn fixture (26 events): the
 * Data page's volume per type, and per day and type over the last 90 days with events.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from './store.ts';
import { CHURN_EVENTS } from './churn/fixture.ts';

const store = useStore(CHURN_EVENTS);

describe('events_by_type', () => {
  it('counts stored events per type, most first, ties by name', async () => {
    expect(await store().query('events_by_type')).toEqual([
      // Contacts: c1 one, c2 one, c4 three; invoices: c1 two, the others one each; a payment per invoice.
      { type: 'contact', events: '5' },
      { type: 'invoice_issued', events: '5' },
      { type: 'payment_received', events: '5' },
      { type: 'customer_updated', events: '4' },
      { type: 'subscription_started', events: '4' },
      { type: 'invoice_viewed', events: '2' },
      { type: 'subscription_cancelled', events: '1' },
    ]);
  });
});

describe('events_by_day', () => {
  it('reaches back 90 days from the last event', async () => {
    // The last event is c4's contact of 2025-07-02 10:00; 90 days back is 2025-04-03 10:00.
    expect(await store().query('events_by_day')).toEqual([
      { day: '2025-04-15', type: 'subscription_cancelled', events: '1' },
      { day: '2025-05-01', type: 'contact', events: '1' },
      { day: '2025-06-01', type: 'contact', events: '1' },
      { day: '2025-07-02', type: 'contact', events: '1' },
    ]);
  });
});
