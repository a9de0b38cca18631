/**
 * queries/offers/scored_summary.sql over the scored customers of the offers pipeline (pipeline.ts):
 * how many active customers the filters keep and their mean risk.
 */
import { describe, expect, it } from 'vitest';
import { AS_OF, r10, usePipeline } from './pipeline.ts';

const pipeline = usePipeline();

const summary = async (filters: Record<string, string> = {}) => {
  const { store, tables } = pipeline();
  const [row] = await store.filtered('offers/scored_summary', AS_OF, { table: tables.scored, filters });
  return [Number(row.customers), r10(row.mean_risk)];
};

describe('offers/scored_summary', () => {
  it('counts the active customers and averages their risk', async () => {
    // p1..p8 but the churned p4: (0.9375 + 0.5 + 5 × 0.75) / 7.
    expect(await summary()).toEqual([7, r10(5.1875 / 7)]);
  });

  it('applies the segment filters', async () => {
    // Energy: p2 (0.5) and p5 (0.75).
    expect(await summary({ vertical: 'energy' })).toEqual([2, 0.625]);
    // No customer is in DK: no rows, no mean.
    expect(await summary({ market: 'DK' })).toEqual([0, null]);
  });
});
