/**
 * Churn by factor over a period and its comparison period (issue 15). The period's answer is the
 * ordinary churn-by-factor analysis of its landmark window (period.ts); the comparison counts the
 * same factor over the comparison window with the same query, and each group gets the change of
 * its rate with a 95 % Newcombe interval. The comparison window is counted directly rather than
 * through churnByFactor because it may begin before the first event (a previous year the data
 * does not reach), which an as-of check would refuse although "nobody observed" is the answer.
 */
import { newcombeDifference } from '../stats/proportion-difference.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import { churnByFactor } from './churn.ts';
import type { ChurnByFactor, Factor } from './contracts.ts';
import type { PeriodPlan } from './period.ts';
import { overFiltered, type Engine } from './runner.ts';
import { scopeFor } from './scope.ts';

export async function churnByFactorOverPeriods(engine: Engine, plan: PeriodPlan, factor: Factor, reference?: string): Promise<ChurnByFactor> {
  const current = await churnByFactor(engine, plan.current, factor, reference, 'landmark');
  const cmp = plan.comparison;
  if (!cmp || !plan.previous) return { ...current, period_query: { period: plan.period, comparison: null, comparison_n: null, comparison_churned: null } };
  const rows = await overFiltered(engine, scopeFor(cmp.end, 'landmark', plan.previous.lookback_days, cmp.days), plan.previous, 'churn/churn_by_factor', { identifiers: { factor } });
  const before = new Map(rows.map((r) => [String(r.key), { n: Number(r.n), churned: Number(r.churned) }]));
  const groups = current.groups.map((g) => {
    const b = before.get(g.key) ?? { n: 0, churned: 0 };
    const w = wilsonInterval(b.churned, b.n);
    return {
      ...g,
      comparison: {
        n: b.n,
        churned: b.churned,
        rate: w.proportion,
        rate_ci: b.n > 0 ? ([w.lower, w.upper] as [number, number]) : null,
        change: g.rate !== null && w.proportion !== null ? g.rate - w.proportion : null,
        change_ci: newcombeDifference(g.churned, g.n, b.churned, b.n),
      },
    };
  });
  const all = [...before.values()];
  return {
    ...current,
    groups,
    period_query: { period: plan.period, comparison: cmp, comparison_n: all.reduce((s, x) => s + x.n, 0), comparison_churned: all.reduce((s, x) => s + x.churned, 0) },
  };
}
