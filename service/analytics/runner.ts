/**
 * The one way an analysis runs a query: over a per-customer table (the cached analysis base of a
 * scope, or an offer table built from it) narrowed by the shared segment filters. Churn analyses,
 * the overview and the offers all call this, so filters bind the same way everywhere and a second
 * engine (incremental bases, Spark) has one place to plug in. The filter parameters are derived
 * from SEGMENT_DIMENSIONS, the same list queries/filtered_base.sql is tested against.
 */
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { codedStatement, readCodedColumns, type CodedColumns, type CodedRead } from '../db/coded-columns.ts';
import type { Database } from '../db/database.ts';
import { namedParams, withFilteredBase } from '../db/sql-compose.ts';
import { sql } from '../db/sql-files.ts';
import type { BaseCache } from './base-cache.ts';
import { SEGMENT_DIMENSIONS, type Filters } from './contracts.ts';
import type { FactsUpkeep } from './facts.ts';
import type { AnalysisScope } from './scope.ts';
import type { LakeFollower } from '../export/lake.ts';
import type { CalendarStore } from '../staffing/calendar-store.ts';

export interface Engine {
  db: Database;
  cache: BaseCache;
  upkeep: FactsUpkeep;
  /** Staffing's recorded calendars per time zone, kept at the facts' batch like the bases. */
  calendars: CalendarStore;
  /** The lake that follows ingestion (ANALYSIS_ENGINE=spark only): an erasure must reach it too. */
  lake?: LakeFollower;
}

/** Bound values of the segment filters: a list per dimension, NULL for "no filter". */
export function filterParams(filters: Filters): Record<string, unknown> {
  return Object.fromEntries(SEGMENT_DIMENSIONS.map((d) => [d, filters[d]?.length ? listValue(filters[d]) : null]));
}

export interface RunOptions {
  /** `{{name}}` substitutions, from the caller's allow-lists. */
  identifiers?: Record<string, string>;
  /** Bound values beyond the filters. */
  params?: Record<string, unknown>;
}

/** The statement text and its bound values for `query` (a .sql name that reads `filtered`) over the table `base`. */
export function filteredStatement(base: string, filters: Filters, query: string, options: RunOptions = {}) {
  const text = withFilteredBase(base, sql(query, options.identifiers));
  return { text, params: namedParams(text, { ...filterParams(filters), ...options.params }) };
}

const baseOf = async (engine: Engine, source: AnalysisScope | string) => (typeof source === 'string' ? source : engine.cache.table(source));

/** Runs `query` over the filtered `source` (a scope's base, or a table name); rows as JSON objects. */
export async function overFiltered<T = Record<string, unknown>>(engine: Engine, source: AnalysisScope | string, filters: Filters, query: string, options: RunOptions = {}): Promise<T[]> {
  const { text, params } = filteredStatement(await baseOf(engine, source), filters, query, options);
  return engine.db.withConnection(async (c) => (await c.runAndReadAll(text, params)).getRowObjectsJson() as unknown as T[]);
}

/**
 * For a model's input: `query` gives plain rows, and `read` says which numbers (as Float64Arrays)
 * and which categories (as codes and levels) to read, in which order (db/coded-columns.ts).
 */
export async function overFilteredCoded(engine: Engine, source: AnalysisScope | string, filters: Filters, query: string, read: CodedRead, options: RunOptions = {}): Promise<CodedColumns> {
  const { text, params } = filteredStatement(await baseOf(engine, source), filters, query, options);
  return engine.db.withConnection((c) => readCodedColumns(c, codedStatement(text, read), params as Record<string, DuckDBValue>));
}
