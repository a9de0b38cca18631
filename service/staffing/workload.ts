/**
 * Workload (backlog) staffing for deferred channels (e-mail, invoice messages), where customers
 * accept an answer within hours, so queueing delay is irrelevant and the question is only whether
 * the work can be cleared before its response-time target. Model, in fluid terms: with intervals
 * of Δ seconds and a target of T, let k = ⌊T / Δ⌋ (T ≥ Δ required; shorter targets are a queueing
 * problem for Erlang C or finer intervals). Work arriving in interval i (items × handle time) must
 * be finished by the end of interval i + k − 1, i.e. within the target window that starts with its
 * own interval; this is conservative, since an item arriving at the very start of interval i still
 * gets exactly T. An on-duty agent gives Δ × maxOccupancy productive seconds per interval. Because
 * every item has the same relative deadline, earliest-deadline-first (here: first-in, first-out)
 * clears everything on time with a constant N agents exactly when, for every run of arrival
 * intervals i..j, the work arriving in it fits into the capacity of intervals i..j+k−1, so the peak
 * head-count is N = ⌈max over i ≤ j of W(i..j) / ((j − i + k) · Δ · maxOccupancy)⌉. The per-interval
 * requirement is then what a team capped at N actually needs when it handles work as soon as it
 * arrives: ⌈handled seconds / (Δ · maxOccupancy)⌉, never more than N, with the backlog carried
 * forward. Work still queued after the last input interval is drained in extra trailing intervals
 * (at most k − 1 of them) rather than being dropped, so late arrivals are staffed for. Shrinkage
 * grosses each count up to a roster, as for Erlang C. The window scan is quadratic in the number of
 * intervals, which for weeks of 15–30 minute intervals is milliseconds and keeps it obviously right;
 * the interval count is capped so a malformed request cannot pin the CPU. No work needs no agents;
 * any work at all needs at least one.
 */

import { requireNumberInRange, StaffingInputError } from './errors.ts';
import { ceilTolerant } from './rounding.ts';
import { agentsWithShrinkage } from './shrinkage.ts';

/** Eight weeks of 15-minute intervals; far beyond a useful forecast horizon, still a sub-second scan. */
export const MAX_WORKLOAD_INTERVALS = 8 * 7 * 96;

export interface WorkloadInput {
  /** Items arriving in each consecutive interval (forecasts, so fractional values are fine). */
  itemsPerInterval: readonly number[];
  intervalSeconds: number;
  /** Handle time per item. */
  handleSeconds: number;
  /** Response-time target, e.g. 4 * 3600 or 24 * 3600; at least one interval. */
  targetSeconds: number;
  /** Share of on-duty time that can be spent on items, in (0, 1]. */
  maxOccupancy: number;
  /** Share of paid time not available for work, in [0, 1). */
  shrinkage: number;
}

export interface WorkloadInterval {
  /** Position from the first input interval; indexes ≥ itemsPerInterval.length are drain intervals. */
  index: number;
  arriving_items: number;
  workload_seconds: number;
  handled_seconds: number;
  /** Work still queued at the end of the interval, all of it within its target. */
  backlog_seconds: number;
  agents: number;
  agents_with_shrinkage: number;
}

export interface WorkloadStaffing {
  /** k: the intervals within which each interval's arrivals are finished, their own included. */
  target_window_intervals: number;
  peak_agents: number;
  peak_agents_with_shrinkage: number;
  intervals: WorkloadInterval[];
  total_workload_seconds: number;
  /** Σ agents × Δ, in hours, drain intervals included. */
  agent_hours: number;
  agent_hours_with_shrinkage: number;
}

export function workloadStaffing(input: WorkloadInput): WorkloadStaffing {
  if (typeof input !== 'object' || input === null) {
    throw new StaffingInputError({ field: 'input', value: input, expected: 'an object' });
  }
  const items = input.itemsPerInterval;
  if (!Array.isArray(items)) {
    throw new StaffingInputError({ field: 'itemsPerInterval', value: items, expected: 'an array of item counts' });
  }
  if (items.length > MAX_WORKLOAD_INTERVALS) {
    throw new StaffingInputError({
      field: 'itemsPerInterval',
      value: `${items.length} intervals`,
      expected: `at most ${MAX_WORKLOAD_INTERVALS} intervals`,
    });
  }
  items.forEach((count, i) => requireNumberInRange(`itemsPerInterval[${i}]`, count, { min: 0 }));
  const interval = requireNumberInRange('intervalSeconds', input.intervalSeconds, { min: 0, minExclusive: true });
  const handle = requireNumberInRange('handleSeconds', input.handleSeconds, { min: 0, minExclusive: true });
  const target = requireNumberInRange('targetSeconds', input.targetSeconds, { min: 0, minExclusive: true });
  const maxOcc = requireNumberInRange('maxOccupancy', input.maxOccupancy, { min: 0, max: 1, minExclusive: true });
  const shrinkage = requireNumberInRange('shrinkage', input.shrinkage, { min: 0, max: 1, maxExclusive: true });

  // Tolerant floor: 4 h over 30 min must be 8 intervals even if the quotient lands at 7.999…
  const k = Math.floor(target / interval + 1e-9);
  if (k < 1) {
    throw new StaffingInputError(
      { field: 'targetSeconds', value: target, expected: `at least one interval (${interval} s)` },
      `targetSeconds must be at least one interval (${interval} s); got ${target}. Targets shorter than an interval are a queueing problem: use Erlang C or shorter intervals`,
    );
  }

  const n = items.length;
  const work = items.map((count) => count * handle);
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + work[i];
  const total = prefix[n];
  const perAgent = interval * maxOcc;

  let densest = 0;
  for (let i = 0; i < n; i++) {
    if (work[i] === 0) continue; // a window starting on an empty interval is beaten by the one starting at its next arrival
    for (let j = i; j < n; j++) {
      const rate = (prefix[j + 1] - prefix[i]) / (j - i + k);
      if (rate > densest) densest = rate;
    }
  }
  // Any work at all needs somebody, even when the snapping tolerance would round a sliver to zero.
  const peak = densest > 0 ? Math.max(1, ceilTolerant(densest / perAgent)) : 0;
  const capacity = peak * perAgent;

  // Residuals this small are rounding noise from subtracting handled seconds (and from snapping the
  // peak onto an integer), not real work.
  const epsilon = 1e-8 * Math.max(1, total);
  const queue: { due: number; seconds: number }[] = [];
  let head = 0;
  const intervals: WorkloadInterval[] = [];
  for (let t = 0; t < n || head < queue.length; t++) {
    const arriving = t < n ? items[t] : 0;
    const arrivingWork = t < n ? work[t] : 0;
    if (arrivingWork > 0) {
      queue.push({ due: t + k - 1, seconds: arrivingWork });
    }
    let free = capacity;
    let handled = 0;
    while (head < queue.length && free > 0) {
      const bucket = queue[head];
      const take = Math.min(bucket.seconds, free);
      bucket.seconds -= take;
      free -= take;
      handled += take;
      if (bucket.seconds <= epsilon) head++;
    }
    if (head < queue.length && queue[head].due <= t) {
      // The window condition guarantees this never happens; failing loudly beats a silently late roster.
      throw new Error(`workload staffing: work due in interval ${queue[head].due} left over with ${peak} agents`);
    }
    // Recomputed from the queue rather than decremented, so dropped rounding residue cannot pile up.
    let backlog = 0;
    for (let q = head; q < queue.length; q++) backlog += queue[q].seconds;
    const agents = Math.min(peak, ceilTolerant(handled / perAgent));
    intervals.push({
      index: t,
      arriving_items: arriving,
      workload_seconds: arrivingWork,
      handled_seconds: handled,
      backlog_seconds: backlog,
      agents,
      agents_with_shrinkage: agentsWithShrinkage(agents, shrinkage),
    });
  }

  const hoursPerInterval = interval / 3600;
  return {
    target_window_intervals: k,
    peak_agents: peak,
    peak_agents_with_shrinkage: agentsWithShrinkage(peak, shrinkage),
    intervals,
    total_workload_seconds: total,
    agent_hours: intervals.reduce((sum, row) => sum + row.agents, 0) * hoursPerInterval,
    agent_hours_with_shrinkage: intervals.reduce((sum, row) => sum + row.agents_with_shrinkage, 0) * hoursPerInterval,
  };
}
