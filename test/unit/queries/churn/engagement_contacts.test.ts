/**
 * queries/churn/engagement_contacts.sql on the churn fixture: the contact channel and topic mix of
 * the year before the as-of date, per vertical.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { AS_OF, AS_OF_END, CHURN_EVENTS } from './fixture.ts';

const store = useStore(CHURN_EVENTS);

describe('churn/engagement_contacts', () => {
  it('counts contacts of the last 365 days only, per vertical, channel and topic, most first then by name', async () => {
    expect(await store().filtered('churn/engagement_contacts', AS_OF, { params: { as_of_end: AS_OF_END } })).toEqual([
      // c4's chat about payment (2025-02-01); its phone contact of 2025-07-02 is after the as-of date.
      { vertical: 'energy', channel: 'chat', topic: 'payment', contacts: '1', customers: '1' },
      { vertical: 'energy', channel: 'phone', topic: 'invoice', contacts: '1', customers: '1' },
      // c2's chat (2025-06-01) counts although c2 churned; c1's phone call of 2024-03-05 is older than a year.
      { vertical: 'telecom', channel: 'chat', topic: 'cancellation', contacts: '1', customers: '1' },
    ]);
  });

  it('narrows to the filtered customers', async () => {
    // Only c2 is telecom and has a contact in the year.
    expect(await store().filtered('churn/engagement_contacts', AS_OF, { filters: { vertical: 'telecom' }, params: { as_of_end: AS_OF_END } })).toEqual([
      { vertical: 'telecom', channel: 'chat', topic: 'cancellation', contacts: '1', customers: '1' },
    ]);
  });
});
