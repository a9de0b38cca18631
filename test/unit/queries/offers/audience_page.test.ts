/**
 * queries/offers/audience_page.sql over the best offer table of the offers pipeline (pipeline.ts):
 * p1 soft_reminder 1.8625, p2 e_invoice 0.5, p6 e_invoice 0.2, p7 direct_debit 1.5.
 */
import { describe, expect, it } from 'vitest';
import { AS_OF, r10, usePipeline } from './pipeline.ts';

const pipeline = usePipeline();

const page = async (sort: string, order: string, params: Record<string, unknown> = {}, filters: Record<string, string> = {}) => {
  const { store, tables } = pipeline();
  return store.filtered('offers/audience_page', AS_OF, { table: tables.best, filters, identifiers: { sort, order }, params: { offer_id: null, min_value: null, limit: 10, offset: 0, ...params } });
};

describe('offers/audience_page', () => {
  it('returns the audience rows by expected value, highest first', async () => {
    const rows = await page('expected_value', 'desc');
    expect(rows.map((r) => [r.customer_id, r.offer_id, r.channel, r10(r.risk), r10(r.expected_reduction), r10(r.expected_value), r.reason, r.vertical, r.market, r.payment_method_class, r.monthly_price, r.currency])).toEqual([
      ['p1', 'soft_reminder', 'email', 0.9375, 0.09375, 1.8625, '1 late invoice(s); via email', 'telecom', 'SE', 'manual', 200, 'SEK'],
      ['p7', 'direct_debit', 'invoice', 0.75, 0.0375, 1.5, 'Pays manually (ocr_transfer)', 'telecom', 'SE', 'manual', 400, 'SEK'],
      ['p2', 'e_invoice', 'invoice', 0.5, 0.02, 0.5, 'Receives paper invoices', 'energy', 'SE', 'automatic', 50, 'EUR'],
      ['p6', 'e_invoice', 'invoice', 0.75, 0.03, 0.2, 'Receives paper invoices', 'telecom', 'SE', 'automatic', 100, 'SEK'],
    ]);
    expect(Object.keys(rows[0])).toEqual(['customer_id', 'offer_id', 'channel', 'risk', 'expected_reduction', 'expected_value', 'reason', 'vertical', 'market', 'age_band', 'tenure_band', 'plan', 'invoice_channel', 'payment_method_class', 'monthly_price', 'currency']);
  });

  it('breaks ties on the sort column by customer id, and pages without overlap', async () => {
    // p6 and p7 share risk 0.75: ascending risk gives p2 (0.5), then p6 before p7, then p1.
    expect((await page('risk', 'asc')).map((r) => r.customer_id)).toEqual(['p2', 'p6', 'p7', 'p1']);
    expect((await page('risk', 'asc', { limit: 2, offset: 1 })).map((r) => r.customer_id)).toEqual(['p6', 'p7']);
    expect((await page('risk', 'asc', { limit: 2, offset: 3 })).map((r) => r.customer_id)).toEqual(['p1']);
  });

  it('narrows by offer, minimum value and segment like audience_count', async () => {
    expect((await page('expected_value', 'asc', { offer_id: 'e_invoice' })).map((r) => r.customer_id)).toEqual(['p6', 'p2']);
    expect((await page('expected_value', 'desc', { min_value: 1 })).map((r) => r.customer_id)).toEqual(['p1', 'p7']);
    expect((await page('expected_value', 'desc', {}, { vertical: 'telecom' })).map((r) => r.customer_id)).toEqual(['p1', 'p7', 'p6']);
  });
});
