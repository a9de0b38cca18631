/**
 * queries/offers/scored_customers.sql in the offers pipeline (pipeline.ts): every customer active
 * at the as-of date with the linear predictor of the chosen model, the risk 1 − exp(−H₀ · e^lp) and
 * the monthly price in the reporting currency.
 */
import { describe, expect, it } from 'vitest';
import { r10, usePipeline } from './pipeline.ts';

const pipeline = usePipeline();

describe('offers/scored_customers', () => {
  it('scores the active customers only, with the risk of their manual / late-once dummies', async () => {
    const { store, tables } = pipeline();
    const rows = await store.rows(`SELECT customer_id, lp, risk, price_reporting FROM ${tables.scored} ORDER BY customer_id`);
    // The linear predictor in units of ln 2 (the chosen coefficient): the number of dummies set.
    expect(rows.map((r) => [r.customer_id, r10(Number(r.lp) / Math.LN2), r10(r.risk), r10(r.price_reporting)])).toEqual([
      // Manual and late once: lp 2 ln 2, risk 1 − 2^−4; 200 SEK × 0.1.
      ['p1', 2, 0.9375, 20],
      // Automatic and on time: no dummy, risk 1 − 2^−1; already in EUR.
      ['p2', 0, 0.5, 50],
      // Manual: risk 1 − 2^−2; 300 NOK × 0.1.
      ['p3', 1, 0.75, 30],
      // p4 cancelled before the as-of date and is not scored. p5 bills in CHF, which has no rate.
      ['p5', 1, 0.75, null],
      // Automatic but late once.
      ['p6', 1, 0.75, 10],
      ['p7', 1, 0.75, 40],
      ['p8', 1, 0.75, 10],
    ]);
  });

  it('keeps every offer-fact column of the scoring window', async () => {
    const { store, tables } = pipeline();
    const rows = await store.rows(`SELECT customer_id, payment_method_class, timeliness, invoice_channel, best_opened_channel, last_offer_shown_at FROM ${tables.scored} WHERE customer_id IN ('p1', 'p3')`);
    // p1 viewed its email invoice; p3 never viewed its own, so its own channel is the one to use. p3 was shown soft_reminder on 2025-06-20.
    expect(rows.sort((a, b) => String(a.customer_id).localeCompare(String(b.customer_id)))).toEqual([
      { customer_id: 'p1', payment_method_class: 'manual', timeliness: 'late_once', invoice_channel: 'email', best_opened_channel: 'email', last_offer_shown_at: null },
      { customer_id: 'p3', payment_method_class: 'manual', timeliness: 'on_time', invoice_channel: 'email', best_opened_channel: 'email', last_offer_shown_at: '2025-06-20 12:00:00+00' },
    ]);
  });
});
