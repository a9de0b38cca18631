/**
 * Harrell's concordance (C-index) of a risk score against right-censored survival: the share of
 * comparable customer pairs in which the one who churned first had the higher score. It is the
 * "how well does the model rank customers" figure reported with every Cox fit, defined exactly as
 * R's `survival::concordance` (timewt = "n") counts it for `coxph`: a pair is comparable when the
 * earlier time is an event, and a censored time equal to an event time counts as later (the
 * customer was still at risk then); pairs of events at the same time (tied.y) are left out; ties in
 * the score count one half. Counting runs over a Fenwick tree of score ranks while sweeping time
 * backwards, O(n log n), because n is 200 000+ and all-pairs would be 10¹⁰ comparisons.
 */

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

  // Dense 1-based ranks of the score; exact equality defines a tie, as R's match(x, unique(x)).
  const byScore = orderAscending(score);
  const rank = new Int32Array(n);
  let ranks = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0 || score[byScore[i]] !== score[byScore[i - 1]]) ranks++;
    rank[byScore[i]] = ranks;
  }
  const tree = new Float64Array(ranks + 1);
  const countAtMost = (r: number): number => {
    let s = 0;
    for (; r > 0; r -= r & -r) s += tree[r];
    return s;
  };
  const add = (r: number): void => {
    for (; r <= ranks; r += r & -r) tree[r] += 1;
  };

  const byTime = orderAscending(time);
  let inTree = 0;
  let higherRiskFirst = 0; // the earlier event has the higher score
  let lowerRiskFirst = 0;
  let tiedScore = 0;
  let tiedTime = 0;
  let tiedTimeAndScore = 0;
  const sameTimeScores = new Map<number, number>();

  let end = n;
  while (end > 0) {
    const t = time[byTime[end - 1]];
    let start = end - 1;
    while (start > 0 && time[byTime[start - 1]] === t) start--;

    // Censored at t are still at risk at t, so they are "later" than the events at t.
    for (let i = start; i < end; i++) {
      const row = byTime[i];
      if (event[row] === 0) {
        add(rank[row]);
        inTree++;
      }
    }
    let deaths = 0;
    sameTimeScores.clear();
    for (let i = start; i < end; i++) {
      const row = byTime[i];
      if (event[row] !== 1) continue;
      deaths++;
      const r = rank[row];
      const below = countAtMost(r - 1);
      const equal = countAtMost(r) - below;
      higherRiskFirst += below;
      lowerRiskFirst += inTree - below - equal;
      tiedScore += equal;
      sameTimeScores.set(r, (sameTimeScores.get(r) ?? 0) + 1);
    }
    if (deaths > 0) {
      let bothTied = 0;
      for (const m of sameTimeScores.values()) bothTied += (m * (m - 1)) / 2;
      tiedTime += (deaths * (deaths - 1)) / 2 - bothTied;
      tiedTimeAndScore += bothTied;
      for (let i = start; i < end; i++) {
        const row = byTime[i];
        if (event[row] === 1) {
          add(rank[row]);
          inTree++;
        }
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
