/**
 * queries/customers/customer_segments.sql and facts/refresh_customers.sql on the churn fixture:
 * one customer's current row of customer_facts, and that row's upkeep when a later batch touches
 * the customer (the delete of refresh_customers.sql, then analysis_base.sql for the same range, as
 * analytics/facts.ts runs them).
 */
import { describe, expect, it } from 'vitest';
import { currentFactsParams } from '../../../../service/analytics/facts.ts';
import { sql } from '../../../../service/db/sql-files.ts';
import { useStore } from '../store.ts';
import { CHURN_EVENTS } from '../churn/fixture.ts';
import { analysisBaseSql } from '../../../../service/analytics/base-sql.ts';

const store = useStore(CHURN_EVENTS);
const segments = async (customer_id: string) => (await store().query('customers/customer_segments', { customer_id }))[0];

describe('customers/customer_segments', () => {
  it('reads the customer’s current facts', async () => {
    // c2: OCR (manual), its one paper invoice paid late, cancelled on 2025-04-15 after 14 months.
    expect(await segments('c2')).toMatchObject({
      vertical: 'telecom', market: 'SE', plan: 'basic', monthly_price: 199, currency: 'SEK', invoice_channel: 'paper', payment_method: 'ocr_transfer',
      payment_method_class: 'manual', timeliness: 'late_once', invoices_due: 1, late_invoices: 1, fee_exposure: 'none', fees: 0, contacts: 1,
      churned: true, tenure_start: '2024-02-05T09:00:00Z', churn_at: '2025-04-15T10:00:00Z',
    });
    expect(await store().query('customers/customer_segments', { customer_id: 'nobody' })).toEqual([]);
  });
});

describe('facts/refresh_customers', () => {
  it('replaces only the rows of the customers a later batch touched', async () => {
    const s = store();
    // Batch 2: c1 calls about an invoice (its second contact); c3 is untouched.
    await s.rows(`INSERT INTO events (event_id, type, occurred_at, customer_id, channel, topic, batch_id) VALUES ('b2', 'contact', TIMESTAMPTZ '2025-05-01 00:00:00+00', 'c1', 'phone', 'invoice', 2)`);
    const before = await s.rows(`SELECT refreshed_at FROM customer_facts WHERE customer_id = 'c3'`);
    await s.query('facts/refresh_customers', { after: 1, upto: 2 });
    // The delete leaves everyone but c1; the insert of analysis_base.sql for the range brings c1 back, changed.
    expect((await s.rows(`SELECT customer_id FROM customer_facts ORDER BY 1`)).map((r) => r.customer_id)).toEqual(['c2', 'c3', 'c4']);
    await s.rows(`INSERT INTO customer_facts SELECT *, now() FROM (${analysisBaseSql()})`, { ...currentFactsParams(), after: 1, upto: 2 });
    expect(await segments('c1')).toMatchObject({ contacts: 2, billing_contacts: 2, payment_method: 'autogiro' });
    expect(await s.rows(`SELECT refreshed_at FROM customer_facts WHERE customer_id = 'c3'`)).toEqual(before);
  });
});
