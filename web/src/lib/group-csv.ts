/**
 * One CSV row per churn group (rate with its Wilson interval, relative risk with its CI, risk
 * difference, p-value), shared by every page that downloads groups, so the drivers, segments and
 * heat-map exports name and order their columns the same way; the bounds come from the same
 * flattening as the API's Arrow answers (service/analytics/group-rows.ts).
 */
import type { GroupStat } from '$service/analytics/contracts.ts';
import { intervalBounds, type WithIntervals } from '$service/analytics/group-rows.ts';

type GroupLike = Pick<GroupStat, 'key' | 'n' | 'churned' | 'rate' | 'relative_risk' | 'risk_difference' | 'p_value' | 'is_reference'> & WithIntervals;

export function groupCsvRow(g: GroupLike) {
  const b = intervalBounds(g);
  return {
    group: g.key,
    n: g.n,
    churned: g.churned,
    rate: g.rate,
    rate_ci_low: b.rate_lower,
    rate_ci_high: b.rate_upper,
    relative_risk: g.relative_risk,
    rr_ci_low: b.rr_lower,
    rr_ci_high: b.rr_upper,
    risk_difference: g.risk_difference,
    p_value: g.p_value,
    is_reference: g.is_reference,
  };
}
