/**
 * Sparse levels of the adjusted (Cox) model are merged, not refused (issue 13). A level with fewer
 * than MIN_LEVEL_CUSTOMERS customers or MIN_LEVEL_EVENTS churn events cannot be estimated, and
 * segments are small: `market=DK` leaves 7–35 customers charged two or more fees, which used to make
 * the whole model answer 422 for almost every ordinary filter. The rule, per factor:
 * - ordered factors (fees, timeliness, age and tenure bands) merge a thin level into its smaller
 *   adjacent level (`two_or_more` with `one` becomes `one_or_more`, `80+` with `50-79` becomes
 *   `50+`), the thinnest first, until every level passes or one level is left;
 * - unordered factors (vertical, market, plan, channel, …) merge every thin level into `other`, and
 *   while `other` itself is thin, the next smallest level joins it (rare plans into `other`);
 * - a level outside an ordered factor's scale (`unknown` age) joins `other` the same way;
 * - a factor left with one level drops out of the model (the filter made it constant).
 * Every merge is reported (`merged_levels`: each original level whose level changed, its customers
 * and the level it now belongs to). The model refuses only when the customers or churn events of the
 * whole selection are below the thresholds, since then no merging can help.
 */
import { MIN_LEVEL_CUSTOMERS, MIN_LEVEL_EVENTS } from './dummy-coding.ts';

/** Scales of the ordered factors, low to high. */
export const ORDERED_LEVELS: Record<string, readonly string[]> = {
  fee_exposure: ['none', 'one', 'two_or_more'],
  timeliness: ['on_time', 'late_once', 'late_repeatedly'],
  age_band: ['18-29', '30-49', '50-79', '80+'],
  tenure_band: ['<1y', '1-2y', '2+y'],
};

/** Names of merged runs of an ordered scale that read better than the generic `a_to_b`. */
const RUN_NAMES: Record<string, Record<string, string>> = {
  fee_exposure: { 'one|two_or_more': 'one_or_more', 'none|one': 'at_most_one', 'none|one|two_or_more': 'any' },
  timeliness: { 'late_once|late_repeatedly': 'late', 'on_time|late_once': 'at_most_once_late', 'on_time|late_once|late_repeatedly': 'any' },
  tenure_band: { '<1y|1-2y': '<2y', '1-2y|2+y': '1y+', '<1y|1-2y|2+y': 'any' },
};

function runName(factor: string, run: readonly string[]): string {
  if (run.length === 1) return run[0];
  const named = RUN_NAMES[factor]?.[run.join('|')];
  if (named) return named;
  if (factor === 'age_band') {
    const lo = run[0].split(/[-+]/)[0];
    const last = run[run.length - 1];
    return last.endsWith('+') ? `${lo}+` : `${lo}-${last.split('-')[1]}`;
  }
  return `${run[0]}_to_${run[run.length - 1]}`;
}

export interface LevelMerge {
  dimension: string;
  from: string;
  into: string;
  /** Customers of the original level. */
  n: number;
  events: number;
}

interface Group {
  name: string;
  members: string[];
  n: number;
  events: number;
}

const thin = (g: { n: number; events: number }) => g.n < MIN_LEVEL_CUSTOMERS || g.events < MIN_LEVEL_EVENTS;

/**
 * The level each original level of `factor` belongs to after merging, and the merges made.
 * `counts`: customers and churn events per original level.
 */
export function mergeSparseLevels(factor: string, counts: ReadonlyMap<string, { n: number; events: number }>): { mapping: Map<string, string>; merges: LevelMerge[] } {
  const scale = ORDERED_LEVELS[factor] ?? [];
  const rank = (l: string) => scale.indexOf(l);
  // Ordered groups (contiguous runs of the scale) and unordered groups, kept apart.
  let ordered: Group[] = [];
  let unordered: Group[] = [];
  for (const [level, c] of counts) {
    if (c.n === 0) continue;
    const g = { name: level, members: [level], n: c.n, events: c.events };
    (rank(level) >= 0 ? ordered : unordered).push(g);
  }
  ordered.sort((a, b) => rank(a.members[0]) - rank(b.members[0]));

  // Ordered: the thinnest thin group joins its smaller neighbour, until none is thin.
  for (;;) {
    if (ordered.length < 2) break;
    const candidates = ordered.filter(thin);
    if (!candidates.length) break;
    const g = candidates.reduce((a, b) => (b.n < a.n ? b : a));
    const i = ordered.indexOf(g);
    const left = ordered[i - 1];
    const right = ordered[i + 1];
    const j = !left ? i + 1 : !right ? i - 1 : left.n <= right.n ? i - 1 : i + 1;
    const [lo, hi] = j < i ? [j, i] : [i, j];
    const members = [...ordered[lo].members, ...ordered[hi].members].sort((a, b) => rank(a) - rank(b));
    const merged: Group = { name: runName(factor, members), members, n: ordered[lo].n + ordered[hi].n, events: ordered[lo].events + ordered[hi].events };
    ordered = [...ordered.slice(0, lo), merged, ...ordered.slice(hi + 1)];
  }

  // Unordered: thin levels into `other`; while `other` is thin, the next smallest joins it.
  const into = (other: Group, g: Group) => ({ name: 'other', members: [...other.members, ...g.members], n: other.n + g.n, events: other.events + g.events });
  let other: Group | null = unordered.find((g) => g.name === 'other') ?? null;
  unordered = unordered.filter((g) => g !== other);
  for (const g of [...unordered].filter(thin)) {
    other = other ? into(other, g) : { ...g, name: 'other' };
    unordered = unordered.filter((x) => x !== g);
  }
  while (other && thin(other) && unordered.length + ordered.length > 0 && unordered.length > 0) {
    const g = unordered.reduce((a, b) => (b.n < a.n ? b : a));
    other = into(other, g);
    unordered = unordered.filter((x) => x !== g);
  }
  // A thin `other` beside an ordered scale (an `unknown` age) joins the scale's largest group.
  if (other && thin(other) && ordered.length) {
    const host = ordered.reduce((a, b) => (b.n > a.n ? b : a));
    ordered = ordered.map((g) => (g === host ? { ...g, members: [...g.members, ...other!.members], n: g.n + other!.n, events: g.events + other!.events } : g));
    other = null;
  }
  const groups = [...ordered, ...unordered, ...(other ? [other] : [])];

  const mapping = new Map<string, string>();
  const merges: LevelMerge[] = [];
  // A factor merged into one level is constant: the caller drops it and says so, no merge to list.
  const collapsed = groups.length === 1;
  for (const g of groups) {
    for (const m of g.members) {
      mapping.set(m, g.name);
      if (m !== g.name && !collapsed) merges.push({ dimension: factor, from: m, into: g.name, n: counts.get(m)!.n, events: counts.get(m)!.events });
    }
  }
  merges.sort((a, b) => a.into.localeCompare(b.into) || a.from.localeCompare(b.from));
  return { mapping, merges };
}
