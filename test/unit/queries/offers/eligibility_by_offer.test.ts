/**
 * queries/offers/eligibility_by_offer.sql over the scored customers of the offers pipeline
 * (pipeline.ts): per offer, the customers its target selects and those no eligibility limit blocks.
 */
import { describe, expect, it } from 'vitest';
import { AS_OF, usePipeline } from './pipeline.ts';

const pipeline = usePipeline();

const eligibility = async (filters: Record<string, string> = {}) => {
  const { store, tables } = pipeline();
  const rows = await store.filtered('offers/eligibility_by_offer', AS_OF, { table: tables.scored, filters, identifiers: { candidates: tables.candidates } });
  return rows.map((r) => [r.offer_id, Number(r.targeted), Number(r.eligible)]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
};

describe('offers/eligibility_by_offer', () => {
  it('counts targeted and eligible customers per offer, whatever their value', async () => {
    expect(await eligibility()).toEqual([
      // Manual payers p1, p3, p5, p7, p8; p3 saw an offer 11 days ago, p5 accepted this one within 365 days, p8 is in its cooldown.
      ['direct_debit', 5, 2],
      // Paper: p2, p5, p6, none blocked (p5's offer is worth 0 but is eligible).
      ['e_invoice', 3, 3],
      // p1.
      ['soft_reminder', 1, 1],
    ]);
  });

  it('counts the filtered customers only', async () => {
    // Telecom: p1, p3, p7, p8 for direct_debit; p6 for e_invoice.
    expect(await eligibility({ vertical: 'telecom' })).toEqual([
      ['direct_debit', 4, 2],
      ['e_invoice', 1, 1],
      ['soft_reminder', 1, 1],
    ]);
  });
});
