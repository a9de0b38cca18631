/**
 * queries/offers/model_input.sql on the landmark offer facts of the offers pipeline (pipeline.ts,
 * landmark 2025-04-02, exposures from 2024-10-04): survival time, churn event and the model's
 * factors, one row per customer in customer order.
 */
import { describe, expect, it } from 'vitest';
import { r10, usePipeline } from './pipeline.ts';

const pipeline = usePipeline();

const input = async (facts: string) => {
  const { store } = pipeline();
  const rows = await store.query('offers/model_input', {}, { facts });
  return rows.map((r) => [r10(r.time_days), r.event, r.payment_method_class, r.timeliness, r.fee_exposure, r.age_band, r.tenure_band, r.vertical, r.dissatisfied, r.overpriced]);
};

// Every invoice but p4's falls after the landmark: the others have no payment method in the look-back.
const stayer = (vertical: string) => [90, 0, 'unknown', 'on_time', 'none', '30-49', '1-2y', vertical, 'false', 'false'];

describe('offers/model_input', () => {
  it('gives each customer of the landmark window its time, event and factors', async () => {
    expect(await input(pipeline().tables.fitFacts)).toEqual([
      stayer('telecom'),
      stayer('energy'),
      stayer('telecom'),
      // p4 cancelled 2025-05-15 10:00, 43 days 10 hours after the landmark; its February invoice was paid late by OCR transfer.
      [r10(43 + 10 / 24), 1, 'manual', 'late_once', 'none', '30-49', '1-2y', 'energy', 'false', 'false'],
      stayer('energy'),
      stayer('telecom'),
      stayer('telecom'),
      stayer('telecom'),
    ]);
  });

  it('leaves out rows with a negative survival time', async () => {
    const { store, tables } = pipeline();
    await store.rows(`CREATE OR REPLACE TABLE p_negative AS SELECT * REPLACE (CASE WHEN customer_id = 'p2' THEN -1 ELSE time_days END AS time_days) FROM ${tables.fitFacts}`);
    // p2 is gone: seven rows remain, telecom p1 and p3 first.
    expect((await input('p_negative')).map((r) => r[7])).toEqual(['telecom', 'telecom', 'energy', 'energy', 'telecom', 'telecom', 'telecom']);
  });
});
