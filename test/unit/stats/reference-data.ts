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
