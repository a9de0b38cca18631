/**
 * One CSV row per churn group (rate with its Wilson interval, relative risk with its CI, risk
 * difference, p-value), shared by every page that downloads groups, so the drivers, segments and
 * heat-map exports name and order their columns the same way.
 */
import type { GroupStat } from '$service/analytics/contracts.ts';

type GroupLike = Pick<GroupStat, 'key' | 'n' | 'churned' | 'rate' | 'relative_risk' | 'risk_difference' | 'p_value' | 'is_reference'> & {
  rate_ci: readonly [number, number] | null;
  rr_ci: readonly [number, number] | null;
};

export function groupCsvRow(g: GroupLike) {
  return {
    group: g.key,
    n: g.n,
    churned: g.churned,
    rate: g.rate,
    rate_ci_low: g.rate_ci?.[0],
    rate_ci_high: g.rate_ci?.[1],
    relative_risk: g.relative_risk,
    rr_ci_low: g.rr_ci?.[0],
    rr_ci_high: g.rr_ci?.[1],
    risk_difference: g.risk_difference,
    p_value: g.p_value,
    is_reference: g.is_reference,
  };
}
