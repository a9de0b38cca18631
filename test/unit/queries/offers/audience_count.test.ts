/**
 * queries/offers/audience_count.sql over the best offer table of the offers pipeline (pipeline.ts):
 * p1 soft_reminder 1.8625, p2 e_invoice 0.5, p6 e_invoice 0.2, p7 direct_debit 1.5.
 */
import { describe, expect, it } from 'vitest';
import { AS_OF, usePipeline } from './pipeline.ts';

const pipeline = usePipeline();

const count = async (params: Record<string, unknown>, filters: Record<string, string> = {}) => {
  const { store, tables } = pipeline();
  const [row] = await store.filtered('offers/audience_count', AS_OF, { table: tables.best, filters, params: { offer_id: null, min_value: null, ...params } });
  return Number(row.total);
};

describe('offers/audience_count', () => {
  it('counts the whole audience, one offer per customer', async () => {
    expect(await count({})).toBe(4);
  });

  it('counts one offer, a minimum value and a segment', async () => {
    // p2 and p6.
    expect(await count({ offer_id: 'e_invoice' })).toBe(2);
    // p1 (1.8625) and p7 (1.5); p2's 0.5 is below 1.
    expect(await count({ min_value: 1 })).toBe(2);
    // Of p2 and p6, only p2 reaches 0.5 (the bound is inclusive).
    expect(await count({ offer_id: 'e_invoice', min_value: 0.5 })).toBe(1);
    // p2 is the only energy customer with an offer.
    expect(await count({}, { vertical: 'energy' })).toBe(1);
    expect(await count({ offer_id: 'loyalty' })).toBe(0);
  });
});
