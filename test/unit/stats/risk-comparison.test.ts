import { describe, expect, it } from 'vitest';
import { compareRisks } from '../../../service/stats/risk-comparison.ts';
import { expectMatchesReference, loadChurnReference } from './reference-data.ts';

/** Which CSV column and level define the exposed group of each reference comparison. */
const EXPOSURES: Record<string, { column: string; exposed: string; reference: string }> = {
  'manual vs automatic': { column: 'method_class', exposed: 'manual', reference: 'automatic' },
  'late vs on time': { column: 'late', exposed: '1', reference: '0' },
  'fee exposed vs none': { column: 'fee_exposed', exposed: '1', reference: '0' },
};

function counts(group: string[], churned: string[], level: string): { n: number; events: number } {
  let n = 0;
  let events = 0;
  group.forEach((g, i) => {
    if (g !== level) return;
    n++;
    if (churned[i] === '1') events++;
  });
  return { n, events };
}

describe('compareRisks against R', () => {
  const { columns, expected } = loadChurnReference();

  it('covers every comparison in the reference', () => {
    expect(expected.risk.map((r) => r.comparison).sort()).toEqual(Object.keys(EXPOSURES).sort());
  });

  for (const row of expected.risk) {
    it(`reproduces "${row.comparison}" field by field`, () => {
      const spec = EXPOSURES[row.comparison];
      const exposed = counts(columns[spec.column], columns.churned, spec.exposed);
      const reference = counts(columns[spec.column], columns.churned, spec.reference);
      expect(exposed).toEqual({ n: row.exposed_n, events: row.exposed_churned });
      expect(reference).toEqual({ n: row.unexposed_n, events: row.unexposed_churned });

      const r = compareRisks(exposed, reference);
      expectMatchesReference(r.exposed.rate, row.exposed_rate, 'exposed rate');
      expectMatchesReference(r.reference.rate, row.unexposed_rate, 'reference rate');
      expectMatchesReference(r.relativeRisk, row.relative_risk, 'relative risk');
      expectMatchesReference(r.relativeRiskCi?.[0], row.rr_ci95[0], 'RR lower');
      expectMatchesReference(r.relativeRiskCi?.[1], row.rr_ci95[1], 'RR upper');
      expectMatchesReference(r.riskDifference, row.risk_difference, 'risk difference');
      expectMatchesReference(r.chiSquare, row.chi_square, 'chi-square');
      expectMatchesReference(r.pValue, row.p_value, 'p-value');
      expect(r.relativeRiskReason).toBeNull();
      expect(r.chiSquareReason).toBeNull();
      expect(r.exposed.rateCi.lower).toBeLessThan(r.exposed.rate!);
      expect(r.exposed.rateCi.upper).toBeGreaterThan(r.exposed.rate!);
    });
  }
});

describe('compareRisks on degenerate tables', () => {
  it('a reference group without events leaves RR undefined, with a reason', () => {
    const r = compareRisks({ n: 10, events: 3 }, { n: 20, events: 0 });
    expect(r.relativeRisk).toBeNull();
    expect(r.relativeRiskCi).toBeNull();
    expect(r.relativeRiskReason).toBe('no_reference_events');
    expect(r.riskDifference).toBeCloseTo(0.3, 15);
    // The table itself is fine: (3·20 − 7·0)² · 30 / (10 · 20 · 3 · 27) = 6.6667
    expect(r.chiSquare).toBeCloseTo((30 * 60 * 60) / (10 * 20 * 3 * 27), 12);
    expect(r.pValue).toBeGreaterThan(0);
  });

  it('an exposed group without events has RR 0 but no log-scale CI', () => {
    const r = compareRisks({ n: 10, events: 0 }, { n: 20, events: 5 });
    expect(r.relativeRisk).toBe(0);
    expect(r.relativeRiskCi).toBeNull();
    expect(r.relativeRiskReason).toBe('no_exposed_events');
  });

  it('no churn at all: rates 0, no RR, no chi-square', () => {
    const r = compareRisks({ n: 10, events: 0 }, { n: 20, events: 0 });
    expect(r.riskDifference).toBe(0);
    expect(r.relativeRisk).toBeNull();
    expect(r.chiSquare).toBeNull();
    expect(r.pValue).toBeNull();
    expect(r.chiSquareReason).toBe('no_outcome_variation');
  });

  it('everybody churned: RR 1 with a zero-width CI, no chi-square', () => {
    const r = compareRisks({ n: 4, events: 4 }, { n: 6, events: 6 });
    expect(r.relativeRisk).toBe(1);
    expect(r.relativeRiskCi).toEqual([1, 1]);
    expect(r.chiSquareReason).toBe('no_outcome_variation');
  });

  it('an empty group yields nulls everywhere, never NaN', () => {
    const r = compareRisks({ n: 0, events: 0 }, { n: 20, events: 5 });
    expect(r.exposed.rate).toBeNull();
    expect(r.exposed.rateCi).toMatchObject({ lower: 0, upper: 1 });
    expect(r.riskDifference).toBeNull();
    expect(r.relativeRiskReason).toBe('empty_group');
    expect(r.chiSquareReason).toBe('empty_group');
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });

  it('hand-checkable 2×2: 20/100 vs 10/100', () => {
    const r = compareRisks({ n: 100, events: 20 }, { n: 100, events: 10 });
    expect(r.relativeRisk).toBeCloseTo(2, 15);
    const se = Math.sqrt(1 / 20 - 1 / 100 + 1 / 10 - 1 / 100);
    expect(r.relativeRiskCi![0]).toBeCloseTo(2 * Math.exp(-1.959963984540054 * se), 12);
    // N(ad − bc)² / (n1 n2 m1 m2) = 200 · (20·90 − 80·10)² / (100 · 100 · 30 · 170)
    expect(r.chiSquare).toBeCloseTo((200 * 1000 * 1000) / (100 * 100 * 30 * 170), 12);
  });

  it('rejects impossible counts', () => {
    expect(() => compareRisks({ n: 3, events: 4 }, { n: 3, events: 1 })).toThrow(RangeError);
    expect(() => compareRisks({ n: -1, events: 0 }, { n: 3, events: 1 })).toThrow(RangeError);
  });
});
