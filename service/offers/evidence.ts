/**
 * What an offer's expected effect rests on, per offer: the measured churn gap between the
 * behaviour it changes and the behaviour it changes it to (landmark view: behaviour before the
 * landmark, churn after it), and the acceptance rate — observed when the offer has been shown at
 * least 30 times with a complete 30-day acceptance window, else the catalogue's assumption.
 *
 * The effect on a customer who accepts is taken to be the measured gap: their churn risk falls by
 * the factor 1 / RR, RR = churn rate of `exposed` / churn rate of `changed_to`, so
 *
 *     effect = 1 − 1 / RR,   95 % CI = [1 − 1 / RR_lower, 1 − 1 / RR_upper]   (RR by the log method)
 *
 * This assumes the gap is causal and that the offer fully moves an accepting customer into the
 * other group; both are stated in every answer. A gap measured on fewer than 30 customers or 5
 * churn events per group is reported but not used (the effect counts as unknown, so the offer is
 * not recommended).
 */
import { compareRisks } from '../stats/risk-comparison.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import type { Evidence, Offer } from './contracts.ts';

export const MIN_GROUP_CUSTOMERS = 30;
export const MIN_GROUP_EVENTS = 5;
export const MIN_SHOWN = 30;
export const ACCEPTANCE_WINDOW_DAYS = 30;

export interface GapCounts {
  exposed_n: number;
  exposed_churned: number;
  changed_n: number;
  changed_churned: number;
}

export function gapEvidence(offer: Offer, counts: GapCounts, window: Evidence['gap']['window']): Evidence['gap'] {
  const group = (label: string, n: number, churned: number) => {
    const w = wilsonInterval(churned, n);
    return { label, n, churned, rate: w.proportion, rate_ci: n > 0 ? ([w.lower, w.upper] as [number, number]) : null };
  };
  const cmp = compareRisks({ n: counts.exposed_n, events: counts.exposed_churned }, { n: counts.changed_n, events: counts.changed_churned });
  const [from, to] = offer.behaviour.description.split('→').map((s) => s.trim());
  return {
    window,
    exposed: group(from || 'exposed', counts.exposed_n, counts.exposed_churned),
    changed_to: group(to || 'changed to', counts.changed_n, counts.changed_churned),
    relative_risk: cmp.relativeRisk,
    rr_ci: cmp.relativeRiskCi,
    p_value: cmp.pValue,
    sufficient:
      counts.exposed_n >= MIN_GROUP_CUSTOMERS && counts.changed_n >= MIN_GROUP_CUSTOMERS && counts.exposed_churned >= MIN_GROUP_EVENTS && counts.changed_churned >= MIN_GROUP_EVENTS,
  };
}

export function acceptanceEvidence(offer: Offer, observed: { shown: number; accepted: number } | undefined): Evidence['acceptance'] {
  const shown = observed?.shown ?? 0;
  const accepted = observed?.accepted ?? 0;
  if (shown >= MIN_SHOWN && accepted > 0) {
    const w = wilsonInterval(accepted, shown);
    return { source: 'observed', rate: accepted / shown, ci: [w.lower, w.upper], shown, accepted, assumed_rate: offer.acceptance_rate };
  }
  return { source: 'assumed', rate: offer.acceptance_rate, ci: null, shown, accepted, assumed_rate: offer.acceptance_rate };
}

export function effectOf(gap: Evidence['gap']): Evidence['effect'] {
  if (!gap.sufficient || gap.relative_risk === null || gap.relative_risk <= 0) return { value: null, ci: null };
  const value = 1 - 1 / gap.relative_risk;
  const ci: [number, number] | null = gap.rr_ci ? [1 - 1 / gap.rr_ci[0], 1 - 1 / gap.rr_ci[1]] : null;
  return { value, ci };
}

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)} %`);

export function evidenceStatement(offer: Offer, gap: Evidence['gap'], acceptance: Evidence['acceptance'], effect: Evidence['effect']): string {
  const g = `${gap.exposed.label}: ${pct(gap.exposed.rate)} churned within the horizon (n = ${gap.exposed.n}); ${gap.changed_to.label}: ${pct(gap.changed_to.rate)} (n = ${gap.changed_to.n})`;
  const rr = gap.relative_risk === null ? 'relative risk undefined' : `relative risk ${gap.relative_risk.toFixed(2)}${gap.rr_ci ? ` (95 % CI ${gap.rr_ci[0].toFixed(2)}–${gap.rr_ci[1].toFixed(2)})` : ''}`;
  const a =
    acceptance.source === 'observed'
      ? `acceptance observed ${pct(acceptance.rate)} (${acceptance.accepted} of ${acceptance.shown} showings)`
      : `acceptance assumed ${pct(acceptance.rate)}${acceptance.shown ? ` (only ${acceptance.shown} showings so far)` : ' (never shown)'}`;
  const e = effect.value === null ? (gap.sufficient ? 'no usable effect' : `too few customers or churn events to measure (needs ${MIN_GROUP_CUSTOMERS} and ${MIN_GROUP_EVENTS} per group)`) : `an accepting customer's risk taken to fall by ${pct(effect.value)}`;
  return `${g}; ${rr}; ${e}; ${a}. Landmark ${gap.window.landmark}.`;
}
