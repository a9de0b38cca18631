/**
 * What an alert rule looks at, and whether it fires. The churn rate over a window is the one the
 * Overview's KPI shows: the landmark view with horizon = the rule's window (customers active at
 * its start, churned within it), read with the same query (`churn/summary_counts`) over the same
 * cached analysis base, so an alert and the dashboard can never disagree on a number. Rates carry
 * their Wilson interval (stats/wilson.ts); the period-over-period test is the relative risk of
 * the current window against the previous one of the same length with its 95 % log-method
 * interval (stats/risk-comparison.ts). When that ratio is undefined (no churn in a window) the
 * Pearson chi-square p < 0.05 decides, the sign of the risk difference gives the direction. A
 * window with fewer than `min_customers` customers never fires: no alert rests on a tiny group.
 */
import { FilterQuery } from '../analytics/contracts.ts';
import { overFiltered, type Engine } from '../analytics/runner.ts';
import { latestEventDate, scopeFor } from '../analytics/scope.ts';
import { compareRisks } from '../stats/risk-comparison.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import type { Measurement, RuleDefinition, RuleState } from './contracts.ts';

const DAY = 86_400_000;
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
// The look-back only shapes exposures, which the churn counts do not use; the dashboard's default
// keeps the alert on a base the dashboard has likely built already.
const LOOKBACK = 180;

export interface Evaluation {
  state: RuleState;
  period: { start: string; end: string } | null;
  measurement: Measurement | null;
  message: string;
}

async function windowCount(engine: Engine, def: RuleDefinition, asOf: string) {
  const filters = FilterQuery.parse({ ...def.segment, horizon_days: def.window_days, lookback_days: LOOKBACK, view: 'landmark' });
  const row = (await overFiltered(engine, scopeFor(asOf, 'landmark', LOOKBACK, def.window_days), filters, 'churn/summary_counts'))[0] ?? {};
  const n = Number(row.customers ?? 0);
  const churned = Number(row.churned ?? 0);
  const w = wilsonInterval(churned, n);
  return { start: shift(asOf, -def.window_days + 1), end: asOf, n, churned, rate: w.proportion, rate_ci: n > 0 ? ([w.lower, w.upper] as [number, number]) : null };
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : `${(v * 100).toFixed(1)} %`);
export function segmentLabel(segment: Record<string, string[]>): string {
  const parts = Object.entries(segment).map(([k, v]) => `${k} = ${v.join(' or ')}`);
  return parts.length ? parts.join(', ') : 'all customers';
}

export async function evaluateRule(engine: Engine, def: RuleDefinition, asOfGiven?: string): Promise<Evaluation> {
  const asOf = asOfGiven ?? (await latestEventDate(engine.db));
  if (!asOf) return { state: 'no_data', period: null, measurement: null, message: 'no events stored yet' };
  const current = await windowCount(engine, def, asOf);
  const withPrevious = def.kind === 'change_vs_previous';
  const previous = withPrevious ? await windowCount(engine, def, shift(asOf, -def.window_days)) : null;
  const cmp = previous ? compareRisks({ n: current.n, events: current.churned }, { n: previous.n, events: previous.churned }) : null;
  const measurement: Measurement = {
    current,
    previous,
    relative_risk: cmp?.relativeRisk ?? null,
    rr_ci: cmp?.relativeRiskCi ?? null,
    p_value: cmp?.pValue ?? null,
  };
  const period = { start: current.start, end: current.end };
  const where = `Churn in ${segmentLabel(def.segment)} over ${def.window_days} days to ${asOf}`;
  const shown = `${pct(current.rate)} [${pct(current.rate_ci?.[0])}–${pct(current.rate_ci?.[1])}] (${current.churned} of ${current.n})`;
  const small = current.n < def.min_customers || (previous !== null && previous.n < def.min_customers);
  if (small) {
    return { state: 'insufficient_data', period, measurement, message: `${where}: ${shown}; fewer than ${def.min_customers} customers in a window, so the rule does not judge` };
  }
  if (def.kind === 'rate_above') {
    const value = def.condition === 'lower_bound' ? current.rate_ci![0] : current.rate!;
    const firing = value > def.threshold!;
    const basis = def.condition === 'lower_bound' ? 'its lower 95 % bound is' : 'it is';
    return { state: firing ? 'firing' : 'ok', period, measurement, message: `${where} is ${shown}; ${basis} ${firing ? 'above' : 'not above'} ${pct(def.threshold)}` };
  }
  const rr = cmp!;
  const differs = rr.relativeRiskCi ? rr.relativeRiskCi[0] > 1 || rr.relativeRiskCi[1] < 1 : rr.pValue !== null && rr.pValue < 0.05;
  const up = (rr.riskDifference ?? 0) > 0;
  const firing = differs && (def.direction === 'either' || (def.direction === 'up') === up);
  const ratio = rr.relativeRisk === null ? 'relative risk undefined' : `relative risk ${rr.relativeRisk.toFixed(2)}${rr.relativeRiskCi ? ` [${rr.relativeRiskCi[0].toFixed(2)}–${rr.relativeRiskCi[1].toFixed(2)}]` : ''}`;
  const prev = `${pct(previous!.rate)} (${previous!.churned} of ${previous!.n}) in ${previous!.start} – ${previous!.end}`;
  const verdict = differs ? `${up ? 'rose' : 'fell'} beyond its 95 % interval` : 'no change beyond its 95 % interval';
  return { state: firing ? 'firing' : 'ok', period, measurement, message: `${where} is ${shown} against ${prev}: ${ratio}, ${verdict}` };
}
