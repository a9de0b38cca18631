/**
 * Non-negative least squares for the contact forecast. Every driver of the model (invoices sent,
 * invoices falling due, reminders, failed debits, customers) can only *add* contacts, so a negative
 * coefficient is never a finding, only noise fitted in a small sample — and one that would forecast
 * fewer contacts for a bigger invoice run. Constraining the coefficients to ≥ 0 removes that failure
 * mode at its root. The solver is Lawson and Hanson's active-set method (1974) in its Gram-matrix
 * form (Bro & De Jong 1997): the problems here have a dozen columns and a few hundred to a few
 * thousand rows, so the rows are folded into XᵀX once and every step is a tiny dense solve. The
 * Gram form also makes a ridge prior free: add λ to the diagonal and λ·prior to XᵀY.
 */
import { ldlFactor, ldlSolve } from '../stats/linear-algebra.ts';

export interface Gram {
  p: number;
  /** Row-major p × p, XᵀWX (+ ridge). */
  xtx: Float64Array;
  /** XᵀWy (+ ridge × prior). */
  xty: Float64Array;
}

export function emptyGram(p: number): Gram {
  return { p, xtx: new Float64Array(p * p), xty: new Float64Array(p) };
}

/** Adds one observation (row x, target y, weight w) to the normal equations. */
export function addRow(g: Gram, x: ArrayLike<number>, y: number, w = 1): void {
  const { p, xtx, xty } = g;
  for (let i = 0; i < p; i++) {
    const xi = x[i] * w;
    if (xi === 0) continue;
    xty[i] += xi * y;
    for (let j = 0; j < p; j++) xtx[i * p + j] += xi * x[j];
  }
}

/** Adds the penalty λ_k (β_k − prior_k)² to the objective. */
export function addRidge(g: Gram, lambda: ArrayLike<number>, prior: ArrayLike<number>): void {
  for (let k = 0; k < g.p; k++) {
    g.xtx[k * g.p + k] += lambda[k];
    g.xty[k] += lambda[k] * prior[k];
  }
}

/** argmin ½βᵀGβ − bᵀβ subject to β ≥ 0. */
export function nnls(g: Gram, maxIterations = 10 * g.p + 10): Float64Array {
  const { p, xtx, xty } = g;
  const x = new Float64Array(p);
  const passive = new Array<boolean>(p).fill(false);
  let scale = 0;
  for (let i = 0; i < p; i++) scale = Math.max(scale, Math.abs(xty[i]), xtx[i * p + i]);
  if (!(scale > 0)) return x;
  const tol = 1e-12 * scale;

  const gradient = () => {
    const w = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let s = xty[i];
      for (let j = 0; j < p; j++) s -= xtx[i * p + j] * x[j];
      w[i] = s;
    }
    return w;
  };
  /** Unconstrained solution on the passive set, zero elsewhere. */
  const solvePassive = () => {
    const idx = passive.flatMap((on, i) => (on ? [i] : []));
    const q = idx.length;
    const sub = new Float64Array(q * q);
    const rhs = new Float64Array(q);
    for (let a = 0; a < q; a++) {
      rhs[a] = xty[idx[a]];
      for (let b = 0; b < q; b++) sub[a * q + b] = xtx[idx[a] * p + idx[b]];
    }
    const sol = ldlSolve(ldlFactor(sub, q), rhs);
    const s = new Float64Array(p);
    idx.forEach((i, a) => (s[i] = sol[a]));
    return s;
  };

  for (let iter = 0; iter < maxIterations; iter++) {
    const w = gradient();
    let best = -1;
    let bestW = tol;
    for (let i = 0; i < p; i++) if (!passive[i] && w[i] > bestW) [best, bestW] = [i, w[i]];
    if (best < 0) break;
    passive[best] = true;
    for (let inner = 0; inner < 3 * p; inner++) {
      const s = solvePassive();
      let alpha = Infinity;
      for (let i = 0; i < p; i++) {
        if (passive[i] && s[i] <= 0) {
          const a = x[i] / (x[i] - s[i]);
          if (a < alpha) alpha = a;
        }
      }
      if (alpha === Infinity) {
        x.set(s);
        break;
      }
      for (let i = 0; i < p; i++) x[i] += alpha * (s[i] - x[i]);
      for (let i = 0; i < p; i++) {
        if (passive[i] && x[i] <= 1e-15 * Math.max(1, Math.abs(s[i]))) {
          passive[i] = false;
          x[i] = 0;
        }
      }
    }
  }
  for (let i = 0; i < p; i++) if (x[i] < 0) x[i] = 0;
  return x;
}
