import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../../service/stats/distributions.ts';
import { wilsonInterval } from '../../../service/stats/wilson.ts';

describe('wilsonInterval', () => {
  it('matches the published Wilson intervals of Newcombe (1998), Table I', () => {
    const cases: Array<[number, number, number, number]> = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [x, n, lower, upper] of cases) {
      const ci = wilsonInterval(x, n);
      expect(ci.lower).toBeCloseTo(lower, 4);
      expect(ci.upper).toBeCloseTo(upper, 4);
    }
  });

  it('at 0/n the lower bound is exactly 0 and the upper z²/(n + z²)', () => {
    const z = normalQuantile(0.975);
    const ci = wilsonInterval(0, 10);
    expect(ci.proportion).toBe(0);
    expect(ci.lower).toBe(0);
    expect(ci.upper).toBeCloseTo((z * z) / (10 + z * z), 15);
  });

  it('at n/n the upper bound is exactly 1 and the lower n/(n + z²)', () => {
    const z = normalQuantile(0.975);
    const ci = wilsonInterval(10, 10);
    expect(ci.proportion).toBe(1);
    expect(ci.upper).toBe(1);
    expect(ci.lower).toBeCloseTo(10 / (10 + z * z), 15);
  });

  it('with n = 0 reports no proportion and the whole unit interval', () => {
    expect(wilsonInterval(0, 0)).toEqual({ successes: 0, n: 0, proportion: null, lower: 0, upper: 1, confidence: 0.95 });
  });

  it('is symmetric under swapping successes and failures', () => {
    const a = wilsonInterval(7, 31);
    const b = wilsonInterval(24, 31);
    expect(a.lower).toBeCloseTo(1 - b.upper, 15);
    expect(a.upper).toBeCloseTo(1 - b.lower, 15);
  });

  it('widens with the confidence level', () => {
    const ci90 = wilsonInterval(30, 100, 0.9);
    const ci99 = wilsonInterval(30, 100, 0.99);
    expect(ci99.lower).toBeLessThan(ci90.lower);
    expect(ci99.upper).toBeGreaterThan(ci90.upper);
  });

  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 4, 1)).toThrow(RangeError);
  });
});
