/**
 * queries/revenue/cancellation_reasons.sql on the revenue fixture, landmark view as of 2025-06-30:
 * the reason of each churner's first cancellation within the horizon, with the MRR it lost.
 */
import { describe, expect, it } from 'vitest';
import { scopeOf, useStore } from '../store.ts';
import { RATES, REVENUE_EVENTS } from './fixture.ts';

const store = useStore(REVENUE_EVENTS);
const { exp_end: landmark, outcome_end } = scopeOf('2025-06-30', 'landmark').params;

describe('revenue/cancellation_reasons', () => {
  it('takes the first cancellation’s reason, names a missing one, and loses nothing where no rate converts', async () => {
    expect(await store().filtered('revenue/cancellation_reasons', '2025-06-30', { view: 'landmark', identifiers: { group: 'vertical' }, params: { ...RATES, landmark, outcome_end } })).toEqual([
      // r4 gave no reason and bills in EUR.
      { key: 'energy', reason: 'unspecified', customers: '1', lost_cents: '0' },
      { key: 'telecom', reason: 'competitor', customers: '1', lost_cents: '27000' },
      // r2 cancelled for price on 20 May, then "moved" on 1 June: the first reason counts, once.
      { key: 'telecom', reason: 'price', customers: '1', lost_cents: '20000' },
    ]);
  });
});
