/**
 * The Spark analysis engine (ANALYSIS_ENGINE=spark, issue 14): the event-sized work — the derived
 * facts and the per-customer analysis base — runs on Spark over the lake, and only the per-customer
 * result (one row per customer, small) comes back into DuckDB, in exactly the table shape the
 * DuckDB engine builds, so every statistic downstream is computed by the same TypeScript as today.
 *
 * Every statement is the one DuckDB source in queries/, rendered by render.ts; the facts Spark
 * needs are the SELECT of each `INSERT INTO fact_… ` in queries/facts/*.sql, defined as views over
 * the lake (always a full build: Spark recomputes from the events instead of keeping derived
 * tables), their column names taken from the DuckDB tables so both engines name them alike.
 * The result comes back as Parquet written by the executors to `resultsDir` (a location the
 * cluster and the service share, like the lake) and is read with DuckDB's read_parquet, each
 * column cast to the type DuckDB itself gives the statement (DESCRIBE), then deleted.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../db/database.ts';
import { namedParams } from '../db/sql-compose.ts';
import { QUERIES_DIR, sql } from '../db/sql-files.ts';
import type { AnalysisScope } from '../analytics/scope.ts';
import type { LakeFollower } from '../export/lake.ts';
import { SparkDriver, SparkEngineError, type DriverOptions } from './driver.ts';
import { renderSpark, sparkParams, statementsOf } from './render.ts';
import { analysisBaseSql } from '../analytics/base-sql.ts';

export interface SparkEngineOptions extends DriverOptions {
  lakeDir: string;
  resultsDir: string;
}

/** A batch range (after, upto]; after = null means every customer. */
export interface BatchRange {
  after: number | null;
  upto: number | null;
}

interface View {
  name: string;
  sql: string;
  params: Record<string, unknown>;
  columns?: string[];
  cache?: boolean;
}

const quotePath = (p: string) => `'${p.replaceAll("'", "''")}'`;
const quoteIdent = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new SparkEngineError(`unexpected column name ${name}`);
  return `"${name}"`;
};

/** The derived fact tables defined by queries/facts/*.sql: table → the DuckDB SELECT that fills it. */
export function factDefinitions(): Map<string, string> {
  const defs = new Map<string, string>();
  for (const file of fs.readdirSync(path.join(QUERIES_DIR, 'facts')).filter((f) => f.endsWith('.sql')).sort()) {
    for (const statement of statementsOf(sql(`facts/${file.replace(/\.sql$/, '')}`))) {
      const text = statement.replace(/^(\s*--[^\n]*\n)*\s*/, '');
      // The fact_ tables only: event_customer_ids and event_method_labels are the DuckDB store's own bookkeeping (its totals, the payment-method report).
      const m = /^INSERT\s+INTO\s+(fact_[a-z0-9_]*)\s+/i.exec(text);
      // DELETEs are the incremental upkeep of a stored table; Spark's facts are full views.
      if (m) defs.set(m[1], text.slice(m[0].length));
    }
  }
  return defs;
}

/** The fact tables `text` reads, and the ones those read, in dependency order. */
function factsNeeded(text: string, defs: Map<string, string>, out: string[] = []): string[] {
  for (const name of defs.keys()) {
    if (out.includes(name) || !new RegExp(`\\b${name}\\b`).test(text)) continue;
    factsNeeded(defs.get(name)!, defs, out);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Bound values as JSON scalars for the driver (Spark markers get exactly the names they use). */
function sparkArgs(rendered: string, params: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const name of sparkParams(rendered)) {
    if (!(name in params)) throw new SparkEngineError(`no value for the parameter ${name}`);
    const v = params[name];
    args[name] = v instanceof Date ? v.toISOString() : v === undefined ? null : v;
  }
  return args;
}

export class SparkEngine {
  readonly driver: SparkDriver;
  private counter = 0;

  constructor(
    private readonly db: Database,
    readonly options: SparkEngineOptions,
    readonly lake: LakeFollower,
  ) {
    this.driver = new SparkDriver(options);
  }

  /** Column names of a DuckDB table, in order. */
  private async columnsOf(table: string): Promise<string[]> {
    return this.db.withConnection(async (c) =>
      (await c.runAndReadAll(`SELECT column_name FROM duckdb_columns() WHERE table_name = $t AND schema_name = 'main' ORDER BY column_index`, { t: table })).getRowObjects().map((r) => String(r.column_name)),
    );
  }

  /** The payment-method map as rows (it is small and lives in DuckDB: settings, not events). */
  private async paymentMethodClasses() {
    const rows = await this.db.withConnection(async (c) => (await c.runAndReadAll(`SELECT label, class FROM payment_method_classes ORDER BY label`)).getRowObjects());
    return { schema: 'label string, class string', rows: rows.map((r) => [String(r.label), String(r.class)]) };
  }

  /**
   * Runs one DuckDB statement (from queries/) on Spark over the lake, with every fact view it needs,
   * and reads its rows back into the DuckDB table `target` (created; typed as DuckDB types the
   * statement). Returns the row count and the Spark time.
   */
  /** `on`: a connection (and its open transaction) the table is created in, e.g. the base store's. */
  async runInto(duckdbSql: string, params: Record<string, unknown>, target: string, on?: DuckDBConnection): Promise<{ rows: number; sparkMs: number }> {
    await this.lake.settle();
    const defs = factDefinitions();
    const views: View[] = [];
    for (const name of factsNeeded(duckdbSql, defs)) {
      const rendered = renderSpark(defs.get(name)!);
      views.push({ name, sql: rendered, params: sparkArgs(rendered, { after: null, upto: null }), columns: await this.columnsOf(name), cache: true });
    }
    const rendered = renderSpark(duckdbSql);
    const out = path.join(this.options.resultsDir, `result-${process.pid}-${Date.now()}-${++this.counter}`);
    try {
      const job = {
        lake: this.options.lakeDir,
        // A new batch in the lake retires Spark's cached facts and its file listing.
        lake_version: JSON.stringify(this.lake.status()),
        tables: { payment_method_classes: await this.paymentMethodClasses() },
        views,
        query: { sql: rendered, params: sparkArgs(rendered, params) },
        out,
      };
      const result = await this.driver.request<{ ms: number }>('job', { job });
      const readBack = async (c: DuckDBConnection) => {
        // DuckDB's own types for the statement, so the table is the one the DuckDB engine makes.
        const described = (await c.runAndReadAll(`DESCRIBE ${duckdbSql}`, namedParams(duckdbSql, params) as never)).getRowObjects();
        const select = described.map((d) => `CAST(${quoteIdent(String(d.column_name))} AS ${String(d.column_type)}) AS ${quoteIdent(String(d.column_name))}`).join(', ');
        const files = fs.existsSync(out) && fs.readdirSync(out).some((f) => f.endsWith('.parquet'));
        if (files) await c.run(`CREATE TABLE ${target} AS SELECT ${select} FROM read_parquet(${quotePath(path.join(out, '*.parquet'))})`);
        else await c.run(`CREATE TABLE ${target} AS SELECT * FROM (${duckdbSql}) LIMIT 0`, namedParams(duckdbSql, params) as never);
        return Number((await c.runAndReadAll(`SELECT count(*) AS n FROM ${target}`)).getRowObjects()[0].n);
      };
      const rows = on ? await readBack(on) : await this.db.withConnection(readBack);
      return { rows, sparkMs: result.ms };
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }

  /**
   * The per-customer analysis base of a scope (queries/analysis_base.sql) built on Spark into the
   * DuckDB table `target`: the function the base cache calls with ANALYSIS_ENGINE=spark.
   */
  async buildBaseOnSpark(scope: Pick<AnalysisScope, 'params'>, range: BatchRange, target: string, on?: DuckDBConnection): Promise<{ rows: number; sparkMs: number }> {
    return this.runInto(analysisBaseSql(), { ...scope.params, ...range }, target, on);
  }

  /** Events in the lake as Spark reads them (rows and distinct ids). */
  lakeCount(): Promise<{ rows: number; ids: number }> {
    return this.driver.request('count', { lake: this.options.lakeDir });
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
