/**
 * Past offer performance per offer and segment, from offer_shown / offer_accepted history: how
 * often each offer was shown and accepted (with a Wilson interval), and churn within the horizon
 * after the showing for those who accepted against those shown the same offer who did not, with
 * the relative risk (log-method CI), risk difference and chi-square p-value. This is observational:
 * customers choose to accept, and those who do differ from those who do not (they are engaged
 * enough to read the invoice, for one), so the gap is not the offer's effect. Only showings with
 * the full horizon of follow-up before the as-of date count, timed from the showing for both
 * groups so accepting customers get no head start.
 */
import { overFiltered, type Engine } from '../analytics/runner.ts';
import type { Filters, SegmentDimension } from '../analytics/contracts.ts';
import { resolveScope, scopeFor } from '../analytics/scope.ts';
import { compareRisks } from '../stats/risk-comparison.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import type { Performance, PerformanceRow } from './contracts.ts';
import { scoringScope } from '../analytics/scope.ts';
import { shiftDays } from './engine.ts';
import { ACCEPTANCE_WINDOW_DAYS } from './evidence.ts';

export const PERFORMANCE_NOTE =
  'Observational, not an experiment: customers who accept an offer differ from those who do not (engagement, payment habits, intent to stay), so the churn gap after acceptance is not the effect of the offer. Time runs from the showing for both groups; only showings with the full horizon of follow-up count. Use a randomised hold-out group to measure the effect.';

const rate = (k: number, n: number) => {
  const w = wilsonInterval(k, n);
  return { rate: w.proportion, ci: n > 0 ? ([w.lower, w.upper] as [number, number]) : null };
};

/** Answers per data version and query: the history joins scan every offer and cancellation event. */
export async function offerPerformance(engine: Engine, filters: Filters, by: SegmentDimension | undefined): Promise<Performance> {
  await engine.upkeep.readable();
  return engine.db.cache.memo('offer-performance', `${by ?? ''}|${JSON.stringify(filters)}`, () => compute(engine, filters, by), 32);
}

async function compute(engine: Engine, filters: Filters, by: SegmentDimension | undefined): Promise<Performance> {
  const scope = await resolveScope(engine.db, filters, 'lifetime');
  const H = filters.horizon_days;
  // Segments come from the lifetime base (everyone who started by the as-of date, churned or not).
  const lifetime = scopeFor(scope.asOf, 'lifetime', filters.lookback_days, H);
  const table = await engine.cache.table(lifetime);
  const raw = await overFiltered(engine, table, filters, 'offers/offer_performance', {
    identifiers: { by: by ?? 'vertical' },
    params: { exp_end: scoringScope(scope.asOf, filters.lookback_days).params.exp_end, horizon_days: H, window_days: ACCEPTANCE_WINDOW_DAYS },
  });
  const rows: PerformanceRow[] = raw
    .filter((r) => by || r.segment === 'all')
    .map((r) => {
      const shown = Number(r.shown);
      const accepted = Number(r.accepted);
      const acc = rate(accepted, shown);
      const ac = rate(Number(r.accepted_churned), accepted);
      const na = rate(Number(r.not_accepted_churned), Number(r.not_accepted));
      const cmp = compareRisks({ n: accepted, events: Number(r.accepted_churned) }, { n: Number(r.not_accepted), events: Number(r.not_accepted_churned) });
      return {
        offer_id: String(r.offer_id),
        segment: String(r.segment),
        shown,
        customers: Number(r.customers),
        accepted,
        acceptance_rate: acc.rate,
        acceptance_ci: acc.ci,
        accepted_churned: Number(r.accepted_churned),
        accepted_churn_rate: ac.rate,
        accepted_churn_ci: ac.ci,
        not_accepted: Number(r.not_accepted),
        not_accepted_churned: Number(r.not_accepted_churned),
        not_accepted_churn_rate: na.rate,
        not_accepted_churn_ci: na.ci,
        relative_risk: cmp.relativeRisk,
        rr_ci: cmp.relativeRiskCi,
        risk_difference: cmp.riskDifference,
        p_value: cmp.pValue,
      };
    });
  const firsts = raw.map((r) => r.first_shown as string | null).filter((d): d is string => !!d).sort();
  return {
    as_of: scope.asOf,
    by: by ?? null,
    horizon_days: H,
    acceptance_window_days: ACCEPTANCE_WINDOW_DAYS,
    shown_from: firsts[0] ?? null,
    shown_to: shiftDays(scope.asOf, -H),
    rows,
    note: PERFORMANCE_NOTE,
  };
}
