/**
 * Two-group churn comparison from a 2×2 table (exposed vs a stated reference group): each group's
 * rate with its Wilson interval, the relative risk with a 95 % CI by the log (Katz) method, the
 * risk difference, and Pearson's chi-square without continuity correction, matching R's
 * `chisq.test(correct = FALSE)`. This is the "manual payers churn about 2× more" view of docs/domain.md, so every degenerate table (an empty group, a zero cell) yields nulls with a machine-readable
 * reason instead of NaN or Infinity, which would otherwise leak into JSON as null-without-why or
 * break serialisation.
 */

import { chiSquareUpperTail, normalQuantile } from './distributions.ts';
import { wilsonInterval, type WilsonInterval } from './wilson.ts';

export interface GroupCount {
  /** Customers in the group. */
  n: number;
  /** Customers in the group who churned (had the event). */
  events: number;
}

export interface GroupRisk extends GroupCount {
  /** events / n; null when the group is empty. */
  rate: number | null;
  rateCi: WilsonInterval;
}

export type RelativeRiskUndefinedReason =
  | 'empty_group'
  /** No events in the reference group: the ratio divides by zero. */
  | 'no_reference_events'
  /** No events in the exposed group: RR = 0 is defined, but its log-scale CI is not. */
  | 'no_exposed_events';

export type ChiSquareUndefinedReason =
  | 'empty_group'
  /** Nobody, or everybody, had the event: an expected cell count is zero. */
  | 'no_outcome_variation';

export interface RiskComparison {
  exposed: GroupRisk;
  reference: GroupRisk;
  confidence: number;
  /** exposed rate / reference rate. */
  relativeRisk: number | null;
  relativeRiskCi: [number, number] | null;
  /** Why relativeRisk or its CI is null; null when both are present. */
  relativeRiskReason: RelativeRiskUndefinedReason | null;
  /** exposed rate − reference rate. */
  riskDifference: number | null;
  /** Pearson chi-square on the 2×2 table, 1 degree of freedom, no continuity correction. */
  chiSquare: number | null;
  pValue: number | null;
  chiSquareReason: ChiSquareUndefinedReason | null;
}

function checkGroup(label: string, g: GroupCount): void {
  if (!Number.isInteger(g.n) || g.n < 0) throw new RangeError(`compareRisks: ${label}.n must be a non-negative integer, got ${g.n}`);
  if (!Number.isInteger(g.events) || g.events < 0 || g.events > g.n) {
    throw new RangeError(`compareRisks: ${label}.events must be an integer in [0, n], got ${g.events} of ${g.n}`);
  }
}

function groupRisk(g: GroupCount, confidence: number): GroupRisk {
  return { n: g.n, events: g.events, rate: g.n > 0 ? g.events / g.n : null, rateCi: wilsonInterval(g.events, g.n, confidence) };
}

/** Compare the churn risk of an exposed group against a reference group. */
export function compareRisks(exposed: GroupCount, reference: GroupCount, confidence = 0.95): RiskComparison {
  checkGroup('exposed', exposed);
  checkGroup('reference', reference);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`compareRisks: confidence must be in (0, 1), got ${confidence}`);

  const ex = groupRisk(exposed, confidence);
  const ref = groupRisk(reference, confidence);
  const result: RiskComparison = {
    exposed: ex,
    reference: ref,
    confidence,
    relativeRisk: null,
    relativeRiskCi: null,
    relativeRiskReason: null,
    riskDifference: null,
    chiSquare: null,
    pValue: null,
    chiSquareReason: null,
  };
  if (ex.rate === null || ref.rate === null) {
    result.relativeRiskReason = 'empty_group';
    result.chiSquareReason = 'empty_group';
    return result;
  }

  result.riskDifference = ex.rate - ref.rate;

  const a = exposed.events;
  const c = reference.events;
  const n1 = exposed.n;
  const n2 = reference.n;
  if (c === 0) {
    result.relativeRiskReason = 'no_reference_events';
  } else {
    const rr = ex.rate / ref.rate;
    result.relativeRisk = rr;
    if (a === 0) {
      result.relativeRiskReason = 'no_exposed_events';
    } else {
      // Katz: Var(log RR) = 1/a − 1/n1 + 1/c − 1/n2. Clamped at 0 because when both groups churn
      // completely the exact value is 0 and rounding may make it a hair negative.
      const se = Math.sqrt(Math.max(0, 1 / a - 1 / n1 + 1 / c - 1 / n2));
      const z = normalQuantile(1 - (1 - confidence) / 2);
      const logRr = Math.log(rr);
      result.relativeRiskCi = [Math.exp(logRr - z * se), Math.exp(logRr + z * se)];
    }
  }

  const b = n1 - a;
  const d = n2 - c;
  const events = a + c;
  const nonEvents = b + d;
  if (events === 0 || nonEvents === 0) {
    result.chiSquareReason = 'no_outcome_variation';
  } else {
    const total = n1 + n2;
    // The closed form N(ad − bc)² / (row and column totals) equals Σ (O − E)² / E for a 2×2 table.
    const cross = a * d - b * c;
    const chi = (total * cross * cross) / (n1 * n2 * events * nonEvents);
    result.chiSquare = chi;
    result.pValue = chiSquareUpperTail(chi, 1);
  }
  return result;
}
