/**
 * The text of queries/analysis_base.sql, over the stored tables or over copies of the touched
 * customers' rows. The incremental upkeep recomputes only the customers that new batches touched,
 * but each of the statement's scans still reads every row to find them; with the touched
 * customers' events and facts copied once into temp tables, every stored base reads those instead,
 * so a catch-up costs in proportion to the batch (and those customers' histories), not to all data.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sql } from '../db/sql-files.ts';

/** Where analysis_base.sql reads the events and the per-invoice, per-fee, per-payment-month and per-contact facts. */
export interface BaseSources {
  events: string;
  invoices: string;
  fees: string;
  payment_months: string;
  contacts: string;
}

const STORED: BaseSources = { events: 'events', invoices: 'fact_invoices', fees: 'fact_fees', payment_months: 'fact_payment_months', contacts: 'fact_contacts' };

export function analysisBaseSql(sources: BaseSources = STORED): string {
  return sql('analysis_base', { ...sources });
}

/**
 * The event columns analysis_base.sql reads: the copy holds only these. The touched customers'
 * rows are scattered over the whole table, so the copy decompresses nearly every vector of each
 * column it takes, and its cost follows the column count: on the large set (13 M events, 51
 * customers touched) all 35 columns took 1.36–1.72 s, these 18 0.70–0.73 s. A column the
 * statement comes to read without being listed here fails the incremental upkeep with a binder
 * error (test/api/live-analytics.test.ts runs it), never silently.
 */
const BASE_EVENT_COLUMNS = [
  'customer_id', 'batch_id', 'occurred_at', 'type', 'vertical', 'market', 'birth_year', 'segment', 'plan',
  'monthly_price', 'currency', 'satisfaction', 'score', 'method', 'extra', 'topic', 'used', 'included',
] as const;

/** The copy of the current catch-up on a connection: customer_facts and every base share it. */
const copies = new WeakMap<DuckDBConnection, { after: number; upto: number; sources: BaseSources }>();

/**
 * What the customers with an event in the batches ($after, $upto] have, copied into temp tables on
 * `connection` (inside the caller's transaction): every event of theirs (the columns the base reads), and their rows of
 * fact_invoices, fact_fees, fact_payment_months and fact_contacts (the facts must already reflect `upto`). Made once per range and
 * connection: the catch-up's customer_facts and its stored bases read the same copy, and the
 * upkeep drops it with releaseTouched() when its transaction ends. Copying is the expensive part
 * (on the large set, 1.1–1.3 s for 2 400 customers: the scan that finds their rows reads every
 * column of all 13 M events), so it is paid once per catch-up. The statement reads the invoice
 * facts four times and the fee and payment-month facts once; over the stored tables, 8 bases would make 48 scans of every
 * customer's facts per catch-up.
 */
export async function copyTouched(connection: DuckDBConnection, after: number, upto: number): Promise<BaseSources> {
  const have = copies.get(connection);
  if (have && have.after === after && have.upto === upto) return have.sources;
  const t: BaseSources = { events: 'touched_events', invoices: 'touched_invoices', fees: 'touched_fees', payment_months: 'touched_payment_months', contacts: 'touched_contacts' };
  copies.delete(connection);
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${t.events} AS
       SELECT ${BASE_EVENT_COLUMNS.join(', ')} FROM events WHERE customer_id IN (SELECT DISTINCT customer_id FROM events WHERE batch_id > $after AND batch_id <= $upto)`,
    { after, upto },
  );
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${t.invoices} AS SELECT * FROM fact_invoices WHERE customer_id IN (SELECT DISTINCT customer_id FROM ${t.events})`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${t.fees} AS SELECT * FROM fact_fees WHERE customer_id IN (SELECT DISTINCT customer_id FROM ${t.events})`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${t.payment_months} AS SELECT * FROM fact_payment_months WHERE customer_id IN (SELECT DISTINCT customer_id FROM ${t.events})`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${t.contacts} AS SELECT * FROM fact_contacts WHERE customer_id IN (SELECT DISTINCT customer_id FROM ${t.events})`);
  copies.set(connection, { after, upto, sources: t });
  return t;
}

/** Drops the connection's copy, if any (never fails: the caller is ending its transaction). */
export async function releaseTouched(connection: DuckDBConnection): Promise<void> {
  const have = copies.get(connection);
  if (!have) return;
  copies.delete(connection);
  for (const table of Object.values(have.sources)) await connection.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
}
