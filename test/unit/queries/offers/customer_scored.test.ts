/**
 * queries/offers/customer_scored.sql on the scored customers of the offers pipeline (pipeline.ts):
 * one customer's facts and risk, and the share of the seven active customers with a lower risk.
 */
import { describe, expect, it } from 'vitest';
import { r10, usePipeline } from './pipeline.ts';

const pipeline = usePipeline();

const scored = async (customer_id: string) => {
  const { store, tables } = pipeline();
  return store.query('offers/customer_scored', { customer_id }, { scored: tables.scored });
};

describe('offers/customer_scored', () => {
  it("returns the customer's scored row with its percentile", async () => {
    const [p1] = await scored('p1');
    // The highest risk: the six others are lower.
    expect([p1.customer_id, p1.payment_method_class, p1.timeliness, r10(p1.risk), r10(p1.price_reporting), r10(p1.percentile)]).toEqual(['p1', 'manual', 'late_once', 0.9375, 20, r10(6 / 7)]);
    // p3 (0.75) is above p2 (0.5) only; ties with p5, p6, p7, p8 are not lower.
    expect(r10((await scored('p3'))[0].percentile)).toBe(r10(1 / 7));
    expect(r10((await scored('p2'))[0].percentile)).toBe(0);
  });

  it('has no row for a customer who is not active', async () => {
    expect(await scored('p4')).toEqual([]);
    expect(await scored('nobody')).toEqual([]);
  });
});
