/**
 * Loads the shared R reference (`../shared/reference/churn-3000.csv` and its `.expected.json`,
 * computed by R 4.2.2 with survival 3.5-3) for the statistics tests. The files are read at test
 * time, never copied into test code, so a regenerated reference is picked up as is. The shared
 * folder sits beside the repository root, which is found by walking up to the nearest
 * package.json rather than by counting `..` from this file, so moving the tests does not break it.
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

function findRepoRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
}

export const REFERENCE_DIR = path.resolve(findRepoRoot(path.dirname(fileURLToPath(import.meta.url))), '../shared/reference');

export interface RiskRow {
  comparison: string;
  exposed_n: number;
  exposed_churned: number;
  unexposed_n: number;
  unexposed_churned: number;
  exposed_rate: number;
  unexposed_rate: number;
  relative_risk: number;
  rr_ci95: [number, number];
  risk_difference: number;
  chi_square: number;
  p_value: number;
}

export interface LogRankRow {
  groups: string;
  chi_square: number;
  df: number;
  p_value: number;
}

export interface ChurnExpected {
  risk: RiskRow[];
  kaplan_meier: {
    conf_type: string;
    times: number[];
    strata: string[];
    survival: number[];
    lower95: number[];
    upper95: number[];
    n_risk: number[];
    median: Record<string, number | null>;
  };
  log_rank: LogRankRow;
  log_rank_age: LogRankRow;
  cox_efron: {
    terms: string[];
    coef: number[];
    hazard_ratio: number[];
    se: number[];
    hr_lower95: number[];
    hr_upper95: number[];
    loglik: [number, number];
    concordance: number;
  };
  cox_breslow: { terms: string[]; coef: number[]; hazard_ratio: number[] };
}

/** The CSV as columns of strings keyed by header name. */
export type ChurnColumns = Record<string, string[]>;

let cached: { columns: ChurnColumns; expected: ChurnExpected; rows: number } | undefined;

export function loadChurnReference(): { columns: ChurnColumns; expected: ChurnExpected; rows: number } {
  if (cached) return cached;
  const csv = readFileSync(path.join(REFERENCE_DIR, 'churn-3000.csv'), 'utf8');
  const lines = csv.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0].split(',');
  const columns: ChurnColumns = Object.fromEntries(header.map((h) => [h, [] as string[]]));
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    if (cells.length !== header.length) throw new Error(`malformed reference row: ${line}`);
    header.forEach((h, i) => columns[h].push(cells[i]));
  }
  const expected = JSON.parse(readFileSync(path.join(REFERENCE_DIR, 'churn-3000.expected.json'), 'utf8')) as ChurnExpected;
  cached = { columns, expected, rows: lines.length - 1 };
  return cached;
}

export function numeric(column: string[]): Float64Array {
  return Float64Array.from(column, (v) => {
    const x = Number(v);
    if (!Number.isFinite(x)) throw new Error(`not a number: ${v}`);
    return x;
  });
}

export function indicator(column: string[], level: string): Float64Array {
  return Float64Array.from(column, (v) => (v === level ? 1 : 0));
}

/** The tolerance docs/definitions.md sets against the R reference. */
export const REFERENCE_TOLERANCE = 1e-6;

export function relativeError(actual: number, expected: number): number {
  if (expected === 0) return Math.abs(actual);
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** Assert `actual` matches the reference value to 1e-6 relative; null must match null. */
export function expectMatchesReference(actual: number | null | undefined, expected: number | null, label: string): void {
  if (expected === null) {
    expect(actual ?? null, label).toBeNull();
    return;
  }
  expect(actual, label).toBeTypeOf('number');
  expect(relativeError(actual as number, expected), `${label}: got ${actual}, R gives ${expected}`).toBeLessThanOrEqual(REFERENCE_TOLERANCE);
}

export interface DelayedEntryExpected {
  rule: string;
  n: number;
  n_delayed: number;
  km: { strata: string[]; times: number[]; survival: number[]; lower: number[]; upper: number[]; n_risk: number[] };
  cox: { terms: string[]; coef: number[]; se: number[]; loglik: [number, number]; concordance: number };
}

export interface DelayedEntryData {
  expected: DelayedEntryExpected;
  /** The reference rows the rule keeps, with their entry times. */
  columns: ChurnColumns;
  entry: Float64Array;
  exit: Float64Array;
  event: Float64Array;
}

/**
 * The delayed-entry reference and the data it was computed on. The file states its entry rule in
 * words; it is applied here (every third customer enters 24 months before their exit, or at 0;
 * tenure 0 is dropped because R refuses an interval of zero length), and the test checks the
 * resulting counts against the file's, so a changed rule cannot pass unnoticed.
 */
export function loadDelayedEntryReference(): DelayedEntryData {
  const { columns } = loadChurnReference();
  const expected = JSON.parse(readFileSync(path.join(REFERENCE_DIR, 'churn-3000-delayed-entry.expected.json'), 'utf8')) as DelayedEntryExpected;
  const tenure = numeric(columns.tenure_months);
  const keep: number[] = [];
  for (let i = 0; i < tenure.length; i++) if (tenure[i] !== 0) keep.push(i);
  const kept: ChurnColumns = Object.fromEntries(Object.entries(columns).map(([h, v]) => [h, keep.map((i) => v[i])]));
  const exit = numeric(kept.tenure_months);
  const entry = Float64Array.from(kept.customer_id, (id, k) => {
    const number = Number(id.replace(/^c/, ''));
    if (!Number.isInteger(number)) throw new Error(`unexpected customer id ${id}`);
    return number % 3 === 0 ? Math.max(0, exit[k] - 24) : 0;
  });
  return { expected, columns: kept, entry, exit, event: numeric(kept.churned) };
}

/** R's `summary(survfit, times = )` rows in one shape, whichever reference file they come from. */
export interface CurveReference {
  strata: string[];
  times: number[];
  survival: number[];
  lower: number[];
  upper: number[];
  n_risk: number[];
}

/** Assert each reference row against the point at its stratum and time: values to `tolerance` relative, n.risk exactly. */
export function expectCurveMatches(
  pointsByStratum: ReadonlyMap<string | number, ReadonlyArray<{ time: number; atRisk: number; survival: number; lower: number | null; upper: number | null }>>,
  ref: CurveReference,
  tolerance: number,
  context: string,
): void {
  expect([...pointsByStratum.keys()].sort()).toEqual([...new Set(ref.strata)].sort());
  ref.strata.forEach((stratum, i) => {
    const point = pointsByStratum.get(stratum)?.find((p) => p.time === ref.times[i]);
    const label = `${context} ${stratum} t=${ref.times[i]}`;
    expect(point, `${label} point`).toBeDefined();
    const figures: Array<[string, number | null, number]> = [
      ['survival', point!.survival, ref.survival[i]],
      ['lower', point!.lower, ref.lower[i]],
      ['upper', point!.upper, ref.upper[i]],
    ];
    for (const [name, actual, expected] of figures) {
      expect(actual, `${label} ${name}`).toBeTypeOf('number');
      expect(relativeError(actual!, expected), `${label} ${name}: got ${actual}, R gives ${expected}`).toBeLessThanOrEqual(tolerance);
    }
    expect(point!.atRisk, `${label} n.risk`).toBe(ref.n_risk[i]);
  });
}
