/**
 * Kaplan–Meier survival ("share of customers still subscribed after t months") with Greenwood
 * standard errors and confidence limits on the log(−log) scale, reproducing R's
 * `survfit(Surv(time, event) ~ 1, conf.type = "log-log")`, its `summary(fit, times = )` and the
 * median that `print(fit)` reports, and with entry times `Surv(entry, exit, event)` (see
 * delayed-entry.ts). The log(−log) scale is the docs/definitions.md choice because its
 * limits always stay inside (0, 1), unlike the plain scale near the ends of the curve.
 */

import { normalQuantile } from './distributions.ts';
import { countBelow, prepareDelayedEntry } from './delayed-entry.ts';
import { compareLevels, orderAscending } from './order.ts';

export interface KaplanMeierStep {
  /** A distinct event time. */
  time: number;
  /**
   * Number with time ≥ this time (censored at this time count as at risk) and entry before it.
   * With delayed entry it also grows between steps, by those entering in between.
   */
  atRisk: number;
  events: number;
  /** Censored in [this event time, next event time): those leaving the risk set before the next step. */
  censored: number;
  survival: number;
  /** Greenwood standard error of −log S (R's `std.err`); null once S reaches 0. */
  stdErr: number | null;
  /** log(−log) confidence limits; [1, 1] while S = 1, null once S reaches 0 (the scale is undefined there). */
  lower: number | null;
  upper: number | null;
}

export interface KaplanMeierPoint {
  time: number;
  /** Number with time ≥ `time` and entry before it, as R's `summary(fit, times =)` reports `n.risk`. */
  atRisk: number;
  survival: number;
  stdErr: number | null;
  lower: number | null;
  upper: number | null;
  /** True when `time` is beyond the last observed time: the curve is carried forward, nobody is at risk. */
  beyondFollowUp: boolean;
}

export interface KaplanMeierFit {
  n: number;
  events: number;
  confidence: number;
  /** Censored before the first event time (they never appear in a step). */
  censoredBeforeFirstEvent: number;
  /** Last observed time, event or censored. */
  maxTime: number;
  steps: KaplanMeierStep[];
  /** Median survival by R's rule; null when the curve never falls to 0.5. */
  median: number | null;
  /** The curve at `options.times`, in the order given. */
  at: KaplanMeierPoint[];
}

export interface KaplanMeierOptions {
  /** Confidence level of the limits (default 0.95). */
  confidence?: number;
  /** Times at which to read the curve, like `summary(fit, times = …)`. */
  times?: readonly number[];
  /**
   * Entry time per subject (delayed entry): each is at risk only on (entry, time]. Omitted, all
   * are at risk from the start. Near-equal times are merged as R's `aeqSurv` does.
   */
  entry?: ArrayLike<number>;
}

/**
 * R's `survmean` rule: the first time S drops below 0.5 (with an all.equal-style tolerance, so
 * a product that lands on 0.5 + 1e-16 still counts as 0.5); if S sits exactly on 0.5, the
 * midpoint between that time and the next time it drops further.
 */
function medianFromSteps(steps: readonly KaplanMeierStep[]): number | null {
  const tolerance = Math.sqrt(Number.EPSILON);
  const first = steps.findIndex((s) => s.survival < 0.5 + tolerance);
  if (first < 0) return null;
  const y1 = steps[first].survival;
  if (Math.abs(y1 - 0.5) < tolerance) {
    for (let k = first + 1; k < steps.length; k++) {
      if (steps[k].survival < y1) return (steps[first].time + steps[k].time) / 2;
    }
  }
  return steps[first].time;
}

function logLogLimits(survival: number, stdErr: number | null, z: number): [number | null, number | null] {
  if (survival >= 1) return [1, 1];
  if (survival <= 0 || stdErr === null) return [null, null];
  const logS = Math.log(survival);
  const centre = Math.log(-logS);
  const shift = (z * stdErr) / logS; // negative: log S < 0
  return [Math.exp(-Math.exp(centre - shift)), Math.exp(-Math.exp(centre + shift))];
}

function validate(time: ArrayLike<number>, event: ArrayLike<number>): void {
  if (time.length !== event.length) throw new RangeError(`kaplanMeier: time has ${time.length} rows, event ${event.length}`);
  if (time.length === 0) throw new RangeError('kaplanMeier: no observations');
  for (let i = 0; i < time.length; i++) {
    if (!Number.isFinite(time[i])) throw new RangeError(`kaplanMeier: time[${i}] is not finite`);
    const e = event[i];
    if (e !== 0 && e !== 1) throw new RangeError(`kaplanMeier: event[${i}] must be 0 or 1, got ${e}`);
  }
}

/** Kaplan–Meier estimate from right-censored (time, event) data, optionally left-truncated by `options.entry`; event = 1 for churn. */
export function kaplanMeier(time: ArrayLike<number>, event: ArrayLike<number>, options: KaplanMeierOptions = {}): KaplanMeierFit {
  validate(time, event);
  let sortedEntry: Float64Array | null = null;
  if (options.entry) {
    const aligned = prepareDelayedEntry(options.entry, time, 'kaplanMeier');
    time = aligned.exit;
    sortedEntry = aligned.entry.sort();
  }
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`kaplanMeier: confidence must be in (0, 1), got ${confidence}`);
  const z = normalQuantile(1 - (1 - confidence) / 2);

  const n = time.length;
  const order = orderAscending(time);
  // Subjects who have entered by t: with delayed entry, those with entry < t.
  const entered = (t: number): number => (sortedEntry ? countBelow(sortedEntry, t) : n);
  const sortedTime = new Float64Array(n);
  for (let i = 0; i < n; i++) sortedTime[i] = time[order[i]];

  const steps: KaplanMeierStep[] = [];
  let survival = 1;
  let greenwood = 0;
  let totalEvents = 0;
  let censoredBeforeFirstEvent = 0;
  let i = 0;
  while (i < n) {
    const t = sortedTime[i];
    const atRisk = entered(t) - i;
    let events = 0;
    let censored = 0;
    while (i < n && sortedTime[i] === t) {
      if (event[order[i]] === 1) events++;
      else censored++;
      i++;
    }
    if (events === 0) {
      if (steps.length === 0) censoredBeforeFirstEvent += censored;
      else steps[steps.length - 1].censored += censored;
      continue;
    }
    totalEvents += events;
    survival *= (atRisk - events) / atRisk;
    let stdErr: number | null = null;
    if (atRisk > events) {
      greenwood += events / (atRisk * (atRisk - events));
      stdErr = Math.sqrt(greenwood);
    } else {
      greenwood = Infinity;
    }
    const [lower, upper] = logLogLimits(survival, stdErr, z);
    steps.push({ time: t, atRisk, events, censored, survival, stdErr, lower, upper });
  }

  const at: KaplanMeierPoint[] = (options.times ?? []).map((t) => {
    if (!Number.isFinite(t)) throw new RangeError(`kaplanMeier: requested time ${t} is not finite`);
    // Last step with step.time ≤ t: the curve is right-continuous.
    let lo = 0;
    let hi = steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (steps[mid].time <= t) lo = mid + 1;
      else hi = mid;
    }
    // Entered before t, less those who left before t (time < t implies entry < t).
    const atRisk = entered(t) - countBelow(sortedTime, t);
    const beyondFollowUp = t > sortedTime[n - 1];
    if (lo === 0) return { time: t, atRisk, survival: 1, stdErr: 0, lower: 1, upper: 1, beyondFollowUp };
    const s = steps[lo - 1];
    return { time: t, atRisk, survival: s.survival, stdErr: s.stdErr, lower: s.lower, upper: s.upper, beyondFollowUp };
  });

  return {
    n,
    events: totalEvents,
    confidence,
    censoredBeforeFirstEvent,
    maxTime: sortedTime[n - 1],
    steps,
    median: medianFromSteps(steps),
    at,
  };
}

/**
 * One Kaplan–Meier curve per level of `group` (levels in sorted order), like
 * `survfit(Surv(time, event) ~ group)`.
 */
export function kaplanMeierByGroup(
  time: ArrayLike<number>,
  event: ArrayLike<number>,
  group: ArrayLike<string | number>,
  options: KaplanMeierOptions = {},
): Array<{ level: string | number; fit: KaplanMeierFit }> {
  if (group.length !== time.length) throw new RangeError(`kaplanMeierByGroup: group has ${group.length} rows, time ${time.length}`);
  // Near-ties are merged over the whole data set, as R does before splitting into strata.
  let entry: Float64Array | null = null;
  if (options.entry) {
    validate(time, event);
    const aligned = prepareDelayedEntry(options.entry, time, 'kaplanMeierByGroup');
    time = aligned.exit;
    entry = aligned.entry;
  }
  const rows = new Map<string | number, number[]>();
  for (let i = 0; i < group.length; i++) {
    const g = group[i];
    let list = rows.get(g);
    if (!list) rows.set(g, (list = []));
    list.push(i);
  }
  const levels = [...rows.keys()].sort(compareLevels);
  return levels.map((level) => {
    const idx = rows.get(level)!;
    const t = new Float64Array(idx.length);
    const e = new Uint8Array(idx.length);
    const en = entry ? new Float64Array(idx.length) : undefined;
    for (let k = 0; k < idx.length; k++) {
      t[k] = time[idx[k]];
      e[k] = event[idx[k]];
      if (en) en[k] = entry![idx[k]];
    }
    return { level, fit: kaplanMeier(t, e, { ...options, entry: en }) };
  });
}

/**
 * R's `summary(survfit, times = )`: S(t), its log(−log) limits and the number at risk at exactly
 * the given times, for callers that need figures at fixed horizons rather than the whole curve.
 */
export function survivalAtTimes(
  time: ArrayLike<number>,
  event: ArrayLike<number>,
  times: readonly number[],
  options: Omit<KaplanMeierOptions, 'times'> = {},
): KaplanMeierPoint[] {
  return kaplanMeier(time, event, { ...options, times }).at;
}

/** `survivalAtTimes` per level of `group`, like `summary(survfit(Surv(…) ~ group), times = )`. */
export function survivalAtTimesByGroup(
  time: ArrayLike<number>,
  event: ArrayLike<number>,
  group: ArrayLike<string | number>,
  times: readonly number[],
  options: Omit<KaplanMeierOptions, 'times'> = {},
): Array<{ level: string | number; points: KaplanMeierPoint[] }> {
  return kaplanMeierByGroup(time, event, group, { ...options, times }).map(({ level, fit }) => ({ level, points: fit.at }));
}
