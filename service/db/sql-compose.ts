/**
 * The two ways a loaded statement is put together before it runs, kept beside the loader
 * (sql-files.ts) so every caller composes and binds the same way: a statement that reads
 * `filtered` is prefixed with the filtered-base CTE (joining its own WITH list when it has one),
 * and a statement is bound with exactly the parameters it names, because DuckDB refuses a
 * parameter the text does not use and callers pass one shared set to several statements.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { sql } from './sql-files.ts';

/** `body` (a statement that reads `filtered`) with the filtered-base CTE over the table `base` in front. */
export function withFilteredBase(base: string, body: string): string {
  const text = body.replace(/^(\s*--[^\n]*\n)*\s*/, '');
  const filtered = sql('filtered_base', { base });
  return /^WITH\s/i.test(text) ? `WITH filtered AS (${filtered}), ${text.replace(/^WITH\s/i, '')}` : `WITH filtered AS (${filtered}) ${text}`;
}

/**
 * The parameters a statement names, and only those. Line comments are left out: DuckDB refuses a
 * value for a parameter the statement does not use, and a comment naming one (as the headers of
 * queries/ do) must not make it look used.
 */
export function namedParams(text: string, params: Record<string, unknown>): Record<string, DuckDBValue> {
  const code = text.replace(/--[^\n]*/g, '');
  const names = new Set([...code.matchAll(/\$([a-z_][a-z0-9_]*)/g)].map((m) => m[1]));
  return Object.fromEntries(Object.entries(params).filter(([k]) => names.has(k))) as Record<string, DuckDBValue>;
}
