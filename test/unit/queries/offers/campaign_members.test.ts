/**
 * queries/offers/campaign_members.sql: a campaign's members drawn from a filtered audience (the
 * offers fixture's lifetime base, each customer given an offer and an expected value below), each
 * in the hold-out when the first 13 hex digits of md5(campaign_id:customer_id) / 2^52 fall below
 * the share. The expected groups are computed here with Node's own md5, independently of DuckDB.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { AS_OF, OFFER_EVENTS } from './fixture.ts';

const store = useStore(OFFER_EVENTS);
// f1 and f2 get A (worth 5 and 1 a month), f3 to f5 get B (worth 2, 3 and 4).
const OFFERS: Record<string, [string, number]> = { f1: ['A', 5], f2: ['A', 1], f3: ['B', 2], f4: ['B', 3], f5: ['B', 4] };
const held = (campaign: string, customer: string, share: number) => parseInt(createHash('md5').update(`${campaign}:${customer}`).digest('hex').slice(0, 13), 16) / 2 ** 52 < share;

const members = async (params: { campaign_id: string; share: number; offer_id: string | null; min_value: number | null }, filters: Record<string, string> = {}) => {
  const s = store();
  const base = await s.base(AS_OF);
  const cases = Object.entries(OFFERS).map(([c, [o, v]]) => `WHEN '${c}' THEN {'offer_id': '${o}', 'expected_value': ${v}}`).join(' ');
  await s.rows(`CREATE OR REPLACE TABLE audience AS SELECT *, (CASE customer_id ${cases} END).offer_id AS offer_id, (CASE customer_id ${cases} END).expected_value::DOUBLE AS expected_value FROM ${base}`);
  return (await s.filtered('offers/campaign_members', AS_OF, { table: 'audience', params, filters })).sort((a, b) => String(a.customer_id).localeCompare(String(b.customer_id)));
};

describe('offers/campaign_members', () => {
  it('assigns the hold-out by the md5 of campaign and customer, the same on every run', async () => {
    const rows = await members({ campaign_id: 'spring-25', share: 0.5, offer_id: null, min_value: null });
    expect(rows).toEqual(Object.entries(OFFERS).map(([c, [o]]) => ({ campaign_id: 'spring-25', customer_id: c, offer_id: o, grp: held('spring-25', c, 0.5) ? 'holdout' : 'treatment' })));
    // Share 0 holds out no one, share 1 everyone.
    expect((await members({ campaign_id: 'spring-25', share: 0, offer_id: null, min_value: null })).map((r) => r.grp)).toEqual(Array(5).fill('treatment'));
    expect((await members({ campaign_id: 'spring-25', share: 1, offer_id: null, min_value: null })).map((r) => r.grp)).toEqual(Array(5).fill('holdout'));
  });

  it('narrows by offer, minimum expected value and the segment filters', async () => {
    // Offer B worth at least 3: f4 and f5.
    expect((await members({ campaign_id: 'c', share: 0.2, offer_id: 'B', min_value: 3 })).map((r) => r.customer_id)).toEqual(['f4', 'f5']);
    // Telecom customers (f1, f2) of any offer.
    expect((await members({ campaign_id: 'c', share: 0.2, offer_id: null, min_value: null }, { vertical: 'telecom' })).map((r) => r.customer_id)).toEqual(['f1', 'f2']);
  });
});
