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
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let k = index.get(values[i]);
    if (k === undefined) index.set(values[i], (k = index.size));
    codes[i] = k;
  }
  return codeFactorCodes(factor, codes, [...index.keys()], event, pickReference);
}

/**
 * The same over integer codes: row i's level is `names[codes[i]]`, each name once. The drivers
 * read their categories as codes (db/coded-columns.ts); counting and coding them as strings, a Map
 * lookup and a string comparison per row and level, took about 100 ms of a 350 ms model on 143 000
 * rows of the large set.
 */
export function codeFactorCodes(factor: string, codes: Int32Array, names: readonly string[], event: Uint8Array, pickReference?: (counts: Count[]) => string): CodedFactor {
  const n = new Float64Array(names.length);
  const events = new Float64Array(names.length);
  const firstSeen: number[] = [];
  for (let i = 0; i < codes.length; i++) {
    const k = codes[i];
    if (n[k]++ === 0) firstSeen.push(k);
    events[k] += event[i];
  }
  const asCounts = firstSeen.map((k) => ({ key: names[k], n: n[k], churned: events[k] }));
  const reference = pickReference ? pickReference(asCounts) : chooseReference(factor, asCounts)!;
  const levels = firstSeen.map((k) => ({ level: names[k], n: n[k], events: events[k], small: n[k] < MIN_LEVEL_CUSTOMERS || events[k] < MIN_LEVEL_EVENTS }));
  const dummies = firstSeen
    .map((k, j) => ({ k, l: levels[j] }))
    .sort((a, b) => a.l.level.localeCompare(b.l.level))
    .filter(({ l }) => l.level !== reference)
    .map(({ k, l }) => ({
      ...l,
      column: () => {
        const out = new Float64Array(codes.length);
        for (let i = 0; i < codes.length; i++) if (codes[i] === k) out[i] = 1;
        return out;
      },
    }));
  return { reference, levels, dummies };
}
