/**
 * One customer's churn risk and recommended offer (GET /v1/customers/{id}/risk), and the model
 * report behind every score (GET /v1/offers/model). The customer view shows the score with an
 * interval, where it sits among active customers, each model factor's level and hazard ratio, the
 * facts the offers target, and for every offer whether it is targeted, what blocks it and what it
 * is worth — so a marketer can see why a customer got the offer they got, or none.
 */
import type { Engine } from '../analytics/runner.ts';
import type { Filters } from '../analytics/contracts.ts';
import { sql } from '../db/sql-files.ts';
import { RiskModelRefusedError, UnknownCustomerError } from './errors.ts';
import { RULE_COLUMNS, type CustomerRisk, type RiskModel } from './contracts.ts';
import type { OfferEngine, OfferState } from './engine.ts';
import { customerRisk, MODEL_FACTORS, MODEL_FORMULA, type ModelFactor, type RiskFit } from './risk-model.ts';
import { modelSummary } from './recommend.ts';

export async function customerRiskReport(engine: Engine, state: OfferState, customerId: string): Promise<CustomerRisk> {
  const { tables } = state;
  const [row, candidates] = await engine.db.withConnection(async (c) => [
    (await c.runAndReadAll(sql('offers/customer_scored', { scored: tables.scored }), { customer_id: customerId })).getRowObjectsJson()[0],
    (await c.runAndReadAll(sql('offers/customer_candidates', { candidates: tables.candidates }), { customer_id: customerId })).getRowObjectsJson(),
  ]);
  const base = { customer_id: customerId, as_of: state.asOf, horizon_days: state.horizonDays, model: modelSummary(state) };
  if (!row) {
    const status = await engine.db.withConnection(async (c) => (await c.runAndReadAll(sql('offers/customer_status'), { customer_id: customerId, exp_end: state.asOfEnd })).getRowObjectsJson()[0]);
    if (!status || Number(status.events) === 0) throw new UnknownCustomerError(`no customer ${customerId} with events up to ${state.asOf}`);
    const churned = status.last_cancel !== null && (status.last_start === null || String(status.last_cancel) > String(status.last_start));
    return {
      ...base,
      status: churned ? 'churned' : 'not_started',
      risk: null,
      risk_ci: null,
      percentile: null,
      factors: [],
      facts: {},
      recommended: null,
      offers: state.evaluations.map((ev) => ({ offer_id: ev.offer.id, targeted: false, eligible: false, blocked_by: [churned ? 'churned' : 'not_targeted'], expected_reduction: null, expected_value: null })),
      note: churned ? `Churned before ${state.asOf}: offers never go to churned customers.` : `No active subscription at ${state.asOf}.`,
    };
  }
  const values = Object.fromEntries(MODEL_FACTORS.map((f) => [f, String(row[f] ?? 'unknown')])) as Record<ModelFactor, string>;
  const scored = customerRisk(state.model, values);
  const factors = MODEL_FACTORS.map((f) => {
    const term = state.model.terms.find((t) => t.factor === f && t.level === values[f]);
    return { factor: f, value: values[f], reference: state.model.references[f], hazard_ratio: term?.hazardRatio ?? 1, hr_ci: term ? term.hrCi : null };
  });
  // Counts arrive as text from the driver's JSON conversion (BIGINT); numbers go back as numbers.
  const facts = Object.fromEntries(
    Object.entries(RULE_COLUMNS).map(([k, c]) => [k, row[k] === null || row[k] === undefined ? null : c.type === 'number' ? Number(row[k]) : (row[k] as string | boolean)]),
  );
  const byOffer = new Map(candidates.map((c) => [String(c.offer_id), c]));
  const best = (
    await engine.db.withConnection(async (c) => (await c.runAndReadAll(`SELECT offer_id, channel, expected_reduction, expected_value, reason FROM ${tables.best} WHERE customer_id = $id`, { id: customerId })).getRowObjectsJson())
  )[0];
  const offers = state.evaluations.map((ev) => {
    const c = byOffer.get(ev.offer.id);
    const blocked: CustomerRisk['offers'][number]['blocked_by'] = [];
    if (!ev.offer.enabled) blocked.push('disabled');
    else if (!c) blocked.push('not_targeted');
    else {
      if (c.blocked_cooldown) blocked.push('cooldown');
      if (c.blocked_after_acceptance) blocked.push('after_acceptance');
      if (c.blocked_recent_offer) blocked.push('recent_offer');
      if (!blocked.length && Number(c.expected_value) <= 0) blocked.push('no_value');
    }
    return {
      offer_id: ev.offer.id,
      targeted: !!c,
      eligible: !!c && !c.blocked_cooldown && !c.blocked_after_acceptance && !c.blocked_recent_offer,
      blocked_by: blocked,
      expected_reduction: c ? Number(c.expected_reduction) : null,
      expected_value: c ? Number(c.expected_value) : null,
    };
  });
  const offerName = (id: string) => state.evaluations.find((e) => e.offer.id === id)?.offer.name ?? id;
  return {
    ...base,
    status: 'active',
    risk: Number(row.risk),
    risk_ci: scored.ci,
    percentile: Number(row.percentile),
    factors,
    facts,
    recommended: best
      ? { offer_id: String(best.offer_id), name: offerName(String(best.offer_id)), channel: String(best.channel), expected_reduction: Number(best.expected_reduction), expected_value: Number(best.expected_value), reason: String(best.reason) }
      : null,
    offers,
    note: best ? 'The recommended offer is the eligible one of highest expected net monthly value.' : 'No eligible offer has a positive expected value for this customer.',
  };
}

const terms = (fit: RiskFit) =>
  fit.terms.map((t) => ({ term: `${t.factor}=${t.level}`, factor: t.factor, level: t.level, reference: t.reference, n: t.n, coef: t.coef, se: t.se, hazard_ratio: t.hazardRatio, hr_ci: t.hrCi, p_value: t.pValue }));

export async function modelReport(offers: OfferEngine, filters: Filters): Promise<RiskModel> {
  const state = await offers.state(filters);
  const w = state.fitScope.window!;
  let validation: RiskModel['validation'] = null;
  let note: string;
  try {
    const v = await offers.validation(filters);
    validation = {
      fit_landmark: v.fitScope.window!.landmark,
      test_landmark: w.landmark,
      test_horizon_end: w.horizon_end,
      n: v.validation.n,
      events: v.validation.events,
      concordance: v.validation.concordance,
      auc: v.validation.auc,
      brier: v.validation.brier,
      mean_predicted: v.validation.meanPredicted,
      observed_rate: v.validation.observedRate,
      calibration: v.validation.calibration,
    };
    note = `Temporal hold-out: the same procedure fitted at ${v.fitScope.window!.landmark} (churn up to ${v.fitScope.window!.horizon_end}) scores the later window at ${w.landmark}, whose churn (to ${w.horizon_end}) it never saw.`;
  } catch (error) {
    if (!(error instanceof RiskModelRefusedError)) throw error;
    note = `No hold-out validation: ${error.message}`;
  }
  return {
    as_of: state.asOf,
    kind: 'cox_efron',
    formula: MODEL_FORMULA,
    horizon_days: state.horizonDays,
    lookback_days: state.lookbackDays,
    fit: {
      landmark: w.landmark,
      lookback_start: w.lookback_start,
      horizon_end: w.horizon_end,
      n: state.model.n,
      events: state.model.events,
      concordance: state.model.concordance,
      loglik: state.model.loglik,
      baseline_cumulative_hazard: state.model.baseline,
      terms: terms(state.model),
      pooled: state.model.pooled,
      dropped: state.model.dropped,
    },
    validation,
    validation_note: note,
  };
}

