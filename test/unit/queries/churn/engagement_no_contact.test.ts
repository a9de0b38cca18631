/**
 * queries/churn/engagement_no_contact.sql on the churn fixture: of the customers active through
 * the whole year before the as-of date, how many had no contact in it.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { AS_OF, AS_OF_END, CHURN_EVENTS } from './fixture.ts';

const store = useStore(CHURN_EVENTS);

describe('churn/engagement_no_contact', () => {
  it('counts only customers active the whole year, and those whose last contact is older than it', async () => {
    expect(await store().filtered('churn/engagement_no_contact', AS_OF, { params: { as_of_end: AS_OF_END } })).toEqual([
      // c3 (never contacted) and c4 (contacted in 2025): one without contact.
      { vertical: 'energy', customers: '2', without_contact: '1' },
      // c1 only (c2 churned): its one contact, 2024-03-05, is more than 365 days before the bound.
      { vertical: 'telecom', customers: '1', without_contact: '1' },
    ]);
  });

  it('leaves out customers who started less than a year before the as-of date', async () => {
    // As of 2025-02-15 (bound 2025-02-16): c4 started after 2024-02-16, so energy is c3 alone; c2 has
    // not cancelled yet and has no contact before the bound, c1's call of 2024-03-05 is inside the year.
    expect(await store().filtered('churn/engagement_no_contact', '2025-02-15', { params: { as_of_end: '2025-02-16T00:00:00Z' } })).toEqual([
      { vertical: 'energy', customers: '1', without_contact: '1' },
      { vertical: 'telecom', customers: '2', without_contact: '1' },
    ]);
  });
});
