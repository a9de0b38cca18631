/**
 * queries/offers/offer_facts.sql on the offers fixture over a landmark base as of 2025-06-30 (the
 * only kind offers read): the base's rows with tenure in days, and the offer columns the base
 * carries for its window (the invoice channel the customer opens, the view rate of digital
 * invoices, the offers shown and accepted, the last one shown). A lifetime base leaves them NULL.
 */
import { describe, expect, it } from 'vitest';
import { analysisBaseSql } from '../../../../service/analytics/base-sql.ts';
import { scopeFor } from '../../../../service/analytics/scope.ts';
import { useStore } from '../store.ts';
import { AS_OF, EXP_END, OFFER_EVENTS } from './fixture.ts';

const store = useStore(OFFER_EVENTS);

/** A landmark base at the end of AS_OF (EXP_END; no horizon) whose window starts at `start`. */
async function landmarkBase(name: string, start: string): Promise<string> {
  const params = { ...scopeFor(AS_OF, 'landmark', 365, 0).params, exp_start: start, after: null, upto: null };
  await store().db.withConnection((c) => c.run(`CREATE OR REPLACE TABLE ${name} AS ${analysisBaseSql()}`, params as never));
  return name;
}

describe('offers/offer_facts', () => {
  it('adds the offer columns to every customer of the base, in customer order', async () => {
    const base = await landmarkBase('base_from_1900', '1900-01-01T00:00:00Z');
    const rows = await store().query('offers/offer_facts', { exp_end: EXP_END }, { base });
    expect(rows.map((r) => [r.customer_id, r.tenure_days, r.best_opened_channel, r.invoice_view_rate, r.offers_shown, r.offers_accepted, r.last_offer_shown_at])).toEqual([
      // Signed up 2024-01-01 08:00: 546 whole days to 2025-07-01. f1 opened its email invoice, not its paper one:
      // email is the channel it opens, and its digital view rate is 1 of 1.
      ['f1', 546, 'email', 1, 2, 1, '2025-06-20 12:00:00+00'],
      // f2 and f4 cancelled before the landmark: not in its population.
      // No invoices: the channel falls back to sms, no view rate. f3's two acceptances count (B's came late, A's without a showing).
      ['f3', 546, 'sms', null, 1, 2, '2025-01-05 12:00:00+00'],
      ['f5', 546, 'sms', null, 0, 0, null],
    ]);
  });

  it('counts offers within the window only, and the last one shown before its end', async () => {
    // From 2025-01-12: f1's first showing and f3's showing of B and acceptance of A are before it.
    const base = await landmarkBase('base_from_jan12', '2025-01-12T00:00:00Z');
    const rows = await store().query('offers/offer_facts', { exp_end: EXP_END }, { base });
    expect(rows.map((r) => [r.customer_id, r.offers_shown, r.offers_accepted])).toEqual([['f1', 1, 1], ['f3', 0, 1], ['f5', 0, 0]]);
  });

  it('leaves the offer columns NULL in a lifetime base, which offers never read', async () => {
    const rows = await store().query('offers/offer_facts', { exp_end: EXP_END }, { base: await store().base(AS_OF) });
    expect(rows).toHaveLength(5);
    expect(rows.map((r) => [r.best_opened_channel, r.invoice_view_rate, r.offers_shown, r.offers_accepted, r.last_offer_shown_at])).toEqual(Array(5).fill([null, null, null, null, null]));
  });
});
