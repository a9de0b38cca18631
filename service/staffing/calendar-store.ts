/**
 * The recorded part of the staffing forecast's inputs, kept in the database file per time zone and
 * brought up to date with every batch, in time proportional to the batch: the invoice calendar
 * (calendar_daily.sql), the daily inbound contacts (contact_daily.sql) and the follow-up lags
 * (driver_lags.sql). Before this, each new data version reloaded all three from every invoice and
 * event (2–3 s of DuckDB on both cores on the large set, beside the readers of the dashboard).
 *
 * - **Per customer, then per zone.** A customer's invoices (stage, issue bucket, due date:
 *   invoice_stages.sql) and follow-ups (followups.sql) are stored per customer, independent of any
 *   zone. Each zone in use stores the three day-level results, a few thousand rows each.
 * - **Incremental.** The facts upkeep calls `catchUp` in the transaction that brings the derived
 *   facts to `upto`, with the touched customers' facts copied (base-sql.ts). Their stored rows are
 *   the old contribution, the rows computed from their facts now the new one: the difference (a few
 *   rows, as most of a touched customer's invoices did not change) goes through the same day-level
 *   queries and is added to each zone's rows. Events are immutable, so contacts, reminders, fees,
 *   starts and cancellations of the batch are simply added; a stored follow-up changes only when
 *   its invoice's due date does. A late event dated into the past lands on its day like any other.
 * - **Stored, so a restart builds nothing.** A zone is built once, on first use, under the
 *   upkeep's lock (like a new analysis window, base-cache.ts), and registered with the batch it
 *   reflects and the hash of its definition; a release that changes a definition drops the state
 *   at start-up. At most KEEP zones are kept (least recently used beyond that are dropped).
 * - **Erasure.** The per-customer rows go with the customer (erasure.ts deletes from every table
 *   with a customer_id); the per-zone sums cannot be unpicked, so `forget` drops every zone in the
 *   erasure's transaction and the next plan rebuilds them.
 * The registry in the file is the only state: nothing in memory can disagree with it after a
 * rollback.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { namedParams } from '../db/sql-compose.ts';
import { sql } from '../db/sql-files.ts';
import { analysisBaseSql, copyTouched } from '../analytics/base-sql.ts';
import type { FactsFollower, FactsUpkeep } from '../analytics/facts.ts';

const KEEP = 4;

/** The recorded inputs of one zone: calendar_daily.sql's rows, driver_lags.sql's and contact_daily.sql's. */
export interface ZoneRows {
  days: Record<string, unknown>[];
  lags: Record<string, unknown>[];
  contacts: Record<string, unknown>[];
}

export interface CalendarCounters {
  /** Zones built from all data since start-up (a restart on stored zones adds none). */
  builds: number;
  /** Catch-ups applied to the stored zones since start-up. */
  refreshes: number;
  /** The last catch-up: customers recomputed, rows of change applied per zone, and its time. */
  last_refresh: { customers: number; changes: number; ms: number } | null;
}

/** Per zone: the table, its key columns, its value columns and their type. */
const ZONE_TABLES = [
  {
    table: 'staffing_calendar_days',
    query: 'staffing/calendar_daily',
    keys: ['day', 'issue_day'],
    order: 'day, issue_day NULLS FIRST',
    values: ['issued_first', 'issued_first_year', 'issued_other', 'due_first', 'due_first_year', 'due_other', 'hard_reminders', 'soft_reminders', 'fees', 'payment_failures', 'collections', 'starts', 'cancels'],
    type: 'INTEGER',
  },
  { table: 'staffing_lag_days', query: 'staffing/driver_lags', keys: ['due_day', 'kind', 'lag'], order: 'due_day, kind, lag', values: ['n'], type: 'INTEGER' },
  {
    table: 'staffing_contact_days',
    query: 'staffing/contact_daily',
    keys: ['channel', 'day'],
    order: 'day, channel',
    // Seconds are summed as doubles; the counts say whether a row is there.
    values: ['contacts', 'n_handle', 'n_wait'],
    sums: ['sum_handle', 'sum_wait'],
    type: 'INTEGER',
  },
] as const;

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
/** Everything a stored row is computed from: the staffing statements and the facts they read. */
const definitionHash = () =>
  hash(
    ['staffing/invoice_stages', 'staffing/followups', 'staffing/calendar_daily', 'staffing/driver_lags', 'staffing/contact_daily', 'facts/refresh_invoices'].map((q) => sql(q, { invoices: 'x', stages: 'x', followups: 'x' })).join('\n') +
      analysisBaseSql(),
  );

async function exec(c: DuckDBConnection, text: string, params: Record<string, unknown> = {}): Promise<number> {
  return Number((await c.run(text, namedParams(text, params) as never)).rowsChanged);
}

export class CalendarStore implements FactsFollower {
  readonly counters: CalendarCounters = { builds: 0, refreshes: 0, last_refresh: null };
  private readonly building = new Map<string, Promise<void>>();
  /** When each zone was last read (written to the registry with the next catch-up, for the LRU). */
  private readonly usedAt = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly upkeep: FactsUpkeep,
  ) {
    upkeep.followers.push(this);
  }

  /** At start-up, inside the upkeep's first transaction: create the tables, drop state of another definition. */
  async open(c: DuckDBConnection): Promise<void> {
    await c.run(`CREATE TABLE IF NOT EXISTS staffing_calendars (tz VARCHAR PRIMARY KEY, definition_hash VARCHAR NOT NULL, last_batch_id BIGINT NOT NULL, used_at TIMESTAMPTZ NOT NULL)`);
    await c.run(`CREATE TABLE IF NOT EXISTS staffing_invoice_stages (customer_id VARCHAR NOT NULL, bucket BIGINT NOT NULL, due_date DATE, stage VARCHAR NOT NULL, n INTEGER NOT NULL)`);
    await c.run(`CREATE TABLE IF NOT EXISTS staffing_followups (customer_id VARCHAR NOT NULL, invoice_id VARCHAR NOT NULL, due_date DATE, kind VARCHAR NOT NULL, occurred_at TIMESTAMPTZ NOT NULL, n INTEGER NOT NULL)`);
    await c.run(`CREATE TABLE IF NOT EXISTS staffing_calendar_days (tz VARCHAR NOT NULL, day INTEGER, issue_day INTEGER, ${ZONE_TABLES[0].values.map((v) => `${v} INTEGER`).join(', ')})`);
    await c.run(`CREATE TABLE IF NOT EXISTS staffing_lag_days (tz VARCHAR NOT NULL, due_day INTEGER, kind VARCHAR, lag INTEGER, n INTEGER)`);
    await c.run(`CREATE TABLE IF NOT EXISTS staffing_contact_days (tz VARCHAR NOT NULL, channel VARCHAR, day INTEGER, contacts INTEGER, n_handle INTEGER, sum_handle DOUBLE, n_wait INTEGER, sum_wait DOUBLE)`);
    const stale = (await c.runAndReadAll(`SELECT count(*) FILTER (WHERE definition_hash <> $h)::INTEGER AS n FROM staffing_calendars`, { h: definitionHash() })).getRowObjects()[0];
    if (Number(stale.n) > 0) await this.forget(c);
  }

  /** Drops every zone and the per-customer rows (in the caller's transaction): they are built again on next use. */
  async forget(c: DuckDBConnection): Promise<void> {
    for (const t of ['staffing_calendars', 'staffing_invoice_stages', 'staffing_followups', ...ZONE_TABLES.map((z) => z.table)]) {
      // An erasure of a file that never had a plan asked: the tables may not exist.
      const exists = (await c.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $t`, { t })).getRowObjects()[0];
      if (Number(exists.n) > 0) await c.run(`DELETE FROM ${t}`);
    }
  }

  /**
   * The recorded inputs of zone `tz` at the published snapshot: read from the stored rows, built
   * first (once, under the upkeep's lock) when the zone has never been asked for.
   */
  async rows(tz: string): Promise<ZoneRows> {
    this.usedAt.set(tz, Date.now());
    for (;;) {
      // One snapshot for the three reads: a catch-up committing in between would mix two batches.
      const read = await this.db.withConnection(async (c) => {
        await c.run('BEGIN TRANSACTION');
        try {
          const zone = (await c.runAndReadAll(`SELECT last_batch_id FROM staffing_calendars WHERE tz = $tz`, { tz })).getRowObjects()[0];
          const out: Record<string, unknown>[][] = [];
          if (zone) for (const z of ZONE_TABLES) out.push((await c.runAndReadAll(`SELECT * EXCLUDE (tz) FROM ${z.table} WHERE tz = $tz ORDER BY ${z.order}`, { tz })).getRowObjectsJson() as Record<string, unknown>[]);
          await c.run('COMMIT');
          return zone ? { days: out[0], lags: out[1], contacts: out[2] } : null;
        } catch (error) {
          await c.run('ROLLBACK').catch(() => undefined);
          throw error;
        }
      });
      if (read) return read;
      await this.build(tz);
    }
  }

  private build(tz: string): Promise<void> {
    let pending = this.building.get(tz);
    if (!pending) {
      pending = this.upkeep
        .exclusive(async (c, watermark) => {
          const zones = (await c.runAndReadAll(`SELECT tz FROM staffing_calendars`)).getRowObjects().map((r) => String(r.tz));
          if (zones.includes(tz)) return;
          // The per-customer rows exist while any zone does, at the zones' batch (the facts' watermark).
          if (!zones.length) await this.buildCustomers(c);
          await this.buildZone(c, tz, watermark);
          await this.evict(c, tz);
        })
        .finally(() => this.building.delete(tz));
      this.building.set(tz, pending);
    }
    return pending;
  }

  private async buildCustomers(c: DuckDBConnection): Promise<void> {
    await c.run(`DELETE FROM staffing_invoice_stages`);
    await c.run(`INSERT INTO staffing_invoice_stages ${sql('staffing/invoice_stages', { invoices: 'fact_invoices' })}`);
    await c.run(`DELETE FROM staffing_followups`);
    await exec(c, `INSERT INTO staffing_followups ${sql('staffing/followups', { invoices: 'fact_invoices' })}`, { after: null, upto: null });
  }

  /** `counted`: a zone built on first use (the counter a restart must leave at 0), not a rebuild. */
  private async buildZone(c: DuckDBConnection, tz: string, watermark: number, counted = true): Promise<void> {
    for (const z of ZONE_TABLES) {
      await c.run(`DELETE FROM ${z.table} WHERE tz = $tz`, { tz });
      await exec(c, `INSERT INTO ${z.table} BY NAME SELECT $tz AS tz, * FROM (${this.zoneQuery(z.query, 'staffing_invoice_stages', 'staffing_followups')})`, { tz, after: null, upto: null });
    }
    await c.run(`INSERT OR REPLACE INTO staffing_calendars VALUES ($tz, $h, $w, now())`, { tz, h: definitionHash(), w: watermark });
    if (counted) this.counters.builds++;
  }

  private zoneQuery(query: string, stages: string, followups: string): string {
    return sql(query, query === 'staffing/calendar_daily' ? { stages } : query === 'staffing/driver_lags' ? { followups } : {});
  }

  /** Keeps the KEEP most recently used zones (the one just built among them). */
  private async evict(c: DuckDBConnection, keep: string): Promise<void> {
    const zones = (await c.runAndReadAll(`SELECT tz, epoch_ms(used_at) AS used FROM staffing_calendars`)).getRowObjects().map((r) => ({ tz: String(r.tz), used: this.usedAt.get(String(r.tz)) ?? Number(r.used) }));
    const order = zones.filter((z) => z.tz !== keep).sort((a, b) => b.used - a.used);
    for (const z of order.slice(KEEP - 1)) {
      await c.run(`DELETE FROM staffing_calendars WHERE tz = $tz`, { tz: z.tz });
      for (const t of ZONE_TABLES) await c.run(`DELETE FROM ${t.table} WHERE tz = $tz`, { tz: z.tz });
    }
  }

  /**
   * Inside the upkeep's transaction, after the derived facts reached `upto`: bring every zone to
   * `upto` (everything rebuilt when `rebuild`, which a settings change asks for).
   */
  async catchUp(c: DuckDBConnection, upto: number, rebuild: boolean): Promise<void> {
    const zones = (await c.runAndReadAll(`SELECT tz, last_batch_id FROM staffing_calendars`)).getRowObjects().map((r) => ({ tz: String(r.tz), last: Number(r.last_batch_id) }));
    if (!zones.length) return;
    const last = Math.min(...zones.map((z) => z.last));
    if (rebuild || zones.some((z) => z.last !== last)) {
      await this.buildCustomers(c);
      for (const z of zones) await this.buildZone(c, z.tz, upto, false);
      return;
    }
    if (last >= upto) return;
    const started = performance.now();
    const touched = await copyTouched(c, last, upto);
    const range = { after: last, upto };
    await c.run(`CREATE OR REPLACE TEMP TABLE staffing_touched AS SELECT DISTINCT customer_id FROM ${touched.events}`);
    // Invoices: the touched customers' rows now, against the stored ones (most are the same and cancel).
    await c.run(`CREATE OR REPLACE TEMP TABLE staffing_new_stages AS ${sql('staffing/invoice_stages', { invoices: touched.invoices })}`);
    await c.run(
      `CREATE OR REPLACE TEMP TABLE staffing_stage_change AS
       SELECT bucket, due_date, stage, sum(n)::INTEGER AS n FROM (
         SELECT bucket, due_date, stage, -n AS n FROM staffing_invoice_stages SEMI JOIN staffing_touched USING (customer_id)
         UNION ALL
         SELECT bucket, due_date, stage, n FROM staffing_new_stages
       ) GROUP BY ALL HAVING sum(n) <> 0`,
    );
    await c.run(`DELETE FROM staffing_invoice_stages WHERE customer_id IN (SELECT customer_id FROM staffing_touched)`);
    await c.run(`INSERT INTO staffing_invoice_stages SELECT * FROM staffing_new_stages`);
    // Follow-ups: stored ones whose invoice's due date changed move (old date -1, new +1), and the batch's own are added.
    await c.run(`CREATE OR REPLACE TEMP TABLE staffing_new_followups AS ${sql('staffing/followups', { invoices: touched.invoices })}`, range);
    await c.run(
      `CREATE OR REPLACE TEMP TABLE staffing_followup_change AS
       WITH moved AS (
         SELECT f.due_date AS old_due, i.due_date AS new_due, f.kind, f.occurred_at
         FROM staffing_followups f SEMI JOIN staffing_touched USING (customer_id)
         LEFT JOIN ${touched.invoices} i ON f.customer_id = i.customer_id AND f.invoice_id = i.invoice_id
         WHERE f.due_date IS DISTINCT FROM i.due_date
       )
       SELECT old_due AS due_date, kind, occurred_at, -1 AS n FROM moved
       UNION ALL SELECT new_due, kind, occurred_at, 1 FROM moved
       UNION ALL SELECT due_date, kind, occurred_at, n FROM staffing_new_followups`,
    );
    await c.run(
      `UPDATE staffing_followups f SET due_date = i.due_date FROM ${touched.invoices} i
       WHERE f.customer_id = i.customer_id AND f.invoice_id = i.invoice_id AND f.due_date IS DISTINCT FROM i.due_date`,
    );
    await c.run(`INSERT INTO staffing_followups SELECT * FROM staffing_new_followups`);
    let changes = 0;
    for (const zone of zones) {
      for (const z of ZONE_TABLES) changes += await this.apply(c, z, zone.tz, range);
      await c.run(`UPDATE staffing_calendars SET last_batch_id = $upto, used_at = make_timestamp($used * 1000) WHERE tz = $tz`, {
        upto,
        tz: zone.tz,
        used: Math.round(this.usedAt.get(zone.tz) ?? Date.now()),
      });
    }
    const customers = Number((await c.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM staffing_touched`)).getRowObjects()[0].n);
    for (const t of ['staffing_touched', 'staffing_new_stages', 'staffing_stage_change', 'staffing_new_followups', 'staffing_followup_change']) await c.run(`DROP TABLE ${t}`);
    this.counters.refreshes++;
    this.counters.last_refresh = { customers, changes, ms: Math.round(performance.now() - started) };
  }

  /** Adds the change of (after, upto] to one zone's rows of one table; rows that sum to nothing go. Returns the change's row count. */
  private async apply(c: DuckDBConnection, z: (typeof ZONE_TABLES)[number], tz: string, range: { after: number; upto: number }): Promise<number> {
    const sums = 'sums' in z ? z.sums : [];
    const change = this.zoneQuery(z.query, 'staffing_stage_change', 'staffing_followup_change');
    await exec(c, `CREATE OR REPLACE TEMP TABLE staffing_zone_change AS ${change}`, { tz, ...range });
    const n = Number((await c.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM staffing_zone_change`)).getRowObjects()[0].n);
    if (n > 0) {
      const merged = [...z.keys, ...z.values.map((v) => `sum(${v})::${z.type} AS ${v}`), ...sums.map((v) => `sum(${v})::DOUBLE AS ${v}`)].join(', ');
      await c.run(
        `CREATE OR REPLACE TEMP TABLE staffing_zone_merged AS
         SELECT ${merged} FROM (SELECT * EXCLUDE (tz) FROM ${z.table} WHERE tz = $tz UNION ALL BY NAME SELECT * FROM staffing_zone_change)
         GROUP BY ${z.keys.join(', ')}
         HAVING ${z.values.map((v) => `sum(${v}) <> 0`).join(' OR ')}`,
        { tz },
      );
      await c.run(`DELETE FROM ${z.table} WHERE tz = $tz`, { tz });
      await c.run(`INSERT INTO ${z.table} BY NAME SELECT $tz AS tz, * FROM staffing_zone_merged`, { tz });
      await c.run(`DROP TABLE staffing_zone_merged`);
    }
    await c.run(`DROP TABLE staffing_zone_change`);
    return n;
  }

  finish(): void {}
}
