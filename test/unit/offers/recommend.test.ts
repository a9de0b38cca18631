/**
 * The recommendation maths: effect from the measured gap with its interval, observed acceptance
 * replacing the assumption only with enough showings, and the saved-customer and net-value intervals
 * at the corners of the (effect, acceptance) box.
 */
import { describe, expect, it } from 'vitest';
import { defaultCatalogue } from '../../../service/offers/catalogue.ts';
import type { OfferEvaluation } from '../../../service/offers/engine.ts';
import { acceptanceEvidence, effectOf, gapEvidence } from '../../../service/offers/evidence.ts';
import { intervals } from '../../../service/offers/recommend.ts';
import { compareRisks } from '../../../service/stats/risk-comparison.ts';

const offer = defaultCatalogue().offers[0];
const window = { landmark: '2026-08-03', lookback_start: '2026-02-04', horizon_end: '2026-10-31' };

describe('effect of an offer', () => {
  it('is 1 − 1/RR of the measured gap, with the interval from the RR interval', () => {
    const gap = gapEvidence(offer, { exposed_n: 500, exposed_churned: 50, changed_n: 1000, changed_churned: 40 }, window);
    expect(gap.relative_risk).toBeCloseTo(2.5, 12);
    const cmp = compareRisks({ n: 500, events: 50 }, { n: 1000, events: 40 });
    const e = effectOf(gap);
    expect(e.value).toBeCloseTo(0.6, 12);
    expect(e.ci![0]).toBeCloseTo(1 - 1 / cmp.relativeRiskCi![0], 12);
    expect(e.ci![1]).toBeCloseTo(1 - 1 / cmp.relativeRiskCi![1], 12);
    expect(gap.exposed.label).toBe('pays manually');
  });

  it('is unknown when a group is too small to measure', () => {
    const gap = gapEvidence(offer, { exposed_n: 25, exposed_churned: 10, changed_n: 1000, changed_churned: 40 }, window);
    expect(gap.sufficient).toBe(false);
    expect(effectOf(gap)).toEqual({ value: null, ci: null });
  });

  it('is negative when the behaviour the offer creates churns more (no benefit)', () => {
    expect(effectOf(gapEvidence(offer, { exposed_n: 500, exposed_churned: 20, changed_n: 500, changed_churned: 40 }, window)).value).toBeCloseTo(-1, 12);
  });
});

describe('acceptance', () => {
  it('uses the observed rate from 30 showings on, else the assumption', () => {
    expect(acceptanceEvidence(offer, { shown: 29, accepted: 10 })).toMatchObject({ source: 'assumed', rate: offer.acceptance_rate, ci: null });
    const a = acceptanceEvidence(offer, { shown: 200, accepted: 30 });
    expect(a).toMatchObject({ source: 'observed', rate: 0.15, shown: 200, accepted: 30 });
    expect(a.ci![0]).toBeLessThan(0.15);
    expect(acceptanceEvidence(offer, undefined).source).toBe('assumed');
  });
});

describe('intervals', () => {
  it('span the corners of the (effect, acceptance) box', () => {
    const ev = {
      offer,
      position: 0,
      gap: {} as OfferEvaluation['gap'],
      effect: { value: 0.5, ci: [0.2, 0.7] as [number, number] },
      acceptance: { source: 'observed', rate: 0.1, ci: [0.05, 0.2] as [number, number], shown: 100, accepted: 10, assumed_rate: 0.1 },
    } as OfferEvaluation;
    const s = { audience: 10, risk_sum: 2, risk_price_sum: 100, cost_sum: 30, saved: 0.1, value: 2 };
    const r = intervals(ev, s);
    expect(r.saved![0]).toBeCloseTo(2 * 0.2 * 0.05, 12);
    expect(r.saved![1]).toBeCloseTo(2 * 0.7 * 0.2, 12);
    // net(e, a) = a (e Σ r·p − Σ cost): the low corner is (0.2, 0.2): 0.2 (20 − 30) = −2.
    expect(r.value![0]).toBeCloseTo(-2, 12);
    expect(r.value![1]).toBeCloseTo(0.2 * (70 - 30), 12);
    // Point estimates lie inside.
    expect(0.5 * 0.1 * 2).toBeGreaterThanOrEqual(r.saved![0]);
    expect(0.1 * (50 - 30)).toBeLessThanOrEqual(r.value![1]);
    expect(intervals({ ...ev, effect: { value: null, ci: null } }, s)).toEqual({ saved: null, value: null });
  });
});
