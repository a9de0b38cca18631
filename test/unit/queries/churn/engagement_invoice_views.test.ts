/**
 * queries/churn/engagement_invoice_views.sql on the churn fixture: view rate and median hours to
 * the first view, per invoice channel.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { AS_OF, AS_OF_END, CHURN_EVENTS } from './fixture.ts';

const store = useStore(CHURN_EVENTS);

describe('churn/engagement_invoice_views', () => {
  it('counts invoices and views per channel, with the median time to view over viewed invoices only', async () => {
    expect(await store().filtered('churn/engagement_invoice_views', AS_OF, { params: { as_of_end: AS_OF_END } })).toEqual([
      // c1's two email invoices, the first viewed 24 h after issue, the second never.
      { channel: 'email', invoices: '2', viewed: '1', median_hours_to_view: 24 },
      { channel: 'app', invoices: '1', viewed: '0', median_hours_to_view: null },
      // c3's einvoice, viewed 12 h after issue.
      { channel: 'einvoice', invoices: '1', viewed: '1', median_hours_to_view: 12 },
      { channel: 'paper', invoices: '1', viewed: '0', median_hours_to_view: null },
    ]);
  });

  it('leaves out invoices issued on or after the as-of bound, and views after it', async () => {
    // As of 2024-02-01 (bound 2024-02-02T00:00Z): c1 and c3 are customers with an invoice each; c1's
    // view lands exactly on the bound, so only c3's counts.
    expect(await store().filtered('churn/engagement_invoice_views', '2024-02-01', { params: { as_of_end: '2024-02-02T00:00:00Z' } })).toEqual([
      { channel: 'einvoice', invoices: '1', viewed: '1', median_hours_to_view: 12 },
      { channel: 'email', invoices: '1', viewed: '0', median_hours_to_view: null },
    ]);
  });
});
