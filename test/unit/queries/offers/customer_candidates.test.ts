/**
 * queries/offers/customer_candidates.sql on the candidates of the offers pipeline (pipeline.ts):
 * one customer's targeted offers in catalogue order, with their blocks and values.
 */
import { describe, expect, it } from 'vitest';
import { r10, usePipeline } from './pipeline.ts';

const pipeline = usePipeline();

const candidates = async (customer_id: string) => {
  const { store, tables } = pipeline();
  const rows = await store.query('offers/customer_candidates', { customer_id }, { candidates: tables.candidates });
  return rows.map((r) => [r.offer_id, r.blocked_cooldown, r.blocked_after_acceptance, r.blocked_recent_offer, r10(r.expected_reduction), r10(r.expected_value)]);
};

describe('offers/customer_candidates', () => {
  it("lists one customer's offers in catalogue order", async () => {
    expect(await candidates('p1')).toEqual([
      ['direct_debit', false, false, false, 0.046875, 0.9375],
      ['soft_reminder', false, false, false, 0.09375, 1.8625],
    ]);
    // p5 accepted direct_debit in December; e_invoice (position 2) comes after it.
    expect(await candidates('p5')).toEqual([
      ['direct_debit', false, true, false, 0.0375, 0],
      ['e_invoice', false, false, false, 0.03, 0],
    ]);
  });

  it('has nothing for a churned or unknown customer', async () => {
    expect(await candidates('p4')).toEqual([]);
    expect(await candidates('nobody')).toEqual([]);
  });
});
