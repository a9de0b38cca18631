/**
 * The k-group log-rank test (R's `survdiff`, rho = 0): do the survival curves of the groups
 * differ? It answers "is the gap between the Kaplan–Meier curves real or noise" next to each
 * curve set. Observed and expected events and the full variance matrix are returned so the UI can
 * show which group drives the difference; the statistic uses all groups but one, as R does, and
 * degenerate inputs (one group, or no events) return a null statistic with a reason rather than
 * R's silent chi-square of 0. With entry times (delayed entry, `Surv(entry, exit, event)`) a
 * subject joins their group's risk set only once the sweep passes their entry.
 */

import { chiSquareUpperTail } from './distributions.ts';
import { prepareDelayedEntry } from './delayed-entry.ts';
import { ldlFactor, ldlSolve } from './linear-algebra.ts';
import { compareLevels, orderAscending } from './order.ts';

export interface LogRankGroup {
  level: string | number;
  n: number;
  observed: number;
  expected: number;
}

export type LogRankUndefinedReason =
  /** Fewer than two groups have anyone at risk at an event time. */
  | 'fewer_than_two_groups'
  /** The variance of the observed-minus-expected vector is zero: nothing to test. */
  | 'no_variance';

export interface LogRankResult {
  groups: LogRankGroup[];
  /** Variance matrix of observed − expected, rows and columns in `groups` order. */
  variance: number[][];
  chiSquare: number | null;
  /** Degrees of freedom: (groups with expected > 0) − 1, less any redundancy in the variance. */
  df: number;
  pValue: number | null;
  reason: LogRankUndefinedReason | null;
}

export interface LogRankOptions {
  /** Entry time per subject: each is at risk only on (entry, time]. Near-equal times are merged as R does. */
  entry?: ArrayLike<number>;
}

/** Log-rank test of equal survival across the levels of `group`. */
export function logRank(
  time: ArrayLike<number>,
  event: ArrayLike<number>,
  group: ArrayLike<string | number>,
  options: LogRankOptions = {},
): LogRankResult {
  const n = time.length;
  if (event.length !== n || group.length !== n) {
    throw new RangeError(`logRank: time, event and group must have equal length (${n}, ${event.length}, ${group.length})`);
  }
  const codeOf = new Map<string | number, number>();
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(time[i])) throw new RangeError(`logRank: time[${i}] is not finite`);
    const e = event[i];
    if (e !== 0 && e !== 1) throw new RangeError(`logRank: event[${i}] must be 0 or 1, got ${e}`);
    if (!codeOf.has(group[i])) codeOf.set(group[i], 0);
  }
  let entry: Float64Array | null = null;
  if (options.entry) {
    const aligned = prepareDelayedEntry(options.entry, time, 'logRank');
    time = aligned.exit;
    entry = aligned.entry;
  }
  const levels = [...codeOf.keys()].sort(compareLevels);
  levels.forEach((level, k) => codeOf.set(level, k));
  const k = levels.length;
  const code = new Int32Array(n);
  const size = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    code[i] = codeOf.get(group[i])!;
    size[code[i]]++;
  }

  const order = orderAscending(time);
  // Without entry times everyone is at risk from the start; with them, nobody until they enter.
  const atRisk = entry ? new Float64Array(k) : Float64Array.from(size);
  const byEntry = entry ? orderAscending(entry) : new Uint32Array(0);
  let entered = 0;
  const observed = new Float64Array(k);
  const expected = new Float64Array(k);
  const variance = new Float64Array(k * k);
  const deathsByGroup = new Float64Array(k);
  const leavingByGroup = new Float64Array(k);
  let total = entry ? 0 : n;
  let i = 0;
  while (i < n) {
    const t = time[order[i]];
    while (entered < byEntry.length && entry![byEntry[entered]] < t) {
      atRisk[code[byEntry[entered++]]]++;
      total++;
    }
    deathsByGroup.fill(0);
    leavingByGroup.fill(0);
    let deaths = 0;
    let leaving = 0;
    while (i < n && time[order[i]] === t) {
      const row = order[i];
      const g = code[row];
      leavingByGroup[g]++;
      leaving++;
      if (event[row] === 1) {
        deathsByGroup[g]++;
        deaths++;
      }
      i++;
    }
    if (deaths > 0) {
      for (let a = 0; a < k; a++) {
        observed[a] += deathsByGroup[a];
        expected[a] += (deaths * atRisk[a]) / total;
      }
      // Hypergeometric covariance of the deaths across groups; zero when only one is at risk.
      if (total > 1) {
        const factor = (deaths * (total - deaths)) / (total * total * (total - 1));
        for (let a = 0; a < k; a++) {
          if (atRisk[a] === 0) continue;
          for (let b = 0; b < k; b++) {
            variance[a * k + b] += factor * atRisk[a] * ((a === b ? total : 0) - atRisk[b]);
          }
        }
      }
    }
    for (let a = 0; a < k; a++) atRisk[a] -= leavingByGroup[a];
    total -= leaving;
  }

  const groups: LogRankGroup[] = levels.map((level, a) => ({ level, n: size[a], observed: observed[a], expected: expected[a] }));
  const varianceRows: number[][] = [];
  for (let a = 0; a < k; a++) varianceRows.push(Array.from(variance.subarray(a * k, (a + 1) * k)));
  const result: LogRankResult = { groups, variance: varianceRows, chiSquare: null, df: 0, pValue: null, reason: null };

  // As R: groups never at risk at an event time carry no information; drop them, then drop the
  // first remaining group because the O − E vector sums to zero.
  const used: number[] = [];
  for (let a = 0; a < k; a++) if (expected[a] > 0) used.push(a);
  if (used.length < 2) {
    result.reason = 'fewer_than_two_groups';
    return result;
  }
  const kept = used.slice(1);
  const m = kept.length;
  const sub = new Float64Array(m * m);
  const diff = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    diff[a] = observed[kept[a]] - expected[kept[a]];
    for (let b = 0; b < m; b++) sub[a * m + b] = variance[kept[a] * k + kept[b]];
  }
  const factor = ldlFactor(sub, m, 1e-10);
  if (factor.rank === 0) {
    result.reason = 'no_variance';
    return result;
  }
  const solved = ldlSolve(factor, diff);
  let chi = 0;
  for (let a = 0; a < m; a++) chi += solved[a] * diff[a];
  result.chiSquare = chi;
  result.df = factor.rank;
  result.pValue = chiSquareUpperTail(chi, factor.rank);
  return result;
}
