/**
 * The planted churn model and the behaviour knobs it was calibrated with, read from the committed
 * `parameters.json`. Keeping the numbers in data rather than code lets `calibrate.ts` re-fit and
 * rewrite them (and the population truths measured from them) without touching the generator, and
 * lets `planted-effects.json` quote exactly what produced the events. The hazard is a monthly
 * discrete proportional-hazards model on the covariates the landmark view measures.
 */
import { readFileSync } from 'node:fs';
import type { Vertical } from './catalog.ts';

/** Covariate names in the order the simulation fills its covariate vector. */
export const COVARIATES = [
  'manual_payment',
  'late_in_lookback',
  'fee_in_lookback',
  'under_30',
  'tenure_under_24_months',
  'overpriced_plan',
  'dissatisfied',
  'offer_accepted_in_lookback',
] as const;
export type Covariate = (typeof COVARIATES)[number];

export const COVARIATE_DEFINITIONS: Record<Covariate, string> = {
  manual_payment: 'class of the current method (latest payment_method_changed before T) is manual (reference: automatic); a manual fallback payment after a failed direct debit does not change it',
  late_in_lookback: 'an invoice due in [T-180d, T) was not paid in full by its due date (paid late, or unpaid and overdue at T)',
  fee_in_lookback: 'at least one fee_charged in [T-180d, T); beta differs by vertical (see fee_effect_by_vertical)',
  under_30: 'year(T) - birth_year < 30',
  tenure_under_24_months: 'T - first subscription_started < 730 days',
  overpriced_plan: 'mean used/included of usage_reported in [T-180d, T) below 0.4 (plan priced well above use)',
  dissatisfied: 'latest survey_response score <= 6, or latest customer_updated.satisfaction <= 2, before T',
  offer_accepted_in_lookback: 'an offer_accepted in [T-180d, T) (accepted offers lower the hazard a little)',
};

export interface ModelParameters {
  lookback_days: number;
  /** Baseline monthly hazard per vertical. */
  h0: Record<Vertical, number>;
  /** Log hazard ratios; fee_in_lookback is per vertical in fee_beta. */
  beta: Record<Exclude<Covariate, 'fee_in_lookback'>, number>;
  fee_beta: Record<Vertical, number>;
}

export interface BehaviourParameters {
  /** Scales customer-initiated contacts per vertical (fitted to the "only contact is the invoice" shares). */
  contact_multiplier: Record<Vertical, number>;
  /** Probability that a reminder fee is followed within 14 days by a contact on topic fee. */
  dispute_probability: Record<Vertical, number>;
  /** Share of churned customers who later return. */
  winback_share: number;
  /** Share of customers present at window start with backdated tenure. */
  existing_share: number;
}

export interface GroupRate {
  customers: number;
  churned: number;
  rate: number;
}

export interface RelativeRisk {
  rr: number;
  /** 95 % CI (log method) of the reference run; the population value is rr. */
  ci95: [number, number];
  exposed: string;
  reference: string;
}

export interface PopulationTruths {
  view: 'lifetime';
  definitions: Record<string, string>;
  reference_run: { customers: number; seed: number; months: number; end: string; events: number };
  customers: number;
  churn_rate: number;
  rates: Record<string, Record<string, GroupRate>>;
  relative_risks: Record<string, RelativeRisk>;
  fee_relative_risks_by_vertical: Record<string, Record<string, RelativeRisk>>;
  contact_facts: Record<string, unknown>;
}

export interface Parameters {
  note: string;
  model: ModelParameters;
  behaviour: BehaviourParameters;
  /** What the model produces, measured by calibrate.ts; absent until calibrated. */
  population_truths?: PopulationTruths;
}

export const PARAMETERS_URL = new URL('./parameters.json', import.meta.url);

let cached: Parameters | undefined;

export function loadParameters(): Parameters {
  cached ??= JSON.parse(readFileSync(PARAMETERS_URL, 'utf8')) as Parameters;
  return cached;
}

/**
 * Linear predictor and monthly probability for one customer-month. `x` holds 0/1 per covariate in
 * COVARIATES order; the fee term uses the vertical's own beta.
 */
export class Hazard {
  private readonly h0: number[];
  private readonly b: number[];
  private readonly feeB: number[];

  constructor(model: ModelParameters, verticals: readonly Vertical[]) {
    this.h0 = verticals.map((v) => model.h0[v]);
    this.feeB = verticals.map((v) => model.fee_beta[v]);
    this.b = COVARIATES.map((c) => (c === 'fee_in_lookback' ? 0 : model.beta[c]));
  }

  probability(vertical: number, x: Uint8Array): number {
    let lp = 0;
    for (let i = 0; i < x.length; i++) if (x[i]) lp += i === 2 ? this.feeB[vertical] : this.b[i];
    return 1 - Math.exp(-this.h0[vertical] * Math.exp(lp));
  }
}
