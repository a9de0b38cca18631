/**
 * queries/offers/behaviour_gap.sql on the landmark offer facts of the offers pipeline (pipeline.ts),
 * bound by the engine's gapStatement with default catalogue offers: the customers with the
 * behaviour an offer changes and with the one it changes it to, and how many of each churned.
 */
import { describe, expect, it } from 'vitest';
import { defaultCatalogue } from '../../../../service/offers/catalogue.ts';
import { gapStatement } from '../../../../service/offers/engine.ts';
import { usePipeline } from './pipeline.ts';

const pipeline = usePipeline();

const gap = async (offerId: string) => {
  const { store, tables } = pipeline();
  const offer = defaultCatalogue().offers.find((o) => o.id === offerId)!;
  const q = gapStatement(tables.fitFacts, offer);
  const [row] = await store.db.withConnection(async (c) => (await c.runAndReadAll(q.text, q.params)).getRowObjectsJson());
  return [row.exposed_n, row.exposed_churned, row.changed_n, row.changed_churned].map(Number);
};

describe('offers/behaviour_gap', () => {
  it('counts both groups and their churners on the landmark window', async () => {
    // Manual payers in the look-back: p4 alone, who churned; nobody paid automatically before the landmark.
    expect(await gap('direct_debit')).toEqual([1, 1, 0, 0]);
    // In their first two years (456 days) with no offer accepted: all but p5 (accepted 2024-12-10), p4 churned.
    expect(await gap('loyalty')).toEqual([7, 1, 1, 0]);
    // Paper: p4's February invoice; no digital channel before the landmark.
    expect(await gap('e_invoice')).toEqual([1, 1, 0, 0]);
  });
});
