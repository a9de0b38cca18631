/**
 * The what-if scenario report: the baseline plan and, per scenario (and combined), the change in
 * contacts, agent hours, peak agents and admin time-thief hours, with the measured relationships
 * the changes rest on. Built here, in the staffing domain, so the route only parses and answers;
 * the plan parameters and opening-hours checks it shares with the plan endpoint live here too.
 */
import type { ScenariosQuery } from './contracts.ts';
import type { StaffingEngine } from './engine.ts';
import { StaffingQueryError } from './errors.ts';
import { offThread } from '../off-thread.ts';
import type { PlanParameters } from './plan.ts';
import { derivedRates, evidence, scenarioEffects, SCENARIOS, type ScenarioShares } from './scenarios.ts';
import { TIME_THIEVES, type TimeThief } from './time-thief-items.ts';
import { timeThieves } from './time-thieves.ts';

export const planParameters = (q: {
  service_level: number;
  target_seconds: number;
  max_occupancy: number;
  shrinkage: number;
  response_target_hours: number;
  chat_concurrency: number;
  open_from: number;
  open_to: number;
}): PlanParameters => ({
  serviceLevel: q.service_level,
  targetSeconds: q.target_seconds,
  maxOccupancy: q.max_occupancy,
  shrinkage: q.shrinkage,
  responseTargetHours: q.response_target_hours,
  chatConcurrency: q.chat_concurrency,
  openFrom: q.open_from,
  openTo: q.open_to,
});

export function checkOpening(from: number, to: number) {
  if (to <= from) throw new StaffingQueryError([{ path: 'open_to', message: 'must be after open_from' }]);
}

export function checkResponseTarget(hours: number, intervalMinutes: number) {
  if (hours * 60 < intervalMinutes) {
    throw new StaffingQueryError([
      { path: 'response_target_hours', message: `must be at least one interval (${intervalMinutes} minutes); shorter targets are a queueing problem for Erlang C` },
    ]);
  }
}

export const sharesFrom = (q: Record<string, unknown>): ScenarioShares => Object.fromEntries(SCENARIOS.map((s) => [s, Number(q[s]) / 100]));
export const unitMinutesFrom = (q: Record<string, unknown>) => Object.fromEntries(TIME_THIEVES.map((t) => [t, Number(q[`minutes_${t}`])])) as Record<TimeThief, number>;

export async function scenarioReport(engine: StaffingEngine, q: ReturnType<typeof ScenariosQuery.parse>) {
  const { asOf, cutoffDay } = await engine.resolve(q.as_of);
  checkResponseTarget(q.response_target_hours, q.interval_minutes);
  checkOpening(q.open_from, q.open_to);
  const [model, rel] = await Promise.all([engine.model(q.time_zone, cutoffDay, q.interval_minutes), engine.relationships(cutoffDay, q.evidence_days)]);
  const shares = sharesFrom(q);
  const { each, combined } = scenarioEffects(rel, shares);
  const unitMinutes = unitMinutesFrom(q);
  const params = planParameters(q);
  const effects = [...each, ...(combined ? [combined] : [])];
  // The plans run in the worker threads (off-thread.ts), as the plan endpoint's does: each is weeks
  // of intervals through Erlang C.
  const plan = (scenario: (typeof effects)[number] | null) => offThread('plan', { model, options: { weeks: q.weeks, asOf, parameters: params, includeIntervals: false, scenario } });
  const [base, plans, thieves] = await Promise.all([
    plan(null),
    Promise.all(effects.map(plan)),
    engine.timeThiefCounts(q.time_zone, cutoffDay, 3).then((counts) => timeThieves(engine.db, { tz: q.time_zone, cutoffDay, months: 3, unitMinutes }, effects, counts)),
  ]);
  const scenarios = effects.map((effect, i) => {
    const t = plans[i].totals.scenario!;
    const tt = thieves.scenarios[i];
    return {
      scenario: effect.scenario,
      label: effect.label,
      share: effect.share,
      effect,
      contacts_per_week: t.forecast_contacts_per_week - base.totals.forecast_contacts_per_week,
      workload_hours_per_week: t.workload_hours_per_week - base.totals.workload_hours_per_week,
      agent_hours_per_week: t.agent_hours_per_week - base.totals.agent_hours_per_week,
      rostered_hours_per_week: t.rostered_hours_per_week - base.totals.rostered_hours_per_week,
      peak_agents_with_shrinkage: t.peak_rostered_agents - base.totals.peak_rostered_agents,
      time_thief_hours_per_month: tt.hours_per_month,
      one_off_hours: tt.one_off_hours,
    };
  });
  return {
    as_of: asOf,
    window: rel.window,
    baseline: {
      contacts_per_week: base.totals.forecast_contacts_per_week,
      workload_hours_per_week: base.totals.workload_hours_per_week,
      agent_hours_per_week: base.totals.agent_hours_per_week,
      rostered_hours_per_week: base.totals.rostered_hours_per_week,
      peak_rostered_agents: base.totals.peak_rostered_agents,
      time_thief_hours_per_month: thieves.run_rate_hours_per_month,
    },
    scenarios,
    evidence: evidence(rel),
    rates: Object.fromEntries(Object.entries(derivedRates(rel)).filter(([, v]) => typeof v === 'number')) as Record<string, number>,
    note: 'Changes are steady-state: per week of the plan (contacts, agent hours) and per month (admin time thieves), negative = saved. Each scenario propagates through the relationships measured on this data (see evidence); "combined" applies them together.',
  };
}
