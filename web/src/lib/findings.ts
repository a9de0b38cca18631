/**
 * Chart titles that state the finding, computed from the data (never hard-coded claims). Each
 * states the size of the effect with its interval and hedges when the interval includes "no
 * difference". Which group may carry a headline, and when a difference may be claimed, is decided by
 * headline-rule.ts alone: never a group under the minimum size, never a difference whose interval
 * includes none.
 */
import type { ChurnByFactor, DoseResponse, Drivers, SurvivalCurves } from '$service/analytics/contracts.ts';
import { capitalise, fmtInt, fmtP, fmtPct, fmtRatio, ratioCi } from './format.ts';
import { FACTOR_LABELS, groupNoun, levelLabel } from './labels.ts';
import type { Factor } from '$service/analytics/contracts.ts';
import { canHeadline, chooseHeadline, differenceInterval, excludesNone, MIN_HEADLINE_N, type Choice } from './headline-rule.ts';

type Ci = readonly [number, number] | null;
const excludesOne = (ci: Ci) => !!ci && (ci[0] > 1 || ci[1] < 1);
const ratioText = (rr: number) => `${fmtRatio(rr)}×`;

interface RrGroup {
  key: string;
  n: number;
  rate: number | null;
  rate_ci?: Ci;
  relative_risk: number | null;
  rr_ci: Ci;
  is_reference: boolean;
  small_sample?: boolean;
}

export { MIN_HEADLINE_N };

/**
 * The non-reference group whose relative risk is furthest from 1 (on the log scale), preferring
 * groups whose interval excludes 1; only groups of at least MIN_HEADLINE_N customers, against a
 * reference of that size too (headline-rule.ts).
 */
export function strongestChoice<G extends RrGroup>(groups: G[]): Choice<G> {
  const ref = groups.find((g) => g.is_reference);
  const candidates = groups.filter((g) => !g.is_reference && g.relative_risk !== null && g.relative_risk > 0 && g.n > 0);
  if (ref && !canHeadline(ref) && candidates.length) return { kind: 'too_small' };
  return chooseHeadline(candidates, { eligible: (g) => canHeadline(g), clear: (g) => excludesOne(g.rr_ci), strength: (g) => Math.abs(Math.log(g.relative_risk!)) });
}

export function strongest<G extends RrGroup>(groups: G[]): G | undefined {
  const c = strongestChoice(groups);
  return c.kind === 'clear' || c.kind === 'unclear' ? c.item : undefined;
}

const tooSmall = (label: string, groups: { n: number }[]) =>
  `Too few customers to compare churn by ${label}: no two groups of ${MIN_HEADLINE_N} or more (largest n = ${fmtInt(Math.max(0, ...groups.map((g) => g.n)))})`;

export function rrSentence(factor: string, g: RrGroup, reference: string): string {
  const subject = capitalise(groupNoun(factor, g.key));
  const ref = groupNoun(factor, reference);
  const rr = g.relative_risk!;
  if (!excludesOne(g.rr_ci)) return `No clear churn difference by ${FACTOR_LABELS[factor as Factor] ?? factor}: ${groupNoun(factor, g.key)} ${ratioText(rr)} vs ${ref} (95 % CI ${ratioCi(g.rr_ci)} includes 1)`;
  return `${subject} churn ${ratioText(rr)} as often as ${ref} (95 % CI ${ratioCi(g.rr_ci)})`;
}

export function factorFinding(d: ChurnByFactor | null): string {
  if (!d) return '';
  if (d.n === 0) return 'No customers match these filters';
  const label = FACTOR_LABELS[d.factor];
  if (d.reference) {
    const c = strongestChoice(d.groups);
    if (c.kind === 'clear' || c.kind === 'unclear') return rrSentence(d.factor, c.item, d.reference);
    if (c.kind === 'too_small') return tooSmall(label, d.groups);
  }
  // No reference (or nothing to compare against it): the range over the groups big enough to name,
  // claimed only when the interval of the highest minus the lowest rate excludes 0.
  const rated = d.groups.filter((g) => g.rate !== null && canHeadline(g)).sort((a, b) => a.rate! - b.rate!);
  if (!rated.length) return tooSmall(label, d.groups);
  if (rated.length < 2) return `Churn by ${label}: ${fmtPct(rated[0].rate)} of ${fmtInt(rated[0].n)} customers (${levelLabel(d.factor, rated[0].key)})`;
  const lo = rated[0];
  const hi = rated[rated.length - 1];
  const diff = differenceInterval({ estimate: hi.rate!, ci: hi.rate_ci }, { estimate: lo.rate!, ci: lo.rate_ci });
  if (!excludesNone(diff, 0)) return `No clear churn difference by ${label}: ${fmtPct(lo.rate)} (${levelLabel(d.factor, lo.key)}) to ${fmtPct(hi.rate)} (${levelLabel(d.factor, hi.key)}), the interval of the difference includes 0`;
  return `Churn by ${label} ranges from ${fmtPct(lo.rate)} (${levelLabel(d.factor, lo.key)}) to ${fmtPct(hi.rate)} (${levelLabel(d.factor, hi.key)})`;
}

/** "customers with 3+ late invoices", "customers charged no fee". */
export function doseNoun(measure: 'late_invoices' | 'fees', g: { count_min: number; count_max: number | null }): string {
  const label = doseLabel(g);
  const one = g.count_max === 1 && g.count_min === 1;
  if (measure === 'late_invoices') return g.count_max === 0 ? 'customers who were never late' : `customers with ${label} late ${one ? 'invoice' : 'invoices'}`;
  return g.count_max === 0 ? 'customers never charged a fee' : `customers charged ${label} ${one ? 'fee' : 'fees'}`;
}

export function doseLabel(g: { count_min: number; count_max: number | null }): string {
  if (g.count_max === null) return `${g.count_min}+`;
  if (g.count_min === g.count_max) return String(g.count_min);
  return `${g.count_min}–${g.count_max}`;
}

export function doseFinding(d: DoseResponse | null): string {
  if (!d) return '';
  const what = d.measure === 'late_invoices' ? 'late invoices' : 'fees charged';
  const total = d.groups.reduce((s, g) => s + g.n, 0);
  if (total === 0) return 'No customers match these filters';
  const ref = d.groups.find((g) => g.is_reference);
  const trend = d.trend ? `trend p ${fmtP(d.trend.p_value)}` : '';
  if (d.trend && d.trend.p_value >= 0.05) return `No clear trend in churn with the number of ${what} (${trend})`;
  // The highest count whose relative risk is clear, among groups big enough (headline-rule.ts).
  const choice: Choice<(typeof d.groups)[number]> =
    ref && canHeadline(ref)
      ? chooseHeadline(
          d.groups.filter((g) => !g.is_reference && g.relative_risk !== null && g.n > 0),
          { eligible: (g) => canHeadline(g), clear: (g) => excludesOne(g.rr_ci), strength: (g) => g.count_min },
        )
      : { kind: 'too_small' };
  if (choice.kind === 'clear' && ref) {
    const top = choice.item;
    return `${capitalise(doseNoun(d.measure, top))} churn ${ratioText(top.relative_risk!)} as often as ${doseNoun(d.measure, ref)} (95 % CI ${ratioCi(top.rr_ci)})${trend ? `; ${trend}` : ''}`;
  }
  if (d.trend && choice.kind !== 'too_small') return `Churn changes with the number of ${what} (${trend}), but no single group differs clearly from ${ref ? doseNoun(d.measure, ref) : 'the reference'}`;
  if (choice.kind === 'too_small') return `Too few customers to compare churn by the number of ${what}: no two groups of ${MIN_HEADLINE_N} or more`;
  return `Churn by number of ${what}${trend ? ` (${trend})` : ''}`;
}

/** S(t) of a step curve. */
export function survivalAt(points: { t_days: number; survival: number }[], t: number): number | null {
  if (!points.length) return null;
  let s: number | null = 1;
  for (const p of points) {
    if (p.t_days > t) break;
    s = p.survival;
  }
  return s;
}

/** Number at risk at t: at the first reported time on or after t (null beyond the follow-up). */
export function atRiskAt(points: { t_days: number; at_risk: number }[], t: number): number | null {
  const p = points.find((x) => x.t_days >= t);
  return p ? p.at_risk : null;
}

/** The point in force at t (last reported time ≤ t): its survival and interval. */
function pointAt<P extends { t_days: number; survival: number; lower: number | null; upper: number | null }>(points: P[], t: number): P | null {
  let at: P | null = null;
  for (const p of points) {
    if (p.t_days > t) break;
    at = p;
  }
  return at;
}

/** Horizons a survival headline may use, largest first: the largest where every compared curve still has enough at risk. */
export const SURVIVAL_HORIZONS = [365, 180, 90, 30] as const;

export function survivalFinding(d: SurvivalCurves | null): { title: string; t: number | null } {
  if (!d) return { title: '', t: null };
  const nonEmpty = d.curves.filter((c) => c.n > 0 && c.points.length);
  if (!nonEmpty.length) return { title: 'No customers match these filters', t: null };
  const label = FACTOR_LABELS[d.by];
  // Only curves big enough to name (headline-rule.ts), at a horizon where each still has
  // MIN_HEADLINE_N customers at risk: "after 0 days, 100 % vs 100 %" says nothing.
  const curves = nonEmpty.filter((c) => canHeadline(c));
  if (!curves.length) return { title: `Too few customers to compare survival by ${label}: no group of ${MIN_HEADLINE_N} or more (largest n = ${fmtInt(Math.max(...nonEmpty.map((c) => c.n)))})`, t: null };
  const t = SURVIVAL_HORIZONS.find((h) => curves.every((c) => (atRiskAt(c.points, h) ?? 0) >= MIN_HEADLINE_N));
  if (t === undefined) return { title: `Not enough follow-up to compare survival by ${label}: no horizon of ${SURVIVAL_HORIZONS.at(-1)} days or more with ${MIN_HEADLINE_N}+ customers still at risk in every group`, t: null };
  const at = curves.map((c) => ({ c, p: pointAt(c.points, t) })).filter((x) => x.p).sort((a, b) => b.p!.survival - a.p!.survival);
  const when = t === 365 ? 'After one year' : `After ${fmtInt(t)} days`;
  const best = at[0];
  const worst = at[at.length - 1];
  if (at.length === 1) return { title: `${when}, ${fmtPct(best.p!.survival)} of ${groupNoun(d.by, best.c.key)} are still subscribed`, t };
  const lr = d.log_rank ? ` (log-rank p ${fmtP(d.log_rank.p_value)})` : '';
  const ci = (p: { lower: number | null; upper: number | null }) => (p.lower === null || p.upper === null ? null : ([p.lower, p.upper] as const));
  const diff = differenceInterval({ estimate: best.p!.survival, ci: ci(best.p!) }, { estimate: worst.p!.survival, ci: ci(worst.p!) });
  if (!excludesNone(diff, 0)) {
    return { title: `No clear survival difference by ${label} ${when.toLowerCase()}: ${fmtPct(best.p!.survival)} of ${groupNoun(d.by, best.c.key)} vs ${fmtPct(worst.p!.survival)} of ${groupNoun(d.by, worst.c.key)} still subscribed${lr}`, t };
  }
  return { title: `${when}, ${fmtPct(best.p!.survival)} of ${groupNoun(d.by, best.c.key)} are still subscribed vs ${fmtPct(worst.p!.survival)} of ${groupNoun(d.by, worst.c.key)}${lr}`, t };
}

export function driversFinding(d: Drivers | null): string {
  if (!d) return '';
  if (!d.terms.length) return 'The model has no terms for these filters';
  const sig = d.terms.filter((t) => excludesOne(t.hr_ci) && canHeadline(t));
  if (!sig.length) return 'Adjusted for each other, no factor shows a hazard ratio clearly different from 1';
  const top = [...sig].sort((a, b) => Math.abs(Math.log(b.hazard_ratio)) - Math.abs(Math.log(a.hazard_ratio)))[0];
  return `Adjusted for the other factors, ${groupNoun(top.factor, top.level)} have ${ratioText(top.hazard_ratio)} the hazard of ${groupNoun(top.factor, top.reference)} (95 % CI ${ratioCi(top.hr_ci)})`;
}
