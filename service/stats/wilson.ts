/**
 * Wilson score interval for a proportion: the uncertainty attached to every churn rate the
 * service shows (docs/definitions.md, "never a bare ratio"). Wilson rather than the textbook Wald interval
 * because segments are often small or have rates near 0 or 1, where Wald collapses to a
 * zero-width or out-of-range interval; Wilson stays inside [0, 1] and keeps close to nominal
 * coverage. It is the interval R's `prop.test(x, n, correct = FALSE)` reports.
 */

import { normalQuantile } from './distributions.ts';

export interface WilsonInterval {
  successes: number;
  n: number;
  /** Observed proportion; null when n = 0 (no customers, no rate). */
  proportion: number | null;
  lower: number;
  upper: number;
  confidence: number;
}

/**
 * Wilson score interval for `successes` out of `n`. With n = 0 there is no information, and the
 * interval is the whole of [0, 1] with a null proportion, so callers never have to handle NaN.
 * At 0/n and n/n the closed-form bound is exactly 0 (or 1); it is set exactly rather than
 * computed, because rounding would otherwise leave a bound like 1e-17 or 0.9999999999999999.
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): WilsonInterval {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`wilsonInterval: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`wilsonInterval: successes must be an integer in [0, n], got ${successes} of ${n}`);
  }
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`wilsonInterval: confidence must be in (0, 1), got ${confidence}`);
  if (n === 0) return { successes, n, proportion: null, lower: 0, upper: 1, confidence };

  const z = normalQuantile(1 - (1 - confidence) / 2);
  const z2 = z * z;
  const p = successes / n;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  const lower = successes === 0 ? 0 : Math.max(0, centre - halfWidth);
  const upper = successes === n ? 1 : Math.min(1, centre + halfWidth);
  return { successes, n, proportion: p, lower, upper, confidence };
}
