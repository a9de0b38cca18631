/**
 * Chart titles that state the finding, computed from the data (never hard-coded claims). Each
 * states the size of the effect with its interval and hedges when the interval includes "no
 * difference".
 */
import type { ChurnByFactor, DoseResponse, Drivers, SurvivalCurves } from '$service/analytics/contracts.ts';
import { capitalise, fmtInt, fmtP, fmtPct, fmtRatio, ratioCi } from './format.ts';
import { FACTOR_LABELS, groupNoun, levelLabel } from './labels.ts';
import type { Factor } from '$service/analytics/contracts.ts';

type Ci = readonly [number, number] | null;
const excludesOne = (ci: Ci) => !!ci && (ci[0] > 1 || ci[1] < 1);
const ratioText = (rr: number) => `${fmtRatio(rr)}×`;

interface RrGroup {
  key: string;
  n: number;
  rate: number | null;
  relative_risk: number | null;
  rr_ci: Ci;
  is_reference: boolean;
}

/** Groups smaller than this only headline a chart when no group is this large. */
export const MIN_HEADLINE_N = 30;

/**
 * The non-reference group whose relative risk is furthest from 1 (on the log scale), preferring
 * groups whose interval excludes 1 and groups of at least MIN_HEADLINE_N customers.
 */
export function strongest<G extends RrGroup>(groups: G[]): G | undefined {
  const big = groups.filter((g) => g.n >= MIN_HEADLINE_N);
  const pool = big.some((g) => !g.is_reference) ? big : groups;
  let best: G | undefined;
  let score = -1;
  for (const g of pool) {
    if (g.is_reference || g.relative_risk === null || !(g.relative_risk > 0) || g.n === 0) continue;
    const s = Math.abs(Math.log(g.relative_risk)) + (excludesOne(g.rr_ci) ? 10 : 0);
    if (s > score) {
      score = s;
      best = g;
    }
  }
  return best;
}

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
    const g = strongest(d.groups);
    if (g) return rrSentence(d.factor, g, d.reference);
  }
  const rated = d.groups.filter((g) => g.rate !== null && g.n > 0).sort((a, b) => a.rate! - b.rate!);
  if (rated.length < 2) return `Churn by ${label}: ${fmtPct(rated[0]?.rate ?? null)} of ${fmtInt(d.n)} customers`;
  const lo = rated[0];
  const hi = rated[rated.length - 1];
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
  const top = [...d.groups].reverse().find((g) => !g.is_reference && g.relative_risk !== null && g.n > 0);
  const trend = d.trend ? `trend p ${fmtP(d.trend.p_value)}` : '';
  if (d.trend && d.trend.p_value >= 0.05) return `No clear trend in churn with the number of ${what} (${trend})`;
  if (top && ref) {
    return `${capitalise(doseNoun(d.measure, top))} churn ${ratioText(top.relative_risk!)} as often as ${doseNoun(d.measure, ref)} (95 % CI ${ratioCi(top.rr_ci)})${trend ? `; ${trend}` : ''}`;
  }
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

export function survivalFinding(d: SurvivalCurves | null): { title: string; t: number } {
  if (!d) return { title: '', t: 0 };
  const nonEmpty = d.curves.filter((c) => c.n > 0 && c.points.length);
  if (!nonEmpty.length) return { title: 'No customers match these filters', t: 0 };
  // Headline groups large enough to say something (30+ customers), unless none is.
  const big = nonEmpty.filter((c) => c.n >= 30);
  const curves = big.length ? big : nonEmpty;
  const tMax = Math.min(...curves.map((c) => c.points[c.points.length - 1].t_days));
  const t = d.view === 'landmark' ? tMax : Math.min(365, tMax);
  const at = curves.map((c) => ({ c, s: survivalAt(c.points, t) ?? 1 })).sort((a, b) => b.s - a.s);
  const best = at[0];
  const worst = at[at.length - 1];
  const lr = d.log_rank ? ` (log-rank p ${fmtP(d.log_rank.p_value)})` : '';
  const when = t === 365 ? 'After one year' : `After ${fmtInt(t)} days`;
  if (at.length === 1) return { title: `${when}, ${fmtPct(best.s)} of ${groupNoun(d.by, best.c.key)} are still subscribed`, t };
  return { title: `${when}, ${fmtPct(best.s)} of ${groupNoun(d.by, best.c.key)} are still subscribed vs ${fmtPct(worst.s)} of ${groupNoun(d.by, worst.c.key)}${lr}`, t };
}

export function driversFinding(d: Drivers | null): string {
  if (!d) return '';
  if (!d.terms.length) return 'The model has no terms for these filters';
  const sig = d.terms.filter((t) => t.hr_ci[0] > 1 || t.hr_ci[1] < 1);
  if (!sig.length) return 'Adjusted for each other, no factor shows a hazard ratio clearly different from 1';
  const top = [...sig].sort((a, b) => Math.abs(Math.log(b.hazard_ratio)) - Math.abs(Math.log(a.hazard_ratio)))[0];
  return `Adjusted for the other factors, ${groupNoun(top.factor, top.level)} have ${ratioText(top.hazard_ratio)} the hazard of ${groupNoun(top.factor, top.reference)} (95 % CI ${ratioCi(top.hr_ci)})`;
}
