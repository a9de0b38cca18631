/**
 * queries/revenue/revenue_churn.sql on the revenue fixture, landmark view as of 2025-06-30
 * (landmark 2025-04-02, horizon to 2025-07-01): MRR at risk and lost per group, with the sums of
 * squares the delta-method variance needs.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { RATES, REVENUE_EVENTS } from './fixture.ts';

const store = useStore(REVENUE_EVENTS);

describe('revenue/revenue_churn', () => {
  it('prices each customer at the landmark, counts the unconvertible apart and sums only the priced', async () => {
    expect(await store().filtered('revenue/revenue_churn', '2025-06-30', { view: 'landmark', identifiers: { group: 'vertical' }, params: RATES })).toEqual([
      // r4 (EUR) and r7 (no currency): both unpriced; r4 churned. r5 started after the landmark.
      { key: 'energy', n: '2', churned: '1', unpriced: '2', at_risk_cents: '0', lost_cents: '0', sum_xx: 0, sum_yy: 0, priced: '0' },
      // r1 at its landmark price 100 (its raise is later), r2 200, r3 300 NOK = 27 000, r6 120: 69 000 at risk;
      // lost r2 + r3 = 47 000; Σx² = 10 000² + 20 000² + 27 000² + 12 000², Σy² = 20 000² + 27 000².
      { key: 'telecom', n: '4', churned: '2', unpriced: '0', at_risk_cents: '69000', lost_cents: '47000', sum_xx: 1_373_000_000, sum_yy: 1_129_000_000, priced: '4' },
    ]);
  });
});
