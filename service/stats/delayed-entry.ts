/**
 * Delayed entry (left truncation), as R's `Surv(entry, exit, event)`: a customer first seen
 * after they subscribed is at risk only on (entry, exit], so survival statistics must not count
 * them among those "still subscribed" before we could have seen them leave. Entry times are
 * usually computed (first sighting minus start), and floating-point subtraction turns a time that
 * equals another customer's exit into one 1e-15 below it; R's `aeqSurv`, which every survival
 * fit applies by default, merges such near-ties, and so must we, or a customer who entered at an
 * event time would wrongly join that event's risk set.
 */

/** R's default `aeqSurv` tolerance. */
const TIME_TOLERANCE = Math.sqrt(Number.EPSILON);

/** Reject entry times that leave a subject with no time at risk. */
export function validateEntry(entry: ArrayLike<number>, exit: ArrayLike<number>, caller: string): void {
  if (entry.length !== exit.length) throw new RangeError(`${caller}: entry has ${entry.length} rows, exit ${exit.length}`);
  for (let i = 0; i < entry.length; i++) {
    if (!Number.isFinite(entry[i])) throw new RangeError(`${caller}: entry[${i}] is not finite`);
    if (!(entry[i] < exit[i])) throw new RangeError(`${caller}: entry[${i}] = ${entry[i]} is not before exit ${exit[i]}`);
  }
}

/**
 * R's `aeqSurv`: sort the distinct entry and exit times, chain together neighbours that differ by
 * at most the tolerance (absolutely, or relative to the mean absolute time), and replace every
 * time by the first of its chain. Throws when that leaves an interval of zero length, as R does.
 */
export function alignNearlyEqualTimes(entry: ArrayLike<number>, exit: ArrayLike<number>, caller: string): { entry: Float64Array; exit: Float64Array } {
  const n = exit.length;
  const all = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    all[i] = entry[i];
    all[n + i] = exit[i];
  }
  all.sort();
  const distinct: number[] = [];
  for (const v of all) if (distinct.length === 0 || v !== distinct[distinct.length - 1]) distinct.push(v);
  let meanAbs = 0;
  for (const v of distinct) meanAbs += Math.abs(v);
  meanAbs /= distinct.length;
  const cuts: number[] = [distinct[0]];
  for (let k = 1; k < distinct.length; k++) {
    const gap = distinct[k] - distinct[k - 1];
    if (!(gap <= TIME_TOLERANCE || gap / meanAbs <= TIME_TOLERANCE)) cuts.push(distinct[k]);
  }
  if (cuts.length === distinct.length) return { entry: Float64Array.from(entry), exit: Float64Array.from(exit) };
  const snap = (v: number): number => {
    let lo = 0;
    let hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cuts[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    return cuts[lo - 1];
  };
  const alignedEntry = Float64Array.from(entry, snap);
  const alignedExit = Float64Array.from(exit, snap);
  for (let i = 0; i < n; i++) {
    if (alignedEntry[i] === alignedExit[i]) throw new RangeError(`${caller}: entry and exit of row ${i} are equal once near-ties are merged`);
  }
  return { entry: alignedEntry, exit: alignedExit };
}

/** Validate and align: the form every statistic here takes delayed-entry data in. */
export function prepareDelayedEntry(entry: ArrayLike<number>, exit: ArrayLike<number>, caller: string): { entry: Float64Array; exit: Float64Array } {
  validateEntry(entry, exit, caller);
  return alignNearlyEqualTimes(entry, exit, caller);
}

/** Number of values in ascending `sorted` strictly below `t`. */
export function countBelow(sorted: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
