/**
 * queries/offers/recommendations_by_offer.sql over the best offer table of the offers pipeline
 * (pipeline.ts): per offer, the audience and the sums recommend.ts scales.
 */
import { describe, expect, it } from 'vitest';
import { AS_OF, r10, usePipeline } from './pipeline.ts';

const pipeline = usePipeline();

const byOffer = async (filters: Record<string, string> = {}) => {
  const { store, tables } = pipeline();
  const rows = await store.filtered('offers/recommendations_by_offer', AS_OF, { table: tables.best, filters });
  return rows
    .map((r) => [r.offer_id, Number(r.audience), r10(r.risk_sum), r10(r.risk_price_sum), r10(r.cost_sum), r10(r.saved), r10(r.value)])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
};

describe('offers/recommendations_by_offer', () => {
  it('sums each offer over the customers it is the best offer for', async () => {
    expect(await byOffer()).toEqual([
      // p7: 0.75 × 40 EUR.
      ['direct_debit', 1, 0.75, 30, 0, 0.0375, 1.5],
      // p2 and p6: 0.5 + 0.75; 0.5 × 50 + 0.75 × 10; 2.5 + 0.5; 0.02 + 0.03; 0.5 + 0.2.
      ['e_invoice', 2, 1.25, 32.5, 3, 0.05, 0.7],
      // p1: 0.9375 × 20.
      ['soft_reminder', 1, 0.9375, 18.75, 0.05, 0.09375, 1.8625],
    ]);
  });

  it('sums only the filtered segment', async () => {
    // Telecom: p6 alone for e_invoice (p2 is energy).
    expect(await byOffer({ vertical: 'telecom' })).toEqual([
      ['direct_debit', 1, 0.75, 30, 0, 0.0375, 1.5],
      ['e_invoice', 1, 0.75, 7.5, 0.5, 0.03, 0.2],
      ['soft_reminder', 1, 0.9375, 18.75, 0.05, 0.09375, 1.8625],
    ]);
  });
});
