/**
 * queries/offers/best_offer.sql in the offers pipeline (pipeline.ts): per customer, the unblocked
 * candidate with the highest positive expected value, with the scored customer's segment columns.
 */
import { describe, expect, it } from 'vitest';
import { r10, usePipeline } from './pipeline.ts';

const pipeline = usePipeline();

describe('offers/best_offer', () => {
  it('keeps one unblocked offer of positive value per customer, the most valuable', async () => {
    const { store, tables } = pipeline();
    const rows = await store.rows(`SELECT * FROM ${tables.best} ORDER BY customer_id`);
    expect(rows.map((r) => [r.customer_id, r.offer_id, r.position, r.channel, r10(r.risk), r10(r.expected_value), r10(r.cost_per_acceptor), r10(r.price_reporting), r.monthly_price, r.currency])).toEqual([
      // soft_reminder (1.8625) beats direct_debit (0.9375).
      ['p1', 'soft_reminder', 1, 'email', 0.9375, 1.8625, 0.05, 20, 200, 'SEK'],
      ['p2', 'e_invoice', 2, 'invoice', 0.5, 0.5, 2.5, 50, 50, 'EUR'],
      // p3's only offer is blocked; p5's are blocked or worth 0 (no reporting price).
      ['p6', 'e_invoice', 2, 'invoice', 0.75, 0.2, 0.5, 10, 100, 'SEK'],
      ['p7', 'direct_debit', 0, 'invoice', 0.75, 1.5, 0, 40, 400, 'SEK'],
      // p8's only offer is in its cooldown.
    ]);
  });

  it('carries the segment columns the shared filters read', async () => {
    const { store, tables } = pipeline();
    const rows = await store.rows(`SELECT customer_id, vertical, market, age_band, tenure_band, plan, invoice_channel, payment_method_class FROM ${tables.best} WHERE customer_id IN ('p1', 'p2') ORDER BY customer_id`);
    // Born 1980 (45 at the as-of date), signed up 2024-01-01 (18 months).
    expect(rows).toEqual([
      { customer_id: 'p1', vertical: 'telecom', market: 'SE', age_band: '30-49', tenure_band: '1-2y', plan: 'basic', invoice_channel: 'email', payment_method_class: 'manual' },
      { customer_id: 'p2', vertical: 'energy', market: 'SE', age_band: '30-49', tenure_band: '1-2y', plan: 'basic', invoice_channel: 'paper', payment_method_class: 'automatic' },
    ]);
  });
});
