/**
 * queries/offers/offer_candidates.sql in the offers pipeline (pipeline.ts): per enabled offer, the
 * scored customers its target selects, what blocks it for each, and
 * reduction = risk × effect × acceptance, cost = monthly cost + discount × price,
 * value = reduction × price − acceptance × cost (prices in EUR, NULL counted as 0).
 */
import { describe, expect, it } from 'vitest';
import { r10, usePipeline } from './pipeline.ts';

const pipeline = usePipeline();

describe('offers/offer_candidates', () => {
  it('lists each targeted customer once per offer, with its blocks and values', async () => {
    const { store, tables } = pipeline();
    const rows = await store.rows(`SELECT * FROM ${tables.candidates} ORDER BY customer_id, position`);
    expect(rows.map((r) => [r.customer_id, r.offer_id, r.position, r.channel, r.blocked_cooldown, r.blocked_after_acceptance, r.blocked_recent_offer, r10(r.expected_reduction), r10(r.cost_per_acceptor), r10(r.expected_value), r.reason])).toEqual([
      // direct_debit: 0.9375 × 0.5 × 0.1, × 20 EUR.
      ['p1', 'direct_debit', 0, 'invoice', false, false, false, 0.046875, 0, 0.9375, 'Pays manually (ocr_transfer)'],
      // soft_reminder on the channel p1 opens: 0.9375 × 0.4 × 0.25 = 0.09375; 0.09375 × 20 − 0.25 × 0.05.
      ['p1', 'soft_reminder', 1, 'email', false, false, false, 0.09375, 0.05, 1.8625, '1 late invoice(s); via email'],
      // e_invoice: 0.5 × 0.2 × 0.2 = 0.02; cost 0.05 × 50; 0.02 × 50 − 0.2 × 2.5.
      ['p2', 'e_invoice', 2, 'invoice', false, false, false, 0.02, 2.5, 0.5, 'Receives paper invoices'],
      // Shown another offer 11 days before the end: within the 30-day limit on any offer.
      ['p3', 'direct_debit', 0, 'invoice', false, false, true, 0.0375, 0, 1.125, 'Pays manually (swish)'],
      // Accepted direct_debit 2024-12-10, within 365 days; shown 2024-12-01, before the cooldown. No rate for CHF: values 0.
      ['p5', 'direct_debit', 0, 'invoice', false, true, false, 0.0375, 0, 0, 'Pays manually (ocr_transfer)'],
      ['p5', 'e_invoice', 2, 'invoice', false, false, false, 0.03, 0, 0, 'Receives paper invoices'],
      // 0.75 × 0.04 = 0.03; cost 0.05 × 10; 0.03 × 10 − 0.2 × 0.5.
      ['p6', 'e_invoice', 2, 'invoice', false, false, false, 0.03, 0.5, 0.2, 'Receives paper invoices'],
      // 0.0375 × 40.
      ['p7', 'direct_debit', 0, 'invoice', false, false, false, 0.0375, 0, 1.5, 'Pays manually (ocr_transfer)'],
      // Shown direct_debit 61 days before the end: within its 90-day cooldown only. 0.0375 × 10.
      ['p8', 'direct_debit', 0, 'invoice', true, false, false, 0.0375, 0, 0.375, 'Pays manually (ocr_transfer)'],
      // loyalty is disabled: the engine never inserts its candidates.
    ]);
  });
});
