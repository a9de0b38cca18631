/**
 * The churn-risk score behind the recommendations: a Cox proportional-hazards model (Efron ties,
 * stats/cox.ts, the same fit that /v1/churn/drivers reports) on the landmark view, turned into a
 * probability of churning within the horizon h:
 *
 *     risk = 1 − exp(−H₀(h) · exp(β·x))
 *
 * with H₀ the Breslow cumulative baseline hazard at h and x the dummies of the exposures and
 * segments (payment-method class, timeliness, fee exposure, age band, tenure band, vertical,
 * dissatisfied, overpriced). The model is fitted at T = as_of − h (exposures in [T − L, T), churn in
 * (T, as_of]) and applied to exposures in [as_of − L, as_of): nothing after the as-of date is used.
 * Reproducible: the same data, window and code give the same coefficients (Newton–Raphson from
 * zero, R's algorithm). Levels with fewer than 30 customers or 5 churn events are pooled with the
 * reference rather than given a noisy coefficient of their own; a coefficient that diverges (a
 * level with no churn) is dropped and the model refitted, and both are reported. Validation refits
 * the same procedure one horizon earlier and scores the later window it never saw (temporal
 * hold-out): Harrell's C, the AUC of churn within h, the Brier score and calibration by decile.
 */
import { RiskModelRefusedError } from './errors.ts';
import { chooseReference } from '../analytics/group-stats.ts';
import { concordance } from '../stats/concordance.ts';
import { CoxModelError, fitCox, type CoxCovariate } from '../stats/cox.ts';
import { normalQuantile } from '../stats/distributions.ts';
import { orderAscending } from '../stats/order.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import type { Fragment } from './rules.ts';
import { codeFactor } from '../analytics/dummy-coding.ts';

/** The factors the model adjusts for: columns of model_input.sql (and of the offer facts). */
export const MODEL_FACTORS = ['payment_method_class', 'timeliness', 'fee_exposure', 'age_band', 'tenure_band', 'vertical', 'dissatisfied', 'overpriced'] as const;
export type ModelFactor = (typeof MODEL_FACTORS)[number];
const BOOLEAN_FACTORS = new Set<ModelFactor>(['dissatisfied', 'overpriced']);

const MIN_EVENTS = 20;

export interface ModelRows {
  time: Float64Array;
  event: Uint8Array;
  factors: Record<ModelFactor, string[]>;
}

export interface RiskTerm {
  factor: ModelFactor;
  level: string;
  reference: string;
  n: number;
  coef: number;
  se: number;
  hazardRatio: number;
  hrCi: [number, number];
  pValue: number;
}

export interface RiskFit {
  n: number;
  events: number;
  terms: RiskTerm[];
  references: Record<ModelFactor, string>;
  /** Breslow cumulative baseline hazard at the horizon (all dummies 0). */
  baseline: number;
  concordance: number | null;
  loglik: [number, number];
  /** Covariance of the coefficients and the covariate means (terms order), for a customer's risk CI. */
  variance: number[][];
  means: number[];
  pooled: { factor: string; level: string; n: number; events: number }[];
  dropped: string[];
}

/** Fit the model; throws RiskModelRefusedError when the data cannot support one. */
export function fitRiskModel(rows: ModelRows): RiskFit {
  const n = rows.time.length;
  const events = rows.event.reduce((s, e) => s + e, 0);
  if (n === 0 || events < MIN_EVENTS) {
    throw new RiskModelRefusedError(`the churn-risk model needs at least ${MIN_EVENTS} churn events in the landmark window; there are ${events} among ${n} customers`, { n, events });
  }
  const references = {} as Record<ModelFactor, string>;
  const pooled: RiskFit['pooled'] = [];
  let candidates: { factor: ModelFactor; level: string; reference: string; n: number; values: Float64Array }[] = [];
  for (const factor of MODEL_FACTORS) {
    const col = rows.factors[factor];
    const coded = codeFactor(factor, col, rows.event, (counts) => (BOOLEAN_FACTORS.has(factor) && counts.some((c) => c.key === 'false') ? 'false' : chooseReference(factor, counts)!));
    references[factor] = coded.reference;
    for (const d of coded.dummies) {
      if (d.small) pooled.push({ factor, level: d.level, n: d.n, events: d.events });
      else candidates.push({ factor, level: d.level, reference: coded.reference, n: d.n, values: d.column() });
    }
  }
  const dropped: string[] = [];
  for (let attempt = 0; ; attempt++) {
    const covariates: CoxCovariate[] = candidates.map((c) => ({ name: `${c.factor}=${c.level}`, values: c.values }));
    try {
      const fit = fitCox(rows.time, rows.event, covariates, { ties: 'efron' });
      const terms: RiskTerm[] = fit.terms.map((t, k) => ({
        factor: candidates[k].factor,
        level: candidates[k].level,
        reference: candidates[k].reference,
        n: candidates[k].n,
        coef: t.coef,
        se: t.se,
        hazardRatio: t.hazardRatio,
        hrCi: [t.hrLower, t.hrUpper],
        pValue: t.pValue,
      }));
      const eta = rawLinearPredictor(terms, rows.factors, n);
      return {
        n: fit.n,
        events: fit.events,
        terms,
        references,
        baseline: breslowBaseline(rows.time, rows.event, eta),
        concordance: concordance(rows.time, rows.event, eta).concordance,
        loglik: fit.loglik,
        variance: fit.variance,
        means: fit.means,
        pooled,
        dropped,
      };
    } catch (error) {
      // A diverging or redundant term: leave it out and refit (reported in `dropped`).
      if (error instanceof CoxModelError && (error.code === 'infinite_coefficient' || error.code === 'singular' || error.code === 'constant_covariate') && error.terms.length && attempt < 8) {
        dropped.push(...error.terms);
        candidates = candidates.filter((c) => !error.terms.includes(`${c.factor}=${c.level}`));
        continue;
      }
      if (error instanceof CoxModelError) throw new RiskModelRefusedError(`the churn-risk model cannot be fitted here: ${error.message}`, { reason: error.code, terms: error.terms });
      throw error;
    }
  }
}

/** β·x per row, uncentred (the scale the baseline hazard is on). */
export function rawLinearPredictor(terms: readonly RiskTerm[], factors: Record<ModelFactor, string[]>, n: number): Float64Array {
  const eta = new Float64Array(n);
  for (const t of terms) {
    const col = factors[t.factor];
    for (let i = 0; i < n; i++) if (col[i] === t.level) eta[i] += t.coef;
  }
  return eta;
}

/**
 * Breslow estimate of the cumulative baseline hazard at the end of follow-up: Σ over event times
 * of d(t) / Σ_{time ≥ t} exp(η). Follow-up ends at the horizon, so this is H₀(h).
 */
export function breslowBaseline(time: Float64Array, event: Uint8Array, eta: Float64Array): number {
  const order = orderAscending(time);
  let riskSum = 0;
  let cumulative = 0;
  let i = order.length - 1;
  while (i >= 0) {
    const t = time[order[i]];
    let deaths = 0;
    let j = i;
    for (; j >= 0 && time[order[j]] === t; j--) {
      riskSum += Math.exp(eta[order[j]]);
      deaths += event[order[j]];
    }
    if (deaths > 0) cumulative += deaths / riskSum;
    i = j;
  }
  return cumulative;
}

export const riskOf = (baseline: number, eta: number) => 1 - Math.exp(-baseline * Math.exp(eta));

/** The linear predictor as SQL over the offer facts: identifiers from MODEL_FACTORS, levels and coefficients bound. */
export function linearPredictorSql(fit: RiskFit, alias = 'f'): Fragment {
  const params: Record<string, string | number> = {};
  const parts = fit.terms.map((t, k) => {
    if (!(MODEL_FACTORS as readonly string[]).includes(t.factor)) throw new Error(`not a model factor: ${t.factor}`);
    params[`lp_level_${k}`] = t.level;
    params[`lp_coef_${k}`] = t.coef;
    return `CASE WHEN CAST(${alias}."${t.factor}" AS VARCHAR) = $lp_level_${k}::VARCHAR THEN $lp_coef_${k}::DOUBLE ELSE 0 END`;
  });
  return { text: parts.length ? parts.join(' + ') : '0', params };
}

/** A customer's risk with a 95 % interval from the coefficients' covariance (baseline taken as known). */
export function customerRisk(fit: RiskFit, values: Record<ModelFactor, string>): { risk: number; ci: [number, number]; eta: number } {
  const x = fit.terms.map((t) => (values[t.factor] === t.level ? 1 : 0));
  const eta = fit.terms.reduce((s, t, k) => s + t.coef * x[k], 0);
  // Variance of β·(x − mean): the uncertainty of this customer's log-hazard relative to the average.
  let v = 0;
  for (let a = 0; a < x.length; a++) for (let b = 0; b < x.length; b++) v += (x[a] - fit.means[a]) * fit.variance[a][b] * (x[b] - fit.means[b]);
  const z = normalQuantile(0.975) * Math.sqrt(Math.max(0, v));
  return { risk: riskOf(fit.baseline, eta), ci: [riskOf(fit.baseline, eta - z), riskOf(fit.baseline, eta + z)], eta };
}

export interface Validation {
  n: number;
  events: number;
  concordance: number | null;
  auc: number | null;
  brier: number;
  meanPredicted: number;
  observedRate: number;
  calibration: { decile: number; n: number; mean_predicted: number; observed: number; observed_ci: [number, number]; churned: number }[];
}

/** Score a later window with a model fitted on an earlier one, and measure how well it did. */
export function validate(fit: RiskFit, test: ModelRows): Validation {
  const n = test.time.length;
  const eta = rawLinearPredictor(fit.terms, test.factors, n);
  const risk = Float64Array.from(eta, (e) => riskOf(fit.baseline, e));
  let brier = 0;
  let events = 0;
  let predicted = 0;
  for (let i = 0; i < n; i++) {
    brier += (risk[i] - test.event[i]) ** 2;
    events += test.event[i];
    predicted += risk[i];
  }
  // AUC of "churned within the horizon": Harrell's C with every churner at time 0 and every
  // stayer at time 1 counts exactly the (churner, stayer) pairs, ties in score as one half.
  const binaryTime = Float64Array.from(test.event, (e) => (e ? 0 : 1));
  const order = orderAscending(risk);
  const calibration: Validation['calibration'] = [];
  for (let d = 0; d < 10; d++) {
    const from = Math.floor((d * n) / 10);
    const to = Math.floor(((d + 1) * n) / 10);
    if (to <= from) continue;
    let p = 0;
    let k = 0;
    for (let j = from; j < to; j++) {
      p += risk[order[j]];
      k += test.event[order[j]];
    }
    const w = wilsonInterval(k, to - from);
    calibration.push({ decile: d + 1, n: to - from, mean_predicted: p / (to - from), observed: k / (to - from), observed_ci: [w.lower, w.upper], churned: k });
  }
  return {
    n,
    events,
    concordance: n ? concordance(test.time, test.event, eta).concordance : null,
    auc: n ? concordance(binaryTime, test.event, risk).concordance : null,
    brier: n ? brier / n : 0,
    meanPredicted: n ? predicted / n : 0,
    observedRate: n ? events / n : 0,
    calibration,
  };
}

export const MODEL_FORMULA =
  'Surv(days from landmark, churned within horizon) ~ payment_method_class + timeliness + fee_exposure + age_band + tenure_band + vertical + dissatisfied + overpriced (Cox, Efron ties); risk = 1 − exp(−H₀(h)·exp(β·x)), H₀ Breslow';
