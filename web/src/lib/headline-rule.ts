/**
 * The one rule every chart headline obeys (issue 13): a title may state a difference only when
 *   1. every group it names has at least MIN_HEADLINE_N customers (the API's `small_sample` flag,
 *      MIN_GROUP_SIZE on the server, says the same), and
 *   2. the 95 % interval of that difference excludes "no difference" (1 for a ratio, 0 for a
 *      difference of rates or survival).
 * Otherwise the title says there is no clear difference, or that the groups are too small to
 * compare — never "ranges from 0.0 % to 100.0 %" on five customers. findings.ts and the pages build
 * their sentences through these functions, so the rule lives in one place and is unit-tested
 * (test/unit/web/headline-rule.test.ts). No imports, so it runs anywhere.
 */
export const MIN_HEADLINE_N = 30;

export type Interval = readonly [number, number] | null | undefined;

/** A group may carry a headline: big enough, and not flagged small by the API. */
export function canHeadline(g: { n: number; small_sample?: boolean }, minN = MIN_HEADLINE_N): boolean {
  return g.n >= minN && g.small_sample !== true;
}

/** The interval lies entirely on one side of `none` (1 for ratios, 0 for differences). */
export function excludesNone(ci: Interval, none: number): boolean {
  return !!ci && Number.isFinite(ci[0]) && Number.isFinite(ci[1]) && (ci[0] > none || ci[1] < none);
}

/**
 * 95 % interval of a − b for two independent estimates given with their own 95 % intervals (Wilson
 * for rates, log(−log) for survival): each interval's half-width / 1.96 is taken as its standard
 * error, and the errors add in quadrature. Slightly conservative for skewed intervals; exact enough
 * to decide whether a headline may claim a difference.
 */
export function differenceInterval(a: { estimate: number; ci: Interval }, b: { estimate: number; ci: Interval }): [number, number] | null {
  if (!a.ci || !b.ci) return null;
  const se = (ci: readonly [number, number]) => (ci[1] - ci[0]) / (2 * 1.959964);
  const s = Math.sqrt(se(a.ci) ** 2 + se(b.ci) ** 2);
  const d = a.estimate - b.estimate;
  return [d - 1.959964 * s, d + 1.959964 * s];
}

export type Choice<T> = { kind: 'clear'; item: T } | { kind: 'unclear'; item: T } | { kind: 'too_small' } | { kind: 'none' };

/**
 * The item a headline may rest on: among the `eligible` ones only (never a small group, not even as
 * a fallback), the strongest whose difference is `clear`; when none is clear, the strongest, to be
 * worded as "no clear difference"; `too_small` when some items exist but none is eligible.
 */
export function chooseHeadline<T>(items: readonly T[], o: { eligible: (t: T) => boolean; clear: (t: T) => boolean; strength: (t: T) => number }): Choice<T> {
  if (!items.length) return { kind: 'none' };
  const pool = items.filter(o.eligible);
  if (!pool.length) return { kind: 'too_small' };
  const best = (xs: T[]) => xs.reduce((a, b) => (o.strength(b) > o.strength(a) ? b : a));
  const clear = pool.filter(o.clear);
  return clear.length ? { kind: 'clear', item: best(clear) } : { kind: 'unclear', item: best(pool) };
}
