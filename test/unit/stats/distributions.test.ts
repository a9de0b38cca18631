import { describe, expect, it } from 'vitest';
import {
  chiSquareUpperTail,
  logGamma,
  normalCdf,
  normalQuantile,
  normalTwoSidedP,
  regularizedGammaP,
  regularizedGammaQ,
} from '../../../service/stats/distributions.ts';
import { expectMatchesReference, loadChurnReference, relativeError } from './reference-data.ts';

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

describe('logGamma', () => {
  it('matches log((n−1)!) for integers and log √π at 1/2', () => {
    for (const n of [1, 2, 3, 7, 14, 15, 16, 25, 60, 150]) {
      expect(Math.abs(logGamma(n) - Math.log(factorial(n - 1)))).toBeLessThan(1e-13 * Math.max(1, Math.log(factorial(n - 1))));
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    // Γ(n + 1/2) = (2n)! √π / (4ⁿ n!)
    expect(relativeError(logGamma(5.5), Math.log((factorial(10) * Math.sqrt(Math.PI)) / (4 ** 5 * factorial(5))))).toBeLessThan(1e-14);
  });

  it('rejects non-positive arguments', () => {
    expect(() => logGamma(0)).toThrow(RangeError);
    expect(() => logGamma(-1)).toThrow(RangeError);
  });
});

describe('incomplete gamma', () => {
  it('P + Q = 1 on both sides of the series / continued-fraction switch', () => {
    for (const [a, x] of [
      [0.5, 0.1],
      [0.5, 3],
      [3, 2],
      [3, 5],
      [10, 10.9],
      [10, 11.1],
    ]) {
      expect(regularizedGammaP(a, x) + regularizedGammaQ(a, x)).toBeCloseTo(1, 14);
    }
  });
});

describe('chiSquareUpperTail', () => {
  it('has the closed forms of even degrees of freedom, deep into the tail', () => {
    // df = 2: e^(−x/2); df = 4: e^(−x/2)(1 + x/2); df = 6: e^(−x/2)(1 + x/2 + x²/8)
    for (const x of [0.01, 1, 7.5, 40, 200, 600]) {
      expect(relativeError(chiSquareUpperTail(x, 2), Math.exp(-x / 2))).toBeLessThan(1e-12);
      expect(relativeError(chiSquareUpperTail(x, 4), Math.exp(-x / 2) * (1 + x / 2))).toBeLessThan(1e-12);
      expect(relativeError(chiSquareUpperTail(x, 6), Math.exp(-x / 2) * (1 + x / 2 + (x * x) / 8))).toBeLessThan(1e-12);
    }
  });

  it('gives 0.05 at the textbook critical values', () => {
    expect(chiSquareUpperTail(3.841458820694124, 1)).toBeCloseTo(0.05, 13);
    expect(chiSquareUpperTail(5.991464547107979, 2)).toBeCloseTo(0.05, 13);
  });

  it('reproduces every p-value in the R reference from its chi-square (down to 1e-49)', () => {
    const { expected } = loadChurnReference();
    for (const row of expected.risk) expectMatchesReference(chiSquareUpperTail(row.chi_square, 1), row.p_value, `${row.comparison} p`);
    for (const row of [expected.log_rank, expected.log_rank_age]) {
      expectMatchesReference(chiSquareUpperTail(row.chi_square, row.df), row.p_value, `log-rank ${row.groups} p`);
    }
  });

  it('is 1 at and below zero', () => {
    expect(chiSquareUpperTail(0, 3)).toBe(1);
    expect(chiSquareUpperTail(-1, 3)).toBe(1);
  });
});

describe('normal distribution', () => {
  it('has the familiar quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 14);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });

  it('is symmetric and ties Φ(1.96) to 0.975', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 15);
    for (const x of [0.3, 1, 2.5, 6]) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
  });

  it('inverts its own CDF to full relative precision, far into the tail', () => {
    for (const p of [1e-300, 1e-100, 1e-20, 1e-8, 0.001, 0.02425, 0.1, 0.3, 0.49]) {
      expect(relativeError(normalCdf(normalQuantile(p)), p)).toBeLessThan(1e-12);
    }
  });

  it('computes two-sided p-values without 1 − Φ cancellation', () => {
    expect(normalTwoSidedP(1.959963984540054)).toBeCloseTo(0.05, 14);
    // 2Φ(−z) equals the chi-square(1) tail of z².
    for (const z of [0.5, 3, 10, 20]) expect(relativeError(normalTwoSidedP(z), chiSquareUpperTail(z * z, 1))).toBeLessThan(1e-13);
    expect(normalTwoSidedP(20)).toBeGreaterThan(0);
    expect(normalTwoSidedP(20)).toBeLessThan(1e-80);
  });
});
