// Non-negative least squares against brute force: for a handful of columns the exact solution is
// the best of the unconstrained least-squares fits over every subset of columns whose coefficients
// all come out non-negative. Seeded random problems, plus the cases the forecast relies on.
import { describe, expect, it } from 'vitest';
import { addRidge, addRow, emptyGram, nnls, type Gram } from '../../../service/staffing/nnls.ts';
import { ldlFactor, ldlSolve } from '../../../service/stats/linear-algebra.ts';
import { mulberry32 } from '../../helpers/random.ts';


const objective = (g: Gram, x: ArrayLike<number>) => {
  let q = 0;
  for (let i = 0; i < g.p; i++) {
    q -= 2 * g.xty[i] * x[i];
    for (let j = 0; j < g.p; j++) q += x[i] * g.xtx[i * g.p + j] * x[j];
  }
  return q;
};

function bruteForce(g: Gram): Float64Array {
  let best = new Float64Array(g.p);
  let bestValue = 0;
  for (let mask = 1; mask < 1 << g.p; mask++) {
    const idx = [...Array(g.p).keys()].filter((i) => mask & (1 << i));
    const q = idx.length;
    const sub = new Float64Array(q * q);
    const rhs = new Float64Array(q);
    idx.forEach((a, i) => {
      rhs[i] = g.xty[a];
      idx.forEach((b, j) => (sub[i * q + j] = g.xtx[a * g.p + b]));
    });
    const sol = ldlSolve(ldlFactor(sub, q), rhs);
    if ([...sol].some((v) => v < 0)) continue;
    const x = new Float64Array(g.p);
    idx.forEach((a, i) => (x[a] = sol[i]));
    const value = objective(g, x);
    if (value < bestValue) [best, bestValue] = [x, value];
  }
  return best;
}

describe('nnls', () => {
  it('matches brute force on 300 seeded random problems', () => {
    const random = mulberry32(7);
    for (let t = 0; t < 300; t++) {
      const p = 2 + Math.floor(random() * 5);
      const g = emptyGram(p);
      const truth = Array.from({ length: p }, () => (random() < 0.4 ? 0 : random() * 3 - 0.5));
      for (let r = 0; r < 40; r++) {
        const x = Array.from({ length: p }, () => random() * 10);
        // A correlated column now and then, as invoice-run drivers are.
        if (p > 2 && random() < 0.5) x[1] = x[0] * 0.9 + random();
        addRow(g, x, truth.reduce((s, b, k) => s + b * x[k], 0) + (random() - 0.5) * 4);
      }
      const got = nnls(g);
      const want = bruteForce(g);
      expect([...got].every((v) => v >= 0)).toBe(true);
      expect(objective(g, got)).toBeCloseTo(objective(g, want), 6);
    }
  });

  it('recovers an exact non-negative solution and zeroes a harmful column', () => {
    const g = emptyGram(3);
    for (let i = 0; i < 20; i++) {
      const x = [1 + i, (i * 7) % 5, Math.sin(i)];
      addRow(g, x, 2 * x[0] + 0.5 * x[1] - 3 * x[2]);
    }
    const beta = nnls(g);
    expect(beta[2]).toBe(0);
    expect(beta[0]).toBeGreaterThan(0);
    expect(beta[1]).toBeGreaterThan(0);
  });

  it('a strong ridge pulls the solution to its prior', () => {
    const g = emptyGram(2);
    for (let i = 0; i < 10; i++) addRow(g, [1, i], 5 + i);
    addRidge(g, [1e9, 1e9], [0.3, 0.7]);
    const beta = nnls(g);
    expect(beta[0]).toBeCloseTo(0.3, 6);
    expect(beta[1]).toBeCloseTo(0.7, 6);
  });

  it('returns zeros for an empty problem', () => {
    expect([...nnls(emptyGram(3))]).toEqual([0, 0, 0]);
  });
});
