/**
 * Derived facts kept current as events arrive: per-invoice facts (when paid in full, views,
 * reminders), per-fee facts (disputed or not) and current per-customer facts. Each ingest
 * refreshes only what its batch touched, inside the ingest transaction, so readers never see
 * events without their facts. A derived table is versioned by the hash of its definition; when a
 * release changes a definition, the table is rebuilt from the events at start-up (events are the
 * source of truth; derived tables never need a data migration).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { sql } from '../db/sql-files.ts';

interface Derived {
  table: string;
  ddl: string;
  refresh: (c: DuckDBConnection, batch: number | null) => Promise<void>;
  definition: () => string;
}

const run = async (c: DuckDBConnection, text: string, params: Record<string, unknown>) => {
  // A .sql file may hold several statements; bind each with the parameters it names.
  for (const statement of text.split(/;\s*\n/).map((s) => s.trim()).filter((s) => s && !/^(--[^\n]*\n?)*$/.test(s))) {
    const names = new Set([...statement.matchAll(/\$([a-z_]+)/g)].map((m) => m[1]));
    await c.run(statement, Object.fromEntries(Object.entries(params).filter(([k]) => names.has(k))) as never);
  }
};

/** Parameters of analysis_base.sql for current customer facts: lifetime view as of tomorrow. */
export function currentFactsParams(now = new Date()) {
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 2));
  const endDate = end.toISOString().slice(0, 10);
  return { exp_start: '1900-01-01T00:00:00Z', exp_end: end.toISOString(), overdue_before: endDate, outcome_end: end.toISOString(), landmark: false };
}

const DERIVED: Derived[] = [
  {
    table: 'fact_invoices',
    ddl: `CREATE TABLE fact_invoices (
      customer_id VARCHAR NOT NULL, invoice_id VARCHAR NOT NULL, issued_at TIMESTAMPTZ, due_date DATE, amount DECIMAL(18,4),
      channel VARCHAR, paid_amount DECIMAL(18,4), paid_at TIMESTAMPTZ, first_viewed_at TIMESTAMPTZ,
      soft_reminders INTEGER, hard_reminders INTEGER, PRIMARY KEY (customer_id, invoice_id))`,
    refresh: (c, batch) => run(c, sql('facts/refresh_invoices'), { batch }),
    definition: () => sql('facts/refresh_invoices'),
  },
  {
    table: 'fact_fees',
    ddl: `CREATE TABLE fact_fees (
      event_id VARCHAR PRIMARY KEY, customer_id VARCHAR NOT NULL, occurred_at TIMESTAMPTZ NOT NULL, invoice_id VARCHAR,
      fee_type VARCHAR, amount DECIMAL(18,4), disputed_at TIMESTAMPTZ)`,
    refresh: (c, batch) => run(c, sql('facts/refresh_fees'), { batch }),
    definition: () => sql('facts/refresh_fees'),
  },
  {
    table: 'customer_facts',
    ddl: `CREATE TABLE customer_facts AS SELECT *, now() AS refreshed_at FROM (${sql('analysis_base')}) LIMIT 0`,
    refresh: async (c, batch) => {
      await run(c, sql('facts/refresh_customers'), { batch });
      await c.run(`INSERT INTO customer_facts SELECT *, now() FROM (${sql('analysis_base')})`, { ...currentFactsParams(), batch } as never);
    },
    definition: () => sql('analysis_base') + sql('facts/refresh_customers'),
  },
];

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** At start-up: create or rebuild every derived table whose definition changed. */
export async function ensureDerivedFacts(db: Database, log: (line: string) => void = () => undefined): Promise<void> {
  await db.withConnection((c) => c.run(`CREATE TABLE IF NOT EXISTS derived_tables (name VARCHAR PRIMARY KEY, definition_hash VARCHAR, built_at TIMESTAMPTZ)`));
  for (const d of DERIVED) {
    const h = hash(d.ddl + d.definition());
    const current = await db.withConnection(async (c) => (await c.runAndReadAll(`SELECT definition_hash FROM derived_tables WHERE name = $n`, { n: d.table })).getRowObjects()[0]?.definition_hash);
    if (current === h) continue;
    const started = performance.now();
    await db.transaction(async (c) => {
      await c.run(`DROP TABLE IF EXISTS ${d.table}`);
      await c.run(d.ddl, d.table === 'customer_facts' ? ({ ...currentFactsParams(), batch: null } as never) : undefined);
      await d.refresh(c, null);
      await c.run(`INSERT OR REPLACE INTO derived_tables VALUES ($n, $h, now())`, { n: d.table, h });
    });
    if (current) log(`rebuilt ${d.table} (definition changed) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** The ingest hook: bring every derived table up to date with one committed batch. */
export async function refreshFactsForBatch(c: DuckDBConnection, batchId: number): Promise<void> {
  for (const d of DERIVED) await d.refresh(c, batchId);
}

/** Full rebuild of all derived tables (benchmarks compare it with the incremental upkeep). */
export async function rebuildAllFacts(db: Database): Promise<void> {
  await db.transaction(async (c) => {
    for (const d of DERIVED) await d.refresh(c, null);
  });
}

/** Current customer facts depend on the payment-method map: rebuild them when it changes. */
export async function rebuildCustomerFacts(c: DuckDBConnection): Promise<void> {
  await DERIVED.find((d) => d.table === 'customer_facts')!.refresh(c, null);
}
