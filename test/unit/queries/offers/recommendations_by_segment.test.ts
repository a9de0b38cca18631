/**
 * queries/offers/recommendations_by_segment.sql over the best offer table of the offers pipeline
 * (pipeline.ts): each offer's audience per value of one segment dimension.
 */
import { describe, expect, it } from 'vitest';
import { AS_OF, r10, usePipeline } from './pipeline.ts';

const pipeline = usePipeline();

const bySegment = async (by: string, filters: Record<string, string> = {}) => {
  const { store, tables } = pipeline();
  const rows = await store.filtered('offers/recommendations_by_segment', AS_OF, { table: tables.best, filters, identifiers: { by } });
  return rows.map((r) => [r.segment, r.offer_id, Number(r.audience), r10(r.mean_risk), r10(r.saved), r10(r.value)]);
};

describe('offers/recommendations_by_segment', () => {
  it('breaks each offer down by vertical, in segment then offer order', async () => {
    expect(await bySegment('vertical')).toEqual([
      // p2.
      ['energy', 'e_invoice', 1, 0.5, 0.02, 0.5],
      // p7, p6, p1.
      ['telecom', 'direct_debit', 1, 0.75, 0.0375, 1.5],
      ['telecom', 'e_invoice', 1, 0.75, 0.03, 0.2],
      ['telecom', 'soft_reminder', 1, 0.9375, 0.09375, 1.8625],
    ]);
  });

  it('groups by another dimension and honours the filters', async () => {
    // p2 and p6 pay automatically: mean risk (0.5 + 0.75) / 2.
    expect(await bySegment('payment_method_class')).toEqual([
      ['automatic', 'e_invoice', 2, 0.625, 0.05, 0.7],
      ['manual', 'direct_debit', 1, 0.75, 0.0375, 1.5],
      ['manual', 'soft_reminder', 1, 0.9375, 0.09375, 1.8625],
    ]);
    expect(await bySegment('market', { payment_method_class: 'manual' })).toEqual([
      ['SE', 'direct_debit', 1, 0.75, 0.0375, 1.5],
      ['SE', 'soft_reminder', 1, 0.9375, 0.09375, 1.8625],
    ]);
  });
});
