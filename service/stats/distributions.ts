/**
 * The probability distributions behind every interval and p-value the service reports: the
 * standard normal (CDF and quantile) and the chi-square upper tail. The reference p-values reach
 * 1e-49, far below where `1 - cdf` has any significant digits left, so tails are computed
 * directly from the regularized incomplete gamma function (continued fraction in the tail,
 * series near the centre), and the normal CDF is derived from the same function, which keeps a
 * single, well-tested numerical core for both.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const EPS = Number.EPSILON;
const TINY = 1e-300;
const MAX_TERMS = 10_000;

/**
 * log Γ(x) for x > 0. Stirling's series is accurate to full double precision once x ≥ 15; smaller
 * arguments are shifted up with Γ(x+1) = xΓ(x), which costs a handful of multiplications and
 * avoids the fitted coefficients of Lanczos-type formulas.
 */
export function logGamma(x: number): number {
  if (Number.isNaN(x) || x <= 0) throw new RangeError(`logGamma: x must be > 0, got ${x}`);
  if (x === Infinity) return Infinity;
  // For 0 < x < 15 the product x(x+1)…(x+k−1) stays within [x·14!, 29!/14!], far from overflow.
  let shifted = false;
  let product = 1;
  while (x < 15) {
    product *= x;
    x += 1;
    shifted = true;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  // Bernoulli-number terms B_2k / (2k (2k-1) x^(2k-1)), k = 1..7.
  const correction =
    inv *
    (1 / 12 +
      inv2 *
        (-1 / 360 +
          inv2 *
            (1 / 1260 +
              inv2 * (-1 / 1680 + inv2 * (1 / 1188 + inv2 * (-691 / 360360 + inv2 * (1 / 156)))))));
  const stirling = (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + correction;
  return shifted ? stirling - Math.log(product) : stirling;
}

/** e^(−x) x^a / Γ(a), the common prefactor of both incomplete-gamma expansions. */
function gammaPrefactor(a: number, x: number): number {
  return Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** P(a, x) by its power series; converges fast for x < a + 1, where P is not tiny-from-1. */
function gammaSeriesP(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let k = 1; k < MAX_TERMS; k++) {
    term *= x / (a + k);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * gammaPrefactor(a, x);
}

/** Q(a, x) by its continued fraction (modified Lentz); converges fast for x ≥ a + 1. */
function gammaContinuedFractionQ(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return gammaPrefactor(a, x) * h;
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function regularizedGammaP(a: number, x: number): number {
  checkGammaArgs(a, x);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeriesP(a, x) : 1 - gammaContinuedFractionQ(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a), accurate deep in the tail. */
export function regularizedGammaQ(a: number, x: number): number {
  checkGammaArgs(a, x);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeriesP(a, x) : gammaContinuedFractionQ(a, x);
}

function checkGammaArgs(a: number, x: number): void {
  if (!(a > 0) || !Number.isFinite(a)) throw new RangeError(`incomplete gamma: a must be finite and > 0, got ${a}`);
  if (Number.isNaN(x) || x < 0) throw new RangeError(`incomplete gamma: x must be ≥ 0, got ${x}`);
}

/** Upper tail P(X > x) of a chi-square distribution with `df` > 0 degrees of freedom. */
export function chiSquareUpperTail(x: number, df: number): number {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`chiSquareUpperTail: df must be finite and > 0, got ${df}`);
  if (Number.isNaN(x)) throw new RangeError('chiSquareUpperTail: x is NaN');
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}

/** Standard normal CDF Φ(x); Φ(x) = Q(1/2, x²/2)/2 for x < 0, so the lower tail keeps full relative accuracy. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === -Infinity) return 0;
  if (x === Infinity) return 1;
  const tail = 0.5 * regularizedGammaQ(0.5, 0.5 * x * x);
  return x < 0 ? tail : 1 - tail;
}

/** Two-sided p-value of a standard normal statistic, 2 Φ(−|z|), without forming 1 − Φ. */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (!Number.isFinite(z)) return 0;
  return regularizedGammaQ(0.5, 0.5 * z * z);
}

// Acklam's rational approximation: relative error ≈ 1e-9, used only as the starting point for
// Halley refinement against the accurate CDF above.
const ACKLAM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const ACKLAM_LOW = 0.02425;

function acklam(p: number): number {
  if (p < ACKLAM_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((ACKLAM_C[0] * q + ACKLAM_C[1]) * q + ACKLAM_C[2]) * q + ACKLAM_C[3]) * q + ACKLAM_C[4]) * q + ACKLAM_C[5]) /
      ((((ACKLAM_D[0] * q + ACKLAM_D[1]) * q + ACKLAM_D[2]) * q + ACKLAM_D[3]) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((ACKLAM_A[0] * r + ACKLAM_A[1]) * r + ACKLAM_A[2]) * r + ACKLAM_A[3]) * r + ACKLAM_A[4]) * r + ACKLAM_A[5]) * q) /
    (((((ACKLAM_B[0] * r + ACKLAM_B[1]) * r + ACKLAM_B[2]) * r + ACKLAM_B[3]) * r + ACKLAM_B[4]) * r + 1)
  );
}

/**
 * Standard normal quantile Φ⁻¹(p). Works on the lower half only (for p > 1/2, 1 − p is exact in
 * floating point, so symmetry loses nothing) and polishes Acklam's estimate with Halley steps,
 * which land within an ulp or two of the true quantile.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p > 0.5) return -normalQuantile(1 - p);
  let x = acklam(p);
  for (let step = 0; step < 3; step++) {
    const density = Math.exp(-0.5 * x * x) / SQRT_2PI;
    if (density === 0) break;
    const u = (normalCdf(x) - p) / density;
    if (!Number.isFinite(u)) break;
    const next = x - u / (1 + 0.5 * x * u);
    if (next === x) break;
    x = next;
  }
  return x;
}
