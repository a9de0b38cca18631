/**
 * The text of queries/analysis_base.sql, over the stored tables or over copies of the touched
 * customers' rows. The incremental upkeep recomputes only the customers that new batches touched,
 * but each of the statement's scans still reads every row to find them; with the touched
 * customers' events and facts copied once into temp tables, every stored base reads those instead,
 * so a catch-up costs in proportion to the batch (and those customers' histories), not to all data.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sql } from '../db/sql-files.ts';

/** Where analysis_base.sql reads the events and the per-invoice and per-fee facts. */
export interface BaseSources {
  events: string;
  invoices: string;
  fees: string;
}

const STORED: BaseSources = { events: 'events', invoices: 'fact_invoices', fees: 'fact_fees' };

export function analysisBaseSql(sources: BaseSources = STORED): string {
  return sql('analysis_base', { ...sources });
}

/**
 * Copies what the customers with an event in the batches ($after, $upto] have into temp tables
 * named from `prefix` on `connection` (inside the caller's transaction): every event of theirs,
 * and their rows of fact_invoices and fact_fees (the facts must already reflect `upto`). The
 * statement reads the invoice facts twice and the fee facts once, and with the stored tables each
 * read was a scan of every customer's rows: on the large set (3.5 M invoices) 8 bases made 24
 * such scans per catch-up, most of its time.
 */
export async function copyTouched(connection: DuckDBConnection, prefix: string, after: number, upto: number): Promise<BaseSources> {
  const t: BaseSources = { events: `${prefix}_events`, invoices: `${prefix}_invoices`, fees: `${prefix}_fees` };
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${t.events} AS
       SELECT * FROM events WHERE customer_id IN (SELECT DISTINCT customer_id FROM events WHERE batch_id > $after AND batch_id <= $upto)`,
    { after, upto },
  );
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${t.invoices} AS SELECT * FROM fact_invoices WHERE customer_id IN (SELECT DISTINCT customer_id FROM ${t.events})`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${t.fees} AS SELECT * FROM fact_fees WHERE customer_id IN (SELECT DISTINCT customer_id FROM ${t.events})`);
  return t;
}

/** Drops what copyTouched made (never fails: the caller is cleaning up). */
export async function dropTouched(connection: DuckDBConnection, t: BaseSources): Promise<void> {
  for (const table of [t.events, t.invoices, t.fees]) await connection.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
}
