/**
 * Harrell's concordance (C-index) of a risk score against right-censored survival: the share of
 * comparable customer pairs in which the one who churned first had the higher score. It is the
 * "how well does the model rank customers" figure reported with every Cox fit, defined exactly as
 * R's `survival::concordance` (timewt = "n") counts it for `coxph`: a pair is comparable when the
 * earlier time is an event, and a censored time equal to an event time counts as later (the
 * customer was still at risk then); pairs of events at the same time (tied.y) are left out; ties in
 * the score count one half. Counting runs over a Fenwick tree of score ranks while sweeping time
 * backwards, O(n log n), because n is 200 000+ and all-pairs would be 10¹⁰ comparisons. With
 * entry times (delayed entry) an event is compared only with those at risk at its time, as R's
 * `concordance` does for `Surv(entry, exit, event)`: whoever entered at or after it is left out.
 */

import { prepareDelayedEntry } from './delayed-entry.ts';
import { orderAscending } from './order.ts';

export interface ConcordanceResult {
  /** (concordant + tiedScore / 2) / (concordant + discordant + tiedScore). Null with no comparable pairs. */
  concordance: number | null;
  concordant: number;
  discordant: number;
  /** Comparable pairs with equal scores. */
  tiedScore: number;
  /** Pairs of events at the same time with different scores (not comparable; R's tied.y). */
  tiedTime: number;
  /** Pairs of events at the same time with equal scores. */
  tiedTimeAndScore: number;
}

export interface ConcordanceOptions {
  /**
   * True (default) when a higher score means higher risk, i.e. shorter survival: a Cox linear
   * predictor. False for scores that predict longer survival (R's `reverse = FALSE`).
   */
  scoreIsRisk?: boolean;
  /** Entry time per subject: each is at risk only on (entry, time]. Near-equal times are merged as R does. */
  entry?: ArrayLike<number>;
}

/** Harrell's C of `score` against (time, event). */
export function concordance(
  time: ArrayLike<number>,
  event: ArrayLike<number>,
  score: ArrayLike<number>,
  options: ConcordanceOptions = {},
): ConcordanceResult {
  const n = time.length;
  if (event.length !== n || score.length !== n) {
    throw new RangeError(`concordance: time, event and score must have equal length (${n}, ${event.length}, ${score.length})`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(time[i])) throw new RangeError(`concordance: time[${i}] is not finite`);
    if (!Number.isFinite(score[i])) throw new RangeError(`concordance: score[${i}] is not finite`);
    if (event[i] !== 0 && event[i] !== 1) throw new RangeError(`concordance: event[${i}] must be 0 or 1`);
  }
  const scoreIsRisk = options.scoreIsRisk ?? true;
  let entry: Float64Array | null = null;
  if (options.entry) {
    const aligned = prepareDelayedEntry(options.entry, time, 'concordance');
    time = aligned.exit;
    entry = aligned.entry;
  }

  // Dense 1-based ranks of the score; exact equality defines a tie, as R's match(x, unique(x)).
  const byScore = orderAscending(score);
  const rank = new Int32Array(n);
  let ranks = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0 || score[byScore[i]] !== score[byScore[i - 1]]) ranks++;
    rank[byScore[i]] = ranks;
  }

  // Everything the sweep reads, gathered once into time order so the sweep itself is sequential.
  const byTime = orderAscending(time);
  const sortedTime = new Float64Array(n);
  const sortedEvent = new Uint8Array(n);
  const sortedRank = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = byTime[i];
    sortedTime[i] = time[row];
    sortedEvent[i] = event[row];
    sortedRank[i] = rank[row];
  }

  // Fenwick tree over ranks of those already swept (later times), plus exact counts per rank so
  // ties need no second prefix query.
  const tree = new Int32Array(ranks + 1);
  const atRank = new Int32Array(ranks + 1);
  // Deaths per rank within the current tied time, to count pairs tied on both time and score.
  const deathsAtRank = new Int32Array(ranks + 1);

  let inTree = 0;
  let higherRiskFirst = 0; // the earlier event has the higher score
  let lowerRiskFirst = 0;
  let tiedScore = 0;
  let tiedTime = 0;
  let tiedTimeAndScore = 0;

  // Latest entry first: the order in which the backward sweep takes subjects out again.
  const byEntryDescending = entry ? orderAscending(entry).reverse() : new Uint32Array(0);
  let leaving = 0;

  let end = n;
  while (end > 0) {
    const t = sortedTime[end - 1];
    let start = end - 1;
    while (start > 0 && sortedTime[start - 1] === t) start--;

    // Entered at or after t: not at risk at t. Their exit is later, so they are in the tree.
    while (leaving < byEntryDescending.length && entry![byEntryDescending[leaving]] >= t) {
      const r = rank[byEntryDescending[leaving++]];
      atRank[r]--;
      for (let k = r; k <= ranks; k += k & -k) tree[k]--;
      inTree--;
    }

    // Censored at t are still at risk at t, so they are "later" than the events at t.
    for (let i = start; i < end; i++) {
      if (sortedEvent[i] !== 0) continue;
      const r = sortedRank[i];
      atRank[r]++;
      for (let k = r; k <= ranks; k += k & -k) tree[k]++;
      inTree++;
    }
    let deaths = 0;
    let bothTied = 0;
    for (let i = start; i < end; i++) {
      if (sortedEvent[i] !== 1) continue;
      deaths++;
      const r = sortedRank[i];
      let below = 0;
      for (let k = r - 1; k > 0; k -= k & -k) below += tree[k];
      const equal = atRank[r];
      higherRiskFirst += below;
      lowerRiskFirst += inTree - below - equal;
      tiedScore += equal;
      bothTied += deathsAtRank[r]++;
    }
    if (deaths > 0) {
      tiedTime += (deaths * (deaths - 1)) / 2 - bothTied;
      tiedTimeAndScore += bothTied;
      for (let i = start; i < end; i++) {
        if (sortedEvent[i] !== 1) continue;
        const r = sortedRank[i];
        deathsAtRank[r] = 0;
        atRank[r]++;
        for (let k = r; k <= ranks; k += k & -k) tree[k]++;
        inTree++;
      }
    }
    end = start;
  }

  const concordant = scoreIsRisk ? higherRiskFirst : lowerRiskFirst;
  const discordant = scoreIsRisk ? lowerRiskFirst : higherRiskFirst;
  const pairs = concordant + discordant + tiedScore;
  return {
    concordance: pairs > 0 ? (concordant + tiedScore / 2) / pairs : null,
    concordant,
    discordant,
    tiedScore,
    tiedTime,
    tiedTimeAndScore,
  };
}
