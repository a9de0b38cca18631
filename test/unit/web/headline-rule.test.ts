// The headline rule (web/src/lib/headline-rule.ts) and the chart titles built on it
// (web/src/lib/findings.ts): no title names a group under the minimum size, and no title claims a
// difference whose interval includes none. The cases are the ones issue 13 saw on real data:
// "Churn by satisfaction ranges from 0.0 % to 100.0 %" on five customers, and "After 0 days,
// 100.0 % … vs 100.0 %" on the survival chart.
import { describe, expect, it } from 'vitest';
import { canHeadline, chooseHeadline, differenceInterval, excludesNone, MIN_HEADLINE_N } from '../../../web/src/lib/headline-rule.ts';

// findings.ts imports through the dashboard's `$service` alias (types only, erased at run time);
// loaded by a computed path so the service's tsc does not follow it into the web tree.
const findingsPath = '../../../web/src/lib/findings.ts';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const f: any = await import(/* @vite-ignore */ findingsPath);

const meta = { as_of: '2026-10-31', view: 'lifetime', window: null };
const group = (key: string, n: number, churned: number, extra: Record<string, unknown> = {}) => {
  const rate = n ? churned / n : null;
  // Wilson 95 % interval.
  const z = 1.959964;
  const ci = n ? (() => { const p = churned / n; const d = 1 + (z * z) / n; const c = (p + (z * z) / (2 * n)) / d; const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d; return [c - h, c + h]; })() : null;
  return { key, n, churned, rate, rate_ci: ci, relative_risk: null, rr_ci: null, risk_difference: null, p_value: null, is_reference: false, small_sample: n < 30, ...extra };
};

describe('headline rule', () => {
  it('lets only groups of MIN_HEADLINE_N or more carry a headline', () => {
    expect(MIN_HEADLINE_N).toBe(30);
    expect(canHeadline({ n: 29 })).toBe(false);
    expect(canHeadline({ n: 30 })).toBe(true);
    expect(canHeadline({ n: 500, small_sample: true })).toBe(false);
  });

  it('claims a difference only when the interval excludes none', () => {
    expect(excludesNone([1.1, 2], 1)).toBe(true);
    expect(excludesNone([0.9, 2], 1)).toBe(false);
    expect(excludesNone([-0.3, -0.1], 0)).toBe(true);
    expect(excludesNone(null, 0)).toBe(false);
    const d = differenceInterval({ estimate: 0.5, ci: [0.4, 0.6] }, { estimate: 0.2, ci: [0.1, 0.3] })!;
    expect(d[0]).toBeCloseTo(0.3 - Math.sqrt(2) * 0.1, 9);
    expect(d[1]).toBeCloseTo(0.3 + Math.sqrt(2) * 0.1, 9);
  });

  it('never falls back to a small group', () => {
    type Item = { n: number; clear: boolean; s: number };
    const items: Item[] = [{ n: 5, clear: true, s: 9 }, { n: 40, clear: false, s: 1 }, { n: 50, clear: true, s: 0.5 }];
    const o = { eligible: (x: Item) => canHeadline(x), clear: (x: Item) => x.clear, strength: (x: Item) => x.s };
    expect(chooseHeadline(items, o)).toEqual({ kind: 'clear', item: items[2] });
    expect(chooseHeadline([items[0], items[1]], o)).toEqual({ kind: 'unclear', item: items[1] });
    expect(chooseHeadline([items[0]], o)).toEqual({ kind: 'too_small' });
    expect(chooseHeadline([], o)).toEqual({ kind: 'none' });
  });
});

describe('chart titles', () => {
  it('cannot say "ranges from 0.0 % to 100.0 %" on five customers', () => {
    const d = { ...meta, factor: 'satisfaction_level', reference: null, n: 5, churned: 2, groups: [group('satisfied', 3, 0), group('dissatisfied', 2, 2)], note: '' };
    expect(f.factorFinding(d)).toBe('Too few customers to compare churn by satisfaction: no two groups of 30 or more (largest n = 3)');
  });

  it('says no clear difference when the interval of the range includes 0', () => {
    const d = { ...meta, factor: 'plan', reference: null, n: 80, churned: 22, groups: [group('a', 40, 10), group('b', 40, 12)], note: '' };
    expect(f.factorFinding(d)).toBe('No clear churn difference by plan: 25.0% (a) to 30.0% (b), the interval of the difference includes 0');
    const clear = { ...d, groups: [group('a', 400, 40), group('b', 400, 120)] };
    expect(f.factorFinding(clear)).toBe('Churn by plan ranges from 10.0% (a) to 30.0% (b)');
  });

  it('does not headline a small group against the reference, however large its relative risk', () => {
    const d = {
      ...meta,
      factor: 'payment_method_class',
      reference: 'automatic',
      n: 1010,
      churned: 105,
      groups: [
        group('automatic', 1000, 100, { is_reference: true, relative_risk: 1 }),
        group('manual', 10, 5, { relative_risk: 5, rr_ci: [2.6, 9.6] }),
      ],
      note: '',
    };
    expect(f.factorFinding(d)).toBe('Too few customers to compare churn by payment method class: no two groups of 30 or more (largest n = 1,000)');
    d.groups.push(group('unknown', 300, 36, { relative_risk: 1.2, rr_ci: [0.84, 1.71] }));
    expect(f.factorFinding(d)).toBe('No clear churn difference by payment method class: payers with an unclassified method 1.20× vs automatic payers (95 % CI 0.84–1.71 includes 1)');
  });

  const curve = (key: string, n: number, atRiskAt: (t: number) => number, s: (t: number) => number) => ({
    key,
    n,
    events: 0,
    median_days: null,
    small_sample: n < 30,
    points: [0, 30, 60, 90, 120, 180, 240, 365].map((t) => ({ t_days: t, survival: s(t), lower: s(t) - 0.02, upper: Math.min(1, s(t) + 0.02), at_risk: atRiskAt(t) })),
  });
  // The survival answer survivalFinding reads: curves by a factor, with or without a log-rank test.
  const survival = (by: string, curves: ReturnType<typeof curve>[], log_rank: { chi_square: number; df: number; p_value: number } | null = null) => ({ ...meta, by, time_origin: '', log_rank, curves });

  it('picks the largest horizon where every curve still has 30 at risk, never day 0', () => {
    // The second curve drops below 30 at risk after day 90 (its follow-up thins out).
    const d = survival('payment_method_class', [curve('automatic', 500, () => 400, (t) => 1 - t / 2000), curve('manual', 200, (t) => (t <= 90 ? 150 : 20), (t) => 1 - t / 500)], { chi_square: 20, df: 1, p_value: 1e-5 });
    const r = f.survivalFinding(d);
    expect(r.t).toBe(90);
    expect(r.title).toBe('After 90 days, 95.5% of automatic payers are still subscribed vs 82.0% of manual payers (log-rank p < 0.001)');
  });

  it('says there is not enough follow-up rather than "after 0 days, 100 % vs 100 %"', () => {
    const d = survival('payment_method_class', [curve('automatic', 500, (t) => (t === 0 ? 500 : 10), () => 1), curve('manual', 200, (t) => (t === 0 ? 200 : 5), () => 1)]);
    expect(f.survivalFinding(d)).toEqual({ t: null, title: 'Not enough follow-up to compare survival by payment method class: no horizon of 30 days or more with 30+ customers still at risk in every group' });
  });

  it('leaves small curves out of the survival headline', () => {
    const d = survival('satisfaction_level', [curve('satisfied', 3, () => 3, () => 1), curve('dissatisfied', 2, () => 2, () => 0)]);
    expect(f.survivalFinding(d).title).toBe('Too few customers to compare survival by satisfaction: no group of 30 or more (largest n = 3)');
  });
});
