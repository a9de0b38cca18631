/**
 * queries/offers/customer_status.sql on the offers pipeline's events (pipeline.ts): for a customer
 * who is not scored, how many events it has before the bound and its last cancellation and start.
 */
import { describe, expect, it } from 'vitest';
import { AS_OF_END, usePipeline } from './pipeline.ts';

const pipeline = usePipeline();

const status = async (customer_id: string, exp_end = AS_OF_END) => {
  const { store } = pipeline();
  const [row] = await store.query('offers/customer_status', { customer_id, exp_end });
  return [Number(row.events), row.last_cancel, row.last_start];
};

describe('offers/customer_status', () => {
  it('tells a churned customer by its last cancellation', async () => {
    // p4: start, profile, invoice, payment, cancellation.
    expect(await status('p4')).toEqual([5, '2025-05-15 10:00:00+00', '2024-01-01 08:00:00+00']);
  });

  it('reads only what happened before the bound', async () => {
    // Before 2025-05-01 p4 had not cancelled yet.
    expect(await status('p4', '2025-05-01T00:00:00Z')).toEqual([4, null, '2024-01-01 08:00:00+00']);
    // Nothing before its sign-up.
    expect(await status('p4', '2024-01-01T00:00:00Z')).toEqual([0, null, null]);
  });

  it('finds no history for an unknown customer', async () => {
    expect(await status('nobody')).toEqual([0, null, null]);
  });
});
