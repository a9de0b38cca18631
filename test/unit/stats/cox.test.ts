import { describe, expect, it } from 'vitest';
import { CoxModelError, fitCox, type CoxCovariate, type CoxErrorCode } from '../../../service/stats/cox.ts';
import { logRank } from '../../../service/stats/log-rank.ts';
import { expectMatchesReference, indicator, loadChurnReference, numeric } from './reference-data.ts';

function referenceModel(): { time: Float64Array; event: Uint8Array; covariates: CoxCovariate[] } {
  const { columns, expected } = loadChurnReference();
  const columnFor: Record<string, Float64Array> = {
    method_classmanual: indicator(columns.method_class, 'manual'),
    late: numeric(columns.late),
    fee_exposed: numeric(columns.fee_exposed),
    'age_band18-29': indicator(columns.age_band, '18-29'),
    'age_band30-49': indicator(columns.age_band, '30-49'),
  };
  return {
    time: numeric(columns.tenure_months),
    event: Uint8Array.from(numeric(columns.churned)),
    covariates: expected.cox_efron.terms.map((name) => {
      if (!columnFor[name]) throw new Error(`no column for reference term ${name}`);
      return { name, values: columnFor[name] };
    }),
  };
}

/** Deterministic pseudo-random numbers, so edge-case data sets are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** n rows of survival data drawn from lcg(seed): `row` gives each row's time, event and covariate values, in the order it draws them. */
function simulate(seed: number, n: number, row: (i: number, rand: () => number) => { x: Record<string, number>; time: number; event: boolean }) {
  const rand = lcg(seed);
  const time = new Float64Array(n);
  const event = new Uint8Array(n);
  const x: Record<string, Float64Array> = {};
  for (let i = 0; i < n; i++) {
    const r = row(i, rand);
    for (const [name, v] of Object.entries(r.x)) (x[name] ??= new Float64Array(n))[i] = v;
    time[i] = r.time;
    event[i] = r.event ? 1 : 0;
  }
  return { time, event, x };
}

/** Named columns as covariates, in the record's order. */
const covariatesOf = (columns: Record<string, Float64Array>): CoxCovariate[] => Object.entries(columns).map(([name, values]) => ({ name, values }));

function expectCoxError(fn: () => unknown, code: CoxErrorCode, terms?: string[]): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CoxModelError);
    expect((error as CoxModelError).code).toBe(code);
    if (terms) expect((error as CoxModelError).terms).toEqual(terms);
    return;
  }
  throw new Error(`expected CoxModelError ${code}, but the fit succeeded`);
}

describe('fitCox against R coxph', () => {
  const { expected } = loadChurnReference();
  const { time, event, covariates } = referenceModel();

  it('Efron: coefficients, SEs, hazard ratios and CIs, log-likelihoods', () => {
    const ref = expected.cox_efron;
    const fit = fitCox(time, event, covariates);
    expect(fit.ties).toBe('efron');
    expect(fit.converged).toBe(true);
    expect(fit.terms.map((t) => t.name)).toEqual(ref.terms);
    fit.terms.forEach((t, k) => {
      expectMatchesReference(t.coef, ref.coef[k], `${t.name} coef`);
      expectMatchesReference(t.se, ref.se[k], `${t.name} se`);
      expectMatchesReference(t.hazardRatio, ref.hazard_ratio[k], `${t.name} HR`);
      expectMatchesReference(t.hrLower, ref.hr_lower95[k], `${t.name} HR lower`);
      expectMatchesReference(t.hrUpper, ref.hr_upper95[k], `${t.name} HR upper`);
      expect(t.z).toBeCloseTo(t.coef / t.se, 12);
      expect(t.pValue).toBeGreaterThan(0);
      expect(t.pValue).toBeLessThanOrEqual(1);
    });
    expectMatchesReference(fit.loglik[0], ref.loglik[0], 'loglik at 0');
    expectMatchesReference(fit.loglik[1], ref.loglik[1], 'loglik at estimate');
    expect(fit.iterations).toBeGreaterThan(0);
    expect(fit.iterations).toBeLessThanOrEqual(20);
    expect(fit.tests.likelihoodRatio.statistic).toBeCloseTo(2 * (fit.loglik[1] - fit.loglik[0]), 9);
  });

  it('Breslow: coefficients and hazard ratios', () => {
    const ref = expected.cox_breslow;
    const fit = fitCox(time, event, covariates, { ties: 'breslow' });
    expect(fit.terms.map((t) => t.name)).toEqual(ref.terms);
    fit.terms.forEach((t, k) => {
      expectMatchesReference(t.coef, ref.coef[k], `${t.name} coef`);
      expectMatchesReference(t.hazardRatio, ref.hazard_ratio[k], `${t.name} HR`);
    });
  });

  it('returns an information matrix that is the inverse of the variance', () => {
    const fit = fitCox(time, event, covariates);
    const p = fit.terms.length;
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let k = 0; k < p; k++) s += fit.information[i][k] * fit.variance[k][j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    }
  });

  it('refuses to stop early: too few iterations is an error, not a half-fitted model', () => {
    expectCoxError(() => fitCox(time, event, covariates, { maxIterations: 2 }), 'not_converged');
  });
});

describe('fitCox dense storage', () => {
  // The reference design is all 0/1 dummies, which the fit stores sparse. Re-expressing the two
  // age dummies as z1 = d18 + 2·d30 and z2 = d18 − d30 (no value covers half the rows, so they are
  // stored dense) is a reparametrisation: β18 = γ1 + γ2, β30 = 2γ1 − γ2, same likelihood. So the
  // dense code path is checked against R too.
  const { expected } = loadChurnReference();
  const { time, event, covariates } = referenceModel();
  const [manual, late, fee, d18, d30] = covariates;
  const z1 = Float64Array.from(d18.values, (v, i) => v + 2 * d30.values[i]);
  const z2 = Float64Array.from(d18.values, (v, i) => v - d30.values[i]);
  const dense = [manual, late, fee, { name: 'z1', values: z1 }, { name: 'z2', values: z2 }];

  it('gives R\'s coefficients, SEs and log-likelihood back through the reparametrisation', () => {
    const ref = expected.cox_efron;
    const fit = fitCox(time, event, dense);
    const [g1, g2] = [fit.terms[3].coef, fit.terms[4].coef];
    for (let k = 0; k < 3; k++) {
      expectMatchesReference(fit.terms[k].coef, ref.coef[k], `${ref.terms[k]} coef`);
      expectMatchesReference(fit.terms[k].se, ref.se[k], `${ref.terms[k]} se`);
    }
    expectMatchesReference(g1 + g2, ref.coef[3], 'age_band18-29 coef');
    expectMatchesReference(2 * g1 - g2, ref.coef[4], 'age_band30-49 coef');
    // Var(γ1 + γ2) = V11 + 2V12 + V22
    const v = fit.variance;
    expectMatchesReference(Math.sqrt(v[3][3] + 2 * v[3][4] + v[4][4]), ref.se[3], 'age_band18-29 se');
    expectMatchesReference(Math.sqrt(4 * v[3][3] - 4 * v[3][4] + v[4][4]), ref.se[4], 'age_band30-49 se');
    expectMatchesReference(fit.loglik[1], ref.loglik[1], 'loglik');
  });

  it('agrees with sparse storage under heavy ties (whole months), Efron and Breslow', () => {
    const months = Float64Array.from(time, (t) => Math.ceil(t));
    for (const ties of ['efron', 'breslow'] as const) {
      const sparseFit = fitCox(months, event, covariates, { ties });
      const denseFit = fitCox(months, event, dense, { ties });
      const [g1, g2] = [denseFit.terms[3].coef, denseFit.terms[4].coef];
      for (let k = 0; k < 3; k++) expect(denseFit.terms[k].coef).toBeCloseTo(sparseFit.terms[k].coef, 10);
      expect(g1 + g2).toBeCloseTo(sparseFit.terms[3].coef, 10);
      expect(2 * g1 - g2).toBeCloseTo(sparseFit.terms[4].coef, 10);
      expect(denseFit.loglik[1]).toBeCloseTo(sparseFit.loglik[1], 8);
      expect(denseFit.iterations).toBe(sparseFit.iterations);
    }
  });
});

describe('fitCox by hand', () => {
  it('with one binary covariate and no ties, the score test is the log-rank test and Efron = Breslow', () => {
    const { time, event, x } = simulate(7, 60, (i, rand) => {
      const g = i % 2;
      return { x: { g }, time: (i + 1) * (g ? 1.7 : 1) + rand() /* distinct */, event: rand() < 0.7 };
    });
    const group = x.g;
    const efron = fitCox(time, event, [{ name: 'g', values: group }]);
    const breslow = fitCox(time, event, [{ name: 'g', values: group }], { ties: 'breslow' });
    expect(efron.terms[0].coef).toBeCloseTo(breslow.terms[0].coef, 12);
    expect(efron.tests.score.statistic).toBeCloseTo(logRank(time, event, Array.from(group)).chiSquare!, 10);
  });
});

describe('fitCox refusals', () => {
  it('a group with zero events: the coefficient diverges, the fit is refused', () => {
    const { time, event, x } = simulate(42, 400, (i, rand) => {
      const never_churns = i % 5 === 0 ? 1 : 0;
      const age = 20 + 60 * rand();
      return { x: { age, never_churns }, time: Math.ceil(36 * rand()), event: never_churns === 0 && rand() < 0.5 };
    });
    expectCoxError(() => fitCox(time, event, covariatesOf(x)), 'infinite_coefficient', ['never_churns']);
  });

  it('a constant covariate', () => {
    const { time, event, covariates } = referenceModel();
    const constant = new Float64Array(time.length).fill(1);
    expectCoxError(() => fitCox(time, event, [...covariates, { name: 'everyone', values: constant }]), 'constant_covariate', ['everyone']);
  });

  it('a covariate that is a combination of others', () => {
    const { time, event, covariates } = referenceModel();
    const [manual, late] = covariates;
    const sum = Float64Array.from(manual.values, (v, i) => v + late.values[i]);
    expectCoxError(() => fitCox(time, event, [manual, late, { name: 'manual_plus_late', values: sum }]), 'singular', ['manual_plus_late']);
  });

  it('too few events', () => {
    const time = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const event = Uint8Array.from([1, 0, 0, 1, 0, 0]);
    const x = Float64Array.from([0, 1, 0, 1, 0, 1]);
    const y = Float64Array.from([1, 1, 0, 0, 1, 0]);
    expectCoxError(() => fitCox(time, event, covariatesOf({ x, y })), 'too_few_events');
    expectCoxError(() => fitCox(time, new Uint8Array(6), [{ name: 'x', values: x }], { minEvents: 0 }), 'too_few_events');
  });

  it('invalid input', () => {
    const time = Float64Array.from([1, 2, 3]);
    const event = Uint8Array.from([1, 0, 1]);
    expectCoxError(() => fitCox(time, event, []), 'invalid_input');
    expectCoxError(() => fitCox(time, event, [{ name: 'x', values: Float64Array.from([1, 2]) }]), 'invalid_input');
    expectCoxError(() => fitCox(time, event, [{ name: 'x', values: Float64Array.from([1, Number.NaN, 0]) }]), 'invalid_input');
    expectCoxError(() => fitCox(time, Uint8Array.from([1, 2, 0]), [{ name: 'x', values: Float64Array.from([1, 2, 0]) }]), 'invalid_input');
    expectCoxError(
      () =>
        fitCox(time, event, [
          { name: 'x', values: Float64Array.from([1, 2, 0]) },
          { name: 'x', values: Float64Array.from([0, 2, 1]) },
        ]),
      'invalid_input',
    );
  });
});
