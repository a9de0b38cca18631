/**
 * The tiny event store the per-query unit tests (test/unit/queries/<folder>/<name>.test.ts) run
 * their .sql file on: a real in-memory DuckDB with the real migrations, a handful of hand-made
 * events, the real derived facts (FactsUpkeep, so fact_invoices, fact_fees and customer_facts are
 * what production computes), the default payment-method map, and on request the analysis base of a
 * lifetime scope. Each test writes its events out in full, so every expected number can be counted
 * by hand from them; this file only does the plumbing once, so the tests do not repeat it.
 */
import { afterAll, beforeAll } from 'vitest';
import { Database } from '../../../service/db/database.ts';
import { migrate } from '../../../service/db/migrations.ts';
import { namedParams } from '../../../service/db/sql-compose.ts';
import { sql } from '../../../service/db/sql-files.ts';
import { FactsUpkeep } from '../../../service/analytics/facts.ts';
import { filteredStatement } from '../../../service/analytics/runner.ts';
import { scopeFor, type View } from '../../../service/analytics/scope.ts';
import { FilterQuery } from '../../../service/analytics/contracts.ts';
import { seedPaymentMethods } from '../../../service/settings/payment-methods.ts';
import { analysisBaseSql } from '../../../service/analytics/base-sql.ts';

/** One event: the envelope (id defaults to a running number) and any payload field by its column name. */
export interface Ev {
  id?: string;
  type: string;
  at: string;
  customer: string;
  batch?: number;
  [field: string]: string | number | null | undefined;
}

export type Row = Record<string, unknown>;

export interface FilteredOptions {
  filters?: Record<string, string>;
  params?: Record<string, unknown>;
  identifiers?: Record<string, string>;
  view?: View;
  /** Read this per-customer table instead of the analysis base (an offer audience, say). */
  table?: string;
}

export interface Store {
  db: Database;
  /** Runs a .sql file (every statement in it, each bound with the parameters it names); the last statement's rows. */
  query(name: string, params?: Record<string, unknown>, identifiers?: Record<string, string>): Promise<Row[]>;
  /**
   * Runs a query that reads `filtered` over the analysis base as of `asOf` (built once per date and
   * view): the lifetime view, or the landmark view with the API's default look-back and horizon (scopeOf).
   */
  filtered(name: string, asOf: string, options?: FilteredOptions): Promise<Row[]>;
  /** The table of the analysis base as of `asOf` in `view` (built once), for queries that take a {{base}}. */
  base(asOf: string, view?: View): Promise<string>;
  /** Plain SQL against the store (for checks on what a write query left behind). */
  rows(text: string, params?: Record<string, unknown>): Promise<Row[]>;
  close(): void;
}

/** The scope the API resolves by default (180-day look-back, 90-day horizon) for an as-of date. */
export const scopeOf = (asOf: string, view: View) => scopeFor(asOf, view, 180, 90);

const ENVELOPE = new Set(['id', 'type', 'at', 'customer', 'batch']);

/** Opens the store with `events` ingested (batch 1 unless an event names another) and the facts caught up. */
export async function openStore(events: Ev[]): Promise<Store> {
  const db = await Database.open({ path: ':memory:' });
  await migrate(db);
  await db.withConnection(async (c) => {
    await seedPaymentMethods(c);
    const batches = [...new Set(events.map((e) => e.batch ?? 1))].sort((a, b) => a - b);
    for (const b of batches) {
      await c.run(`INSERT INTO ingest_batches VALUES ($b, TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_days($b::INTEGER), 'application/x-ndjson', $n, $n, 0, 0, NULL)`, {
        b,
        n: events.filter((e) => (e.batch ?? 1) === b).length,
      });
    }
    let seq = 0;
    for (const e of events) {
      const fields = Object.entries(e).filter(([k, v]) => !ENVELOPE.has(k) && v !== undefined);
      const names = ['event_id', 'type', 'occurred_at', 'customer_id', 'batch_id', ...fields.map(([k]) => `"${k}"`)];
      const values = [e.id ?? `e${++seq}`, e.type, e.at, e.customer, e.batch ?? 1, ...fields.map(([, v]) => v)];
      await c.run(`INSERT INTO events (${names.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`, values as never);
    }
  });
  const upkeep = new FactsUpkeep(db, 0);
  await upkeep.ensure();

  const run = (text: string, params: Record<string, unknown>) =>
    db.withConnection(async (c) => {
      let last: Row[] = [];
      for (const statement of text.split(/;\s*\n/).map((s) => s.trim()).filter((s) => s && !/^(--[^\n]*\n?)*$/.test(s))) {
        last = (await c.runAndReadAll(statement, namedParams(statement, params) as never)).getRowObjectsJson() as Row[];
      }
      return last;
    });

  const bases = new Map<string, Promise<string>>();
  const baseFor = (asOf: string, view: View) => {
    const name = `base_${view}_${asOf.replaceAll('-', '_')}`;
    let table = bases.get(name);
    if (!table) {
      const scope = scopeOf(asOf, view);
      table = db.withConnection(async (c) => {
        await c.run(`CREATE TABLE ${name} AS ${analysisBaseSql()}`, { ...scope.params, after: null, upto: null } as never);
        return name;
      });
      bases.set(name, table);
    }
    return table;
  };

  return {
    db,
    query: (name, params = {}, identifiers = {}) => run(sql(name, identifiers), params),
    filtered: async (name, asOf, options = {}) => {
      const { text, params } = filteredStatement(options.table ?? (await baseFor(asOf, options.view ?? 'lifetime')), FilterQuery.parse(options.filters ?? {}), name, { identifiers: options.identifiers, params: options.params });
      return db.withConnection(async (c) => (await c.runAndReadAll(text, params)).getRowObjectsJson() as Row[]);
    },
    base: (asOf, view = 'lifetime') => baseFor(asOf, view),
    rows: (text, params = {}) => db.withConnection(async (c) => (await c.runAndReadAll(text, params as never)).getRowObjectsJson() as Row[]),
    close: () => db.close(),
  };
}

/** Opens the store once for the test file (before its tests, closed after them); call the result inside a test. */
export function useStore(events: Ev[]): () => Store {
  let store: Store | null = null;
  beforeAll(async () => {
    store = await openStore(events);
  });
  afterAll(() => store?.close());
  return () => store!;
}
