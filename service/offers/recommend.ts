/**
 * The recommendation maths (docs/recommendations.md) over the cached one-offer-per-customer table. For a customer
 * with churn risk r (probability of churning within the horizon) and an offer with effect e (the
 * relative risk reduction of the measured gap, evidence.ts) and acceptance a:
 *
 *     expected reduction   = r · e · a                       (expected saved customers)
 *     gross saved revenue  = r · e · a · monthly price
 *     offer cost           = a · (monthly cost + discount share · monthly price)
 *     expected value       = gross saved revenue − offer cost (net, per month, reporting currency)
 *
 * Each customer gets the eligible offer of highest positive expected value (best_offer.sql), so
 * audiences never overlap and add up. Per offer the sums over its audience are reported with an
 * interval that takes the effect's 95 % CI (from the relative risk's) and, when acceptance is
 * observed, its 95 % Wilson CI: saved customers and net value are bilinear in (e, a), so their
 * extremes over that box are at its corners. It is a plausible range, not a joint 95 % interval,
 * and it leaves out the risk model's own error (its calibration is reported at /v1/offers/model).
 */
import { SEGMENT_DIMENSIONS, type Filters, type SegmentDimension } from '../analytics/contracts.ts';
import { overFiltered, type Engine } from '../analytics/runner.ts';
import type { OfferRecommendation, Recommendations } from './contracts.ts';
import type { OfferEvaluation, OfferState } from './engine.ts';
import { evidenceStatement } from './evidence.ts';

interface Sums {
  audience: number;
  risk_sum: number;
  risk_price_sum: number;
  cost_sum: number;
  saved: number;
  value: number;
}

/** Saved customers and net value at the corners of the (effect, acceptance) box. */
export function intervals(ev: OfferEvaluation, s: Sums): { saved: [number, number] | null; value: [number, number] | null } {
  if (!ev.effect.ci || ev.effect.value === null || s.audience === 0) return { saved: null, value: null };
  const [aLo, aHi] = ev.acceptance.ci ?? [ev.acceptance.rate, ev.acceptance.rate];
  const saved: number[] = [];
  const value: number[] = [];
  for (const e of ev.effect.ci)
    for (const a of [aLo, aHi]) {
      saved.push(s.risk_sum * e * a);
      value.push(a * (e * s.risk_price_sum - s.cost_sum));
    }
  return { saved: [Math.min(...saved), Math.max(...saved)], value: [Math.min(...value), Math.max(...value)] };
}

export const METHOD =
  'Risk: Cox model (Efron ties) fitted on the landmark view at as_of − horizon, applied to each active customer’s look-back before as_of; risk = probability of churning within the horizon. ' +
  'Per customer and eligible offer: expected reduction = risk × effect × acceptance, effect = 1 − 1/RR of the measured gap between the behaviour the offer changes and the one it changes it to; ' +
  'expected value = expected reduction × monthly price − acceptance × (monthly cost + discount × price), in the reporting currency. Each customer gets the eligible offer of highest positive expected value. ' +
  'Intervals span the effect’s 95 % CI and, for observed acceptance, its 95 % CI (corners of the box; the risk model’s own error is not included).';

export const NOTE =
  'Correlation, not causation: the expected effect assumes the measured churn gap between behaviours is what the offer changes. Customers who change behaviour differ in other ways too; check against /v1/offers/performance and a controlled test before scaling up.';

const num = (v: unknown) => Number(v ?? 0);

export async function recommendations(engine: Engine, state: OfferState, filters: Filters, by: SegmentDimension | undefined): Promise<Recommendations> {
  const { tables } = state;
  const [summary] = await overFiltered(engine, tables.scored, filters, 'offers/scored_summary');
  const sums = new Map((await overFiltered(engine, tables.best, filters, 'offers/recommendations_by_offer')).map((r) => [String(r.offer_id), r as unknown as Sums]));
  const counts = new Map((await overFiltered(engine, tables.scored, filters, 'offers/eligibility_by_offer', { identifiers: { candidates: tables.candidates } })).map((r) => [String(r.offer_id), r]));
  const currency = state.catalogue.document.reporting_currency;

  const offers: OfferRecommendation[] = state.evaluations.map((ev) => {
    const raw = sums.get(ev.offer.id);
    const s: Sums = { audience: num(raw?.audience), risk_sum: num(raw?.risk_sum), risk_price_sum: num(raw?.risk_price_sum), cost_sum: num(raw?.cost_sum), saved: num(raw?.saved), value: num(raw?.value) };
    const c = counts.get(ev.offer.id);
    const ci = intervals(ev, s);
    const a = ev.acceptance.rate;
    const status: OfferRecommendation['status'] = !ev.offer.enabled
      ? 'disabled'
      : s.audience > 0
        ? 'recommended'
        : ev.effect.value === null
          ? 'insufficient_evidence'
          : ev.effect.value <= 0
            ? 'no_benefit'
            : num(c?.eligible) > 0
              ? 'no_value'
              : 'no_audience';
    return {
      offer_id: ev.offer.id,
      name: ev.offer.name,
      description: ev.offer.description,
      behaviour: ev.offer.behaviour.description,
      channel: ev.offer.channel,
      rank: null,
      status,
      targeted: num(c?.targeted),
      eligible: num(c?.eligible),
      audience_size: s.audience,
      mean_risk: s.audience ? s.risk_sum / s.audience : null,
      acceptance_rate: a,
      expected_saved_customers: s.saved,
      expected_saved_customers_ci: ci.saved,
      gross_saved_revenue_monthly: s.value + a * s.cost_sum,
      offer_cost_monthly: a * s.cost_sum,
      expected_saved_revenue_monthly: s.value,
      expected_saved_revenue_monthly_ci: ci.value,
      currency,
      evidence: { statement: evidenceStatement(ev.offer, ev.gap, ev.acceptance, ev.effect), gap: ev.gap, acceptance: ev.acceptance, effect: ev.effect },
    };
  });
  // Rank by expected net monthly value; offers no customer gets stay unranked at the end.
  offers.sort((x, y) => (y.audience_size > 0 ? 1 : 0) - (x.audience_size > 0 ? 1 : 0) || y.expected_saved_revenue_monthly - x.expected_saved_revenue_monthly || x.offer_id.localeCompare(y.offer_id));
  offers.forEach((o, i) => (o.rank = o.audience_size > 0 ? i + 1 : null));

  const sumCi = (pick: (o: OfferRecommendation) => [number, number] | null, point: (o: OfferRecommendation) => number): [number, number] | null => {
    const withAudience = offers.filter((o) => o.audience_size > 0);
    if (!withAudience.length) return null;
    // Sum of the per-offer bounds: conservative (offers' uncertainties are not independent).
    return withAudience.reduce<[number, number]>((acc, o) => {
      const b = pick(o) ?? [point(o), point(o)];
      return [acc[0] + b[0], acc[1] + b[1]];
    }, [0, 0]);
  };

  const segments = by
    ? (await overFiltered(engine, tables.best, filters, 'offers/recommendations_by_segment', { identifiers: { by: SEGMENT_DIMENSIONS.includes(by) ? by : 'vertical' } })).map((r) => ({
        segment: String(r.segment),
        offer_id: String(r.offer_id),
        audience_size: num(r.audience),
        mean_risk: r.mean_risk === null ? null : num(r.mean_risk),
        expected_saved_customers: num(r.saved),
        expected_saved_revenue_monthly: num(r.value),
      }))
    : [];

  return {
    as_of: state.asOf,
    horizon_days: state.horizonDays,
    lookback_days: state.lookbackDays,
    customers_scored: num(summary?.customers),
    customers_recommended: offers.reduce((s, o) => s + o.audience_size, 0),
    mean_risk: summary?.mean_risk === null || summary?.mean_risk === undefined ? null : num(summary.mean_risk),
    currency,
    totals: {
      expected_saved_customers: offers.reduce((s, o) => s + o.expected_saved_customers, 0),
      expected_saved_customers_ci: sumCi((o) => o.expected_saved_customers_ci, (o) => o.expected_saved_customers),
      expected_saved_revenue_monthly: offers.reduce((s, o) => s + o.expected_saved_revenue_monthly, 0),
      expected_saved_revenue_monthly_ci: sumCi((o) => o.expected_saved_revenue_monthly_ci, (o) => o.expected_saved_revenue_monthly),
    },
    model: modelSummary(state),
    offers,
    by: by ?? null,
    segments,
    method: METHOD,
    note: NOTE,
  };
}

export function modelSummary(state: OfferState): Recommendations['model'] {
  return { kind: 'cox_efron', fit_landmark: state.fitScope.window!.landmark, n: state.model.n, events: state.model.events, concordance: state.model.concordance };
}
