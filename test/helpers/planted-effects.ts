/**
 * The checks both planted-effect tests make (test/api/sample-data.test.ts on a history from the
 * start, test/api/mid-life-sample.test.ts on one that starts mid-life): the lifetime relative
 * risks of payment class, timeliness and fees hold the population's planted value in their 95 %
 * interval; and on a 30-day horizon and a 180-day look-back every planted hazard ratio of the
 * landmark Cox model lies inside the 95 % interval of its term (the fee effect differs by
 * vertical, so the pooled estimate must overlap their range).
 */
import { expect } from 'vitest';
import type { PlantedEffects } from '../../sample-data/index.ts';
import type { TestService } from './service.ts';

export async function expectPlantedHazardRatios(svc: TestService, planted: PlantedEffects, extra: Record<string, number> = {}) {
  const res = await svc.call('/v1/churn/drivers?view=landmark&lookback_days=180&horizon_days=30&dimensions=age_band,tenure_band,plan_fit,satisfaction_level,vertical');
  const body = await res.json();
  expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(200);
  const hr = (name: string) => planted.hazard_model.covariates.find((c) => c.name === name)!.exp_beta as number;
  const fee = planted.hazard_model.fee_effect_by_vertical;
  const expected: Record<string, number | [number, number]> = {
    'payment_method_class=manual': hr('manual_payment'),
    'timeliness=late_once': hr('late_in_lookback'),
    'timeliness=late_repeatedly': hr('late_in_lookback'),
    'fee_exposure=one': [Math.min(...Object.values(fee).map((f) => f.exp_beta)), Math.max(...Object.values(fee).map((f) => f.exp_beta))],
    'age_band=18-29': hr('under_30'),
    'tenure_band=<1y': hr('tenure_under_24_months'),
    'tenure_band=1-2y': hr('tenure_under_24_months'),
    'plan_fit=priced_above_use': hr('overpriced_plan'),
    'satisfaction_level=dissatisfied': hr('dissatisfied'),
    ...extra,
  };
  for (const [term, value] of Object.entries(expected)) {
    const t = body.terms.find((x: { term: string }) => x.term === term);
    const [lo, hi] = Array.isArray(value) ? value : [value, value];
    expect(t.hr_ci[0], `${term}: HR ${t.hazard_ratio} (${t.hr_ci}) vs planted ${value}`).toBeLessThanOrEqual(hi);
    expect(t.hr_ci[1], `${term}: HR ${t.hazard_ratio} (${t.hr_ci}) vs planted ${value}`).toBeGreaterThanOrEqual(lo);
  }
  return body as { concordance: number };
}

interface RelativeRiskGroup {
  key: string;
  relative_risk: number;
  rr_ci: [number, number];
}

/** `groupsOf(factor)` answers the lifetime `/v1/churn/by/{factor}` groups. */
export async function expectPlantedRelativeRisks(groupsOf: (factor: string) => Promise<RelativeRiskGroup[]>, planted: PlantedEffects) {
  const cases: [string, string, string][] = [
    ['payment_method_class', 'manual', 'manual_vs_automatic'],
    ['timeliness', 'late_once', 'late_once_vs_on_time'],
    ['timeliness', 'late_repeatedly', 'late_repeatedly_vs_on_time'],
    ['fee_exposure', 'one', 'one_fee_vs_none'],
    ['fee_exposure', 'two_or_more', 'two_or_more_fees_vs_none'],
  ];
  for (const [factor, level, truth] of cases) {
    const g = (await groupsOf(factor)).find((x) => x.key === level)!;
    const rr = planted.population_truths!.relative_risks[truth].rr;
    expect(g.rr_ci[0], `${factor}=${level}: ${g.relative_risk} vs planted ${rr}`).toBeLessThanOrEqual(rr);
    expect(g.rr_ci[1], `${factor}=${level}: ${g.relative_risk} vs planted ${rr}`).toBeGreaterThanOrEqual(rr);
  }
}
