/**
 * Equality of two engines' answers as the issue defines it: counts and every non-floating value
 * exactly, floating values to 1e-9 relative (the two engines add doubles in different orders).
 * For tables, a full outer join on the key inside DuckDB, counting per column the rows that differ;
 * for JSON answers, a walk that names the first differing path.
 */
import { expect } from 'vitest';
import type { TestService } from '../helpers/service.ts';

const REL = 1e-9;
const VOLATILE = /^(ingested_at|received_at|created_at|updated_at|saved_at|timings_ms|generated_at|lag_seconds|duration_ms|elapsed_ms|writer|computed_at)$/;

/** Per column, how many rows differ between tables `a` and `b` (joined on `key`); {} when equal. */
export async function diffTables(svc: TestService, a: string, b: string, key: string[]): Promise<Record<string, number>> {
  const cols = await svc.query<{ name: string; type: string }>(`SELECT column_name AS name, data_type AS type FROM duckdb_columns() WHERE table_name = $t ORDER BY column_index`, { t: a.split('.').pop()! });
  const on = key.map((k) => `x.${k} = y.${k}`).join(' AND ');
  const checks = cols.map(({ name, type }) =>
    type === 'DOUBLE' || type === 'FLOAT'
      ? `count(*) FILTER (WHERE (x.${name} IS NULL) <> (y.${name} IS NULL) OR abs(x.${name} - y.${name}) > ${REL} * greatest(abs(x.${name}), abs(y.${name}), 1e-300)) AS "${name}"`
      : `count(*) FILTER (WHERE x.${name} IS DISTINCT FROM y.${name}) AS "${name}"`,
  );
  const [row] = await svc.query<Record<string, string>>(
    `SELECT count(*) FILTER (WHERE x.${key[0]} IS NULL OR y.${key[0]} IS NULL) AS unmatched, ${checks.join(', ')} FROM ${a} x FULL OUTER JOIN ${b} y ON ${on}`,
  );
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]).filter(([, v]) => v !== 0));
}

function walk(a: unknown, b: unknown, at: string): string | null {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) && Number.isInteger(b) && Math.abs(a) < 1e15) return a === b ? null : `${at}: ${a} ≠ ${b}`;
    return Math.abs(a - b) <= REL * Math.max(Math.abs(a), Math.abs(b)) ? null : `${at}: ${a} ≠ ${b}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${at}: ${a.length} items ≠ ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = walk(a[i], b[i], `${at}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      if (VOLATILE.test(k)) continue;
      const d = walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${at}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
}

export function expectSameJson(actual: unknown, expected: unknown, label: string): void {
  expect(walk(actual, expected, label)).toBeNull();
}
