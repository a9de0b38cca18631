/**
 * How a categorical factor enters a Cox model, for the churn drivers and the offers' risk model
 * alike: one 0/1 column per level against a reference level, levels in name order, and the
 * thresholds below which a level is too thin to estimate (fewer than 30 customers or 5 churn
 * events, docs/definitions.md). The drivers refuse such a level; the risk model pools it into its
 * reference. One definition, so the two models cannot disagree on what a level is.
 */
import { chooseReference, type Count } from './group-stats.ts';

export const MIN_LEVEL_CUSTOMERS = 30;
export const MIN_LEVEL_EVENTS = 5;

/** A level's customers and churn events; `small` = below either threshold. */
export type LevelCount = { level: string; n: number; events: number; small: boolean };

export interface CodedFactor {
  reference: string;
  /** Every level, the reference included, in order of first appearance. */
  levels: LevelCount[];
  /** The non-reference levels, in name order, each with its 0/1 column. */
  dummies: (LevelCount & { column: () => Float64Array })[];
}

/** Counts the levels of `values` (one per customer, with their churn `event`) and dummy-codes them. */
export function codeFactor(factor: string, values: readonly string[], event: Uint8Array, pickReference?: (counts: Count[]) => string): CodedFactor {
  const counts = new Map<string, { n: number; events: number }>();
  for (let i = 0; i < values.length; i++) {
    const l = counts.get(values[i]) ?? { n: 0, events: 0 };
    l.n++;
    l.events += event[i];
    counts.set(values[i], l);
  }
  const asCounts = [...counts].map(([key, v]) => ({ key, n: v.n, churned: v.events }));
  const reference = pickReference ? pickReference(asCounts) : chooseReference(factor, asCounts)!;
  const levels = [...counts].map(([level, v]) => ({ level, n: v.n, events: v.events, small: v.n < MIN_LEVEL_CUSTOMERS || v.events < MIN_LEVEL_EVENTS }));
  const dummies = [...levels]
    .sort((a, b) => a.level.localeCompare(b.level))
    .filter((l) => l.level !== reference)
    .map((l) => ({ ...l, column: () => Float64Array.from(values, (x) => (x === l.level ? 1 : 0)) }));
  return { reference, levels, dummies };
}
