/**
 * How many agents start each shift pattern: the classic shift-scheduling MIP (Dantzig's set
 * covering formulation, as in pyworkforce's MinRequiredResources and MinAbsDifference), for one
 * stretch of periods such as one day of one channel. A pattern is the set of periods a shift
 * covers (its lunch break left out) and its cost (paid hours). Two objectives:
 *  - `cover`: the least total cost such that every period has at least its requirement;
 *  - `weighted`: under- and over-staffing are allowed and cost `underWeight` / `overWeight` per
 *    agent-period, plus `costWeight` per unit of pattern cost (a tie-breaker, or 0 for the plain
 *    sum of absolute differences).
 * Both respect a cap and a floor of agents per period. When the cover problem is infeasible the
 * caller must learn *why*, so the optimiser names the bottleneck: first by direct checks (a
 * requirement above the cap, a floor above the cap, a period no pattern covers), and otherwise by
 * solving the elastic version (requirement soft, caps hard) and reporting the periods it cannot
 * fill. Domain code: it throws ShiftInfeasibleError, the route turns it into a 422.
 */
import { INFINITY, solveMip, type MipRow, type MipStatus } from './mip.ts';
import { ShiftInfeasibleError, type Bottleneck } from './shift-errors.ts';

export interface CoverPattern {
  /** Indices of the periods the pattern covers. */
  periods: number[];
  cost: number;
}

export type CoverObjective = 'cover' | 'weighted';

export interface CoverProblem {
  requirement: number[];
  patterns: CoverPattern[];
  objective: CoverObjective;
  /** Most agents at once (per period); Infinity for none. */
  maxPerPeriod: number;
  /** Fewest agents per period (0 where closed). */
  minPerPeriod: number[];
  /** Most agents on one pattern; Infinity for none. */
  maxPerPattern: number;
  underWeight: number;
  overWeight: number;
  costWeight: number;
  timeLimitSeconds: number;
}

export interface CoverResult {
  counts: number[];
  coverage: number[];
  under: number[];
  over: number[];
  status: MipStatus;
  objective: number;
  gap: number;
  seconds: number;
  columns: number;
  rows: number;
}

function directBottlenecks(p: CoverProblem): Bottleneck[] {
  const found: Bottleneck[] = [];
  const covered = new Array<boolean>(p.requirement.length).fill(false);
  for (const pat of p.patterns) for (const i of pat.periods) covered[i] = true;
  for (let i = 0; i < p.requirement.length; i++) {
    const need = Math.max(p.requirement[i], p.minPerPeriod[i]);
    if (p.minPerPeriod[i] > p.maxPerPeriod) found.push({ period: i, kind: 'min_above_max', required: p.minPerPeriod[i], available: p.maxPerPeriod });
    else if (p.objective === 'cover' && p.requirement[i] > p.maxPerPeriod) found.push({ period: i, kind: 'above_max_agents', required: p.requirement[i], available: p.maxPerPeriod });
    else if (need > 0 && !covered[i] && (p.objective === 'cover' || p.minPerPeriod[i] > 0)) found.push({ period: i, kind: 'no_shift_covers', required: need, available: 0 });
  }
  return found;
}

export async function optimiseCover(p: CoverProblem): Promise<CoverResult> {
  const direct = directBottlenecks(p);
  if (direct.length) throw new ShiftInfeasibleError(direct);
  const result = await solveCover(p, p.objective);
  if (result) return result;
  // Infeasible although every period can be reached: the caps and break gaps interact. The elastic
  // problem (shortfall allowed, caps kept) shows where.
  const elastic = await solveCover({ ...p, underWeight: 1, overWeight: 0, costWeight: 0 }, 'weighted');
  const found: Bottleneck[] = [];
  for (let i = 0; elastic && i < p.requirement.length; i++) {
    if (elastic.under[i] > 0) found.push({ period: i, kind: 'caps_and_breaks', required: p.requirement[i], available: elastic.coverage[i] });
  }
  throw new ShiftInfeasibleError(found.length ? found : [{ period: 0, kind: 'caps_and_breaks', required: Math.max(...p.requirement), available: p.maxPerPeriod }]);
}

async function solveCover(p: CoverProblem, objective: CoverObjective): Promise<CoverResult | null> {
  const m = p.patterns.length;
  const n = p.requirement.length;
  const weighted = objective === 'weighted';
  // Columns: one integer per pattern, then (weighted) shortfall and surplus per period.
  const cols = m + (weighted ? 2 * n : 0);
  const cost = new Array<number>(cols).fill(0);
  const upper = new Array<number>(cols).fill(INFINITY);
  const integer = new Array<boolean>(cols).fill(false);
  for (let j = 0; j < m; j++) {
    cost[j] = weighted ? p.costWeight * p.patterns[j].cost : p.patterns[j].cost;
    upper[j] = p.maxPerPattern;
    integer[j] = true;
  }
  if (weighted) for (let i = 0; i < n; i++) [cost[m + i], cost[m + n + i]] = [p.underWeight, p.overWeight];
  const byPeriod: number[][] = Array.from({ length: n }, () => []);
  p.patterns.forEach((pat, j) => pat.periods.forEach((i) => byPeriod[i].push(j)));
  const rows: MipRow[] = [];
  for (let i = 0; i < n; i++) {
    const floor = p.minPerPeriod[i];
    if (weighted) {
      // coverage + shortfall − surplus = requirement
      rows.push({ indices: [...byPeriod[i], m + i, m + n + i], values: [...byPeriod[i].map(() => 1), 1, -1], lower: p.requirement[i], upper: p.requirement[i] });
      if (byPeriod[i].length && (floor > 0 || p.maxPerPeriod < INFINITY)) rows.push({ indices: byPeriod[i], values: byPeriod[i].map(() => 1), lower: floor, upper: p.maxPerPeriod });
    } else if (byPeriod[i].length) {
      rows.push({ indices: byPeriod[i], values: byPeriod[i].map(() => 1), lower: Math.max(floor, p.requirement[i]), upper: p.maxPerPeriod });
    }
  }
  const greedy = greedyStart(p, byPeriod);
  const start = greedy ? [...greedy, ...new Array<number>(cols - m).fill(0)] : null;
  if (start && weighted) {
    const cov = coverageOf(p, greedy!);
    for (let i = 0; i < n; i++) [start[m + i], start[m + n + i]] = [Math.max(0, p.requirement[i] - cov[i]), Math.max(0, cov[i] - p.requirement[i])];
  }
  const r = await solveMip({ cost, lower: new Array<number>(cols).fill(0), upper, integer, rows, start: start ?? undefined }, { timeLimitSeconds: p.timeLimitSeconds });
  if (r.status === 'infeasible') return null;
  if (r.x.length !== cols) throw new ShiftInfeasibleError([], `the solver found no shift plan within the time limit of ${p.timeLimitSeconds} s; allow more time`);
  const counts = r.x.slice(0, m);
  const coverage = coverageOf(p, counts);
  return {
    counts,
    coverage,
    under: coverage.map((c, i) => Math.max(0, p.requirement[i] - c)),
    over: coverage.map((c, i) => Math.max(0, c - p.requirement[i])),
    status: r.status,
    objective: r.objective ?? 0,
    gap: r.gap ?? 0,
    seconds: r.seconds,
    columns: cols,
    rows: rows.length,
  };
}

function coverageOf(p: CoverProblem, counts: number[]): number[] {
  const coverage = new Array<number>(p.requirement.length).fill(0);
  p.patterns.forEach((pat, j) => pat.periods.forEach((i) => (coverage[i] += counts[j])));
  return coverage;
}

/**
 * A quick feasible covering to hand the solver as its first incumbent (null when the greedy
 * breaks a cap): period by period, while short, add the shift that covers the most remaining
 * shortfall per unit of cost. With it, a solve cut short by the time limit still returns a plan
 * and an honest gap instead of nothing.
 */
function greedyStart(p: CoverProblem, byPeriod: number[][]): number[] | null {
  const m = p.patterns.length;
  const need = p.requirement.map((r, i) => (byPeriod[i].length ? Math.max(r, p.minPerPeriod[i]) : 0));
  const counts = new Array<number>(m).fill(0);
  const coverage = new Array<number>(p.requirement.length).fill(0);
  for (let i = 0; i < need.length; i++) {
    while (coverage[i] < need[i]) {
      let best = -1;
      let bestScore = -1;
      for (const j of byPeriod[i]) {
        if (counts[j] >= p.maxPerPattern) continue;
        let gain = 0;
        for (const k of p.patterns[j].periods) if (coverage[k] < need[k]) gain++;
        const score = gain / Math.max(1e-9, p.patterns[j].cost);
        if (score > bestScore) [best, bestScore] = [j, score];
      }
      if (best < 0) return null;
      counts[best]++;
      for (const k of p.patterns[best].periods) coverage[k]++;
    }
  }
  return coverage.every((c) => c <= p.maxPerPeriod) ? counts : null;
}
