/**
 * Small dense symmetric solves for the information matrix of the Cox model and the variance
 * matrix of the log-rank test. Both are tiny (tens of rows) but may be singular or nearly so, and
 * the statistics must *report* that rather than return garbage, so this is the same LDLᵀ
 * (square-root-free Cholesky) with a relative pivot tolerance that R's `survival` uses: a pivot
 * below `toler × largest diagonal` marks its variable as redundant, the rank is returned, and
 * solves and inverses treat redundant variables as absent (a generalised inverse).
 */

/** Row-major p × p matrix plus the decomposition's bookkeeping. */
export interface LdlFactor {
  readonly p: number;
  /** Unit lower triangle L below the diagonal, D on the diagonal (0 for redundant pivots). */
  readonly factor: Float64Array;
  readonly rank: number;
  /** False when a pivot was clearly negative: the input was not positive semi-definite. */
  readonly nonNegativeDefinite: boolean;
  /** redundant[i] is true when variable i is (numerically) a combination of earlier ones. */
  readonly redundant: readonly boolean[];
}

/**
 * Factor the symmetric matrix `matrix` (row-major p × p; only the upper triangle is read) as
 * L D Lᵀ. `toler` is relative to the largest diagonal element, as in R's `cholesky2`
 * (`coxph.control()$toler.chol` = eps^0.75 by default).
 */
export function ldlFactor(matrix: Float64Array, p: number, toler = Math.pow(Number.EPSILON, 0.75)): LdlFactor {
  if (matrix.length !== p * p) throw new RangeError(`ldlFactor: expected ${p * p} elements, got ${matrix.length}`);
  const m = new Float64Array(p * p);
  let largest = 0;
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      const v = matrix[i * p + j];
      m[i * p + j] = v;
      m[j * p + i] = v;
    }
    const d = m[i * p + i];
    if (d > largest) largest = d;
  }
  const redundant: boolean[] = new Array<boolean>(p).fill(false);
  if (!(largest > 0)) {
    redundant.fill(true);
    m.fill(0);
    return { p, factor: m, rank: 0, nonNegativeDefinite: true, redundant };
  }
  const eps = largest * toler;
  let rank = 0;
  let nonNegativeDefinite = true;
  for (let i = 0; i < p; i++) {
    const pivot = m[i * p + i];
    if (!Number.isFinite(pivot) || pivot < eps) {
      if (pivot < -8 * eps) nonNegativeDefinite = false;
      redundant[i] = true;
      // Zero the column too, so the variable drops out of later solves entirely.
      for (let j = i; j < p; j++) m[j * p + i] = 0;
      continue;
    }
    rank++;
    for (let j = i + 1; j < p; j++) {
      const t = m[j * p + i] / pivot;
      m[j * p + i] = t;
      m[j * p + j] -= t * t * pivot;
      for (let k = j + 1; k < p; k++) m[k * p + j] -= t * m[k * p + i];
    }
  }
  // The upper triangle still holds the input; clear it so `factor` is exactly L and D.
  for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) m[i * p + j] = 0;
  return { p, factor: m, rank, nonNegativeDefinite, redundant };
}

/** Solve (L D Lᵀ) x = b, with x = 0 for redundant variables. Returns a new array. */
export function ldlSolve(f: LdlFactor, b: ArrayLike<number>): Float64Array {
  const { p, factor: m } = f;
  if (b.length !== p) throw new RangeError(`ldlSolve: expected ${p} elements, got ${b.length}`);
  const y = Float64Array.from(b);
  for (let i = 0; i < p; i++) {
    let t = y[i];
    for (let j = 0; j < i; j++) t -= y[j] * m[i * p + j];
    y[i] = t;
  }
  for (let i = p - 1; i >= 0; i--) {
    const d = m[i * p + i];
    if (d === 0) {
      y[i] = 0;
      continue;
    }
    let t = y[i] / d;
    for (let j = i + 1; j < p; j++) t -= y[j] * m[j * p + i];
    y[i] = t;
  }
  return y;
}

/** The (generalised) inverse, row-major p × p, with zero rows and columns for redundant variables. */
export function ldlInverse(f: LdlFactor): Float64Array {
  const { p } = f;
  const inverse = new Float64Array(p * p);
  const unit = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    if (f.redundant[j]) continue;
    unit.fill(0);
    unit[j] = 1;
    const column = ldlSolve(f, unit);
    for (let i = 0; i < p; i++) inverse[i * p + j] = f.redundant[i] ? 0 : column[i];
  }
  // Symmetrise: the two triangles come from different solves and can differ in the last bit.
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) {
      const v = 0.5 * (inverse[i * p + j] + inverse[j * p + i]);
      inverse[i * p + j] = v;
      inverse[j * p + i] = v;
    }
  }
  return inverse;
}
