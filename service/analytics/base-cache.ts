/**
 * Analysis bases (queries/analysis_base.sql: one row per customer with the exposures and outcome
 * of one analysis window) kept in the database file and brought up to date incrementally, so that
 * neither new events nor a restart send a reader into a rebuild.
 *
 * - **Stored, not cached.** Each base is a table `analysis_base_<hash>` in the file, registered in
 *   `analysis_bases` with its window, the hash of its definition and the last batch it reflects.
 *   A restart finds them there: the first page after `npm start` reads a stored base. A release
 *   that changes the definition drops them at start-up and they are built again.
 * - **Incremental.** A base row is a function of one customer's own events (and the derived facts
 *   and settings), so a batch range (after, upto] changes only the rows of customers it touched
 *   with an event dated inside the window (`occurred_at` before its outcome end: a later event
 *   cannot change the row). The facts upkeep (facts.ts) calls `catchUp` in the same transaction
 *   that brings the derived facts up to `upto`: those rows are deleted and recomputed, every other
 *   row stays. Late and out-of-order events land in whatever window they are dated in, because the
 *   touched customers are recomputed from all of their events. Settings that every row depends on
 *   (the payment-method map) rebuild every base in full, in that background transaction.
 * - **Published together.** Facts and every base move to `upto` in one commit, so an analysis that
 *   reads several bases (summary: this period and the previous one) sees one snapshot, and readers
 *   keep reading the previous snapshot (MVCC) while a catch-up runs: they never wait for it unless
 *   it is older than the staleness bound (FactsUpkeep.readable()).
 * - **The default as-of moves with the bases.** The dashboard's default as-of is the date of the
 *   latest event. When new events move it, the catch-up builds the bases of the new default windows
 *   first and publishes the date with them (`analysis_defaults`), so no reader lands on a window
 *   whose base does not exist yet.
 * - **Bounded.** At most KEEP bases are kept up to date; the least recently used beyond that is
 *   unregistered (its table dropped a minute later, as a reader may still hold its name), except
 *   the default windows. A window never analysed before (a past as-of, another look-back) is built
 *   once, the only time a reader waits; segment filters never need a build (runner.ts filters the
 *   base).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { createHash, randomUUID } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { sql } from '../db/sql-files.ts';
import type { FactsFollower, FactsUpkeep } from './facts.ts';
import { defaultScopesFor, type AnalysisScope, type BaseParams } from './scope.ts';
import { analysisBaseSql, copyTouched, type BaseSources } from './base-sql.ts';

const KEEP = 8;
const TABLE = /^analysis_base_[0-9a-f]{16}$/;

interface Entry {
  key: string;
  table: string;
  params: BaseParams;
  lastBatch: number;
  usedAt: number;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
const keyOf = (params: BaseParams) => JSON.stringify([params.exp_start, params.exp_end, params.overdue_before, params.outcome_end, params.landmark]);

/** Everything a base row is computed from: its own statement and the derived facts it reads. */
const definitionHash = () => hash(analysisBaseSql() + sql('facts/refresh_invoices') + sql('facts/refresh_fees'));

export interface BaseCounters {
  /** Bases built from all events since start-up (a restart on a stored base should add none). */
  builds: number;
  /** Incremental catch-ups applied to bases since start-up. */
  refreshes: number;
  /** Full rebuilds of every base (settings that every row depends on changed). */
  rebuilds: number;
  /** The last incremental catch-up: customers recomputed over all bases, and its time. */
  last_refresh: { bases: number; customers: number; ms: number } | null;
}

export class BaseCache implements FactsFollower {
  private readonly entries = new Map<string, Entry>();
  private readonly building = new Map<string, Promise<string>>();
  private defaultAsOf: string | null = null;
  private skippedDefaults = 0;
  readonly counters: BaseCounters = { builds: 0, refreshes: 0, rebuilds: 0, last_refresh: null };
  /**
   * ENGINE SWITCH (issue 14, ANALYSIS_ENGINE=spark): when set, a base is built from all events by
   * this function (SparkEngine.buildBaseOnSpark: Spark computes it from the lake and the result is
   * read back into `table` on the given connection, inside the base store's transaction) instead of
   * by DuckDB. The increments after it stay with DuckDB (they are proportional to the batch), so
   * the registered batch is the facts' watermark: whatever the lake held beyond it is recomputed.
   */
  /** Whether the catch-up builds the default windows of a new latest date (SPARK_PREWARM). */
  buildDefaults = true;
  buildElsewhere: ((params: BaseParams, table: string, c: DuckDBConnection) => Promise<unknown>) | null = null;

  constructor(
    private readonly db: Database,
    private readonly upkeep: FactsUpkeep,
  ) {
    upkeep.followers.push(this);
  }

  /** The bases kept up to date now (for status reports). */
  get size(): number {
    return this.entries.size;
  }

  /** The published default as-of (the latest event date the stored default bases are built for). */
  get publishedAsOf(): string | null {
    return this.defaultAsOf;
  }

  /** At start-up, inside the upkeep's first transaction: load the registry, drop what is stale. */
  async open(c: DuckDBConnection): Promise<void> {
    await c.run(`CREATE TABLE IF NOT EXISTS analysis_bases (
      key VARCHAR PRIMARY KEY, table_name VARCHAR NOT NULL, params VARCHAR NOT NULL, definition_hash VARCHAR NOT NULL,
      last_batch_id BIGINT NOT NULL, built_at TIMESTAMPTZ NOT NULL, used_at TIMESTAMPTZ NOT NULL)`);
    await c.run(`CREATE TABLE IF NOT EXISTS analysis_defaults (name VARCHAR PRIMARY KEY, value VARCHAR)`);
    const current = definitionHash();
    const rows = (await c.runAndReadAll(`SELECT key, table_name, params, definition_hash, last_batch_id, epoch_ms(used_at) AS used FROM analysis_bases`)).getRowObjects();
    const tables = (await c.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name LIKE 'analysis_base_%'`)).getRowObjects();
    const existing = new Set(tables.map((r) => String(r.table_name)));
    for (const r of rows) {
      // A registry row whose table is gone (a file written by a release that could drop a rebuilt
      // base) would fail every reader of that window: forget it, and the window is built again.
      if (r.definition_hash !== current || !TABLE.test(String(r.table_name)) || !existing.has(String(r.table_name))) {
        await c.run(`DELETE FROM analysis_bases WHERE key = $k`, { k: String(r.key) });
        continue;
      }
      this.entries.set(String(r.key), { key: String(r.key), table: String(r.table_name), params: JSON.parse(String(r.params)), lastBatch: Number(r.last_batch_id), usedAt: Number(r.used) });
    }
    // Tables no registry row names: left by a release with another definition, or by eviction.
    const known = new Set([...this.entries.values()].map((e) => e.table));
    for (const t of tables.map((r) => String(r.table_name)).filter((t) => TABLE.test(t) && !known.has(t))) await c.run(`DROP TABLE ${t}`);
    const published = (await c.runAndReadAll(`SELECT value FROM analysis_defaults WHERE name = 'default_as_of'`)).getRowObjects()[0];
    this.defaultAsOf = published ? String(published.value) : null;
    // The published date is only good while its default bases exist.
    if (this.defaultAsOf && !defaultScopesFor(this.defaultAsOf).every((s) => this.entries.has(keyOf(s.params)))) this.defaultAsOf = null;
  }

  /**
   * The qualified name of the base table for this scope. A stored base is returned at once,
   * whatever batch it reflects (the caller has passed the staleness gate); a window never built
   * before is built now, once, under the upkeep's lock so it cannot interleave with a catch-up.
   */
  async table(scope: AnalysisScope): Promise<string> {
    await this.upkeep.readable();
    const key = keyOf(scope.params);
    const hit = this.entries.get(key);
    if (hit) {
      hit.usedAt = Date.now();
      return hit.table;
    }
    let pending = this.building.get(key);
    if (!pending) {
      pending = this.upkeep
        .exclusive(async (c, watermark) => {
          const again = this.entries.get(key);
          if (again) return again.table;
          const entry = await this.build(c, scope.params, watermark);
          await this.evict(c);
          return entry.table;
        })
        .finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    return pending;
  }

  /** Builds and registers the base of one window from every event, reflecting batches up to `watermark`. */
  private async build(c: DuckDBConnection, params: BaseParams, watermark: number): Promise<Entry> {
    return this.register(c, params, await this.create(c, params), watermark);
  }

  /** Creates the table of one window from every event visible to `c` (DuckDB, or the engine switch). */
  private async create(c: DuckDBConnection, params: BaseParams): Promise<string> {
    // A fresh name per build: an evicted base's table is dropped a minute later, and when the same
    // window was built again meanwhile under the same name, that drop removed the registered base
    // and every reader of it failed until a restart (found by schemathesis, issue 17).
    const table = `analysis_base_${hash(keyOf(params) + definitionHash() + randomUUID())}`;
    if (this.buildElsewhere) await this.buildElsewhere(params, table, c);
    else await c.run(`CREATE TABLE ${table} AS ${analysisBaseSql()}`, { ...params, after: null, upto: null } as never);
    return table;
  }

  /** Registers `table` as the window's base, reflecting batches up to `batch`; readers see it once the transaction commits. */
  private async register(c: DuckDBConnection, params: BaseParams, table: string, batch: number): Promise<Entry> {
    const key = keyOf(params);
    await c.run(`INSERT OR REPLACE INTO analysis_bases VALUES ($key, $table, $params, $hash, $batch, now(), now())`, {
      key,
      table,
      params: JSON.stringify(params),
      hash: definitionHash(),
      batch,
    });
    const entry: Entry = { key, table, params, lastBatch: batch, usedAt: Date.now() };
    // Visible to readers only once the transaction commits (the upkeep registers it then).
    this.pendingEntries.push(entry);
    this.counters.builds++;
    return entry;
  }

  /** The new default windows being built beside the catch-ups, if any. */
  private ahead: Promise<void> | null = null;
  /** Moves with every erasure and full rebuild: a window built from an older snapshot is then stale. */
  private generation = 0;

  /** An erasure committed (called inside its transaction, under the upkeep's lock). */
  erased(): void {
    this.generation++;
  }

  /**
   * Builds windows of a new default date from a snapshot of their own, outside the upkeep's lock,
   * so catch-ups keep publishing meanwhile: built under the lock (as before), the day's first
   * catch-up held every other one back for the whole build, and readers beyond the staleness bound
   * waited for it (22.8 s on the large set; that catch-up took 185 s at 98 M events). The tables are
   * then registered under the lock as reflecting the snapshot's batch, and the next catch-up brings
   * them to its own (the touched customers only), checks that every default window exists and
   * publishes the date. If an erasure or a full rebuild came in between, the tables may hold what
   * it removed or changed: they are dropped and the next catch-up starts again. Unregistered tables
   * left by a crash are dropped at start-up (open()).
   */
  private buildAhead(scopes: AnalysisScope[]): void {
    if (this.ahead || this.stopping) return;
    const generation = this.generation;
    this.ahead = (async () => {
      const made: { params: BaseParams; table: string }[] = [];
      let batch = 0;
      await this.db.withConnection(async (c) => {
        this.aheadConnection = c;
        await c.run('BEGIN TRANSACTION');
        try {
          batch = Number((await c.runAndReadAll(`SELECT coalesce(min(last_batch_id), 0) AS w FROM derived_tables`)).getRowObjects()[0].w);
          for (const s of scopes) made.push({ params: s.params, table: await this.create(c, s.params) });
          if (this.aheadDelayMs > 0) await new Promise((r) => setTimeout(r, this.aheadDelayMs));
          await c.run('COMMIT');
        } catch (error) {
          await c.run('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          this.aheadConnection = null;
        }
      });
      if (this.stopping) return; // committed but never registered: dropped at the next start-up (open())
      await this.upkeep.exclusive(async (c) => {
        const stale = generation !== this.generation;
        for (const m of made) {
          if (stale || this.entries.has(keyOf(m.params))) await c.run(`DROP TABLE IF EXISTS ${m.table}`);
          else await this.register(c, m.params, m.table, batch);
        }
      });
      this.upkeep.notify();
    })()
      .catch((error: unknown) => {
        if (!this.stopping) console.error('building the new default windows failed (the next catch-up tries again):', error);
      })
      .finally(() => (this.ahead = null));
  }

  private stopping = false;
  private aheadConnection: DuckDBConnection | null = null;

  /** At shutdown: a build beside the catch-ups is interrupted (it is started again after the restart). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.aheadConnection?.interrupt();
    await this.ahead;
  }

  /** Test hook: the windows built ahead wait this long before their transaction commits. */
  aheadDelayMs = 0;

  private pendingEntries: Entry[] = [];
  private pendingDrops: string[] = [];
  private pendingDefault: string | null | undefined = undefined;

  /** Called by the upkeep after the transaction of `catchUp`/`exclusive` committed or rolled back. */
  settled(committed: boolean): void {
    if (committed) {
      for (const e of this.pendingEntries) this.entries.set(e.key, e);
      for (const t of this.pendingDrops) {
        for (const [k, e] of this.entries) if (e.table === t) this.entries.delete(k);
        // A reader may have taken the name just before: drop the table a little later.
        // Under the upkeep's lock: an erasure deleting from this table meanwhile would fail on the drop.
        setTimeout(() => void this.upkeep.held(() => this.db.withConnection((c) => c.run(`DROP TABLE IF EXISTS ${t}`))).catch(() => undefined), 60_000).unref();
      }
      if (this.pendingDefault !== undefined) this.defaultAsOf = this.pendingDefault;
    }
    this.pendingEntries = [];
    this.pendingDrops = [];
    this.pendingDefault = undefined;
  }

  /** Unregisters the least recently used bases beyond KEEP, never the default windows. */
  private async evict(c: DuckDBConnection): Promise<void> {
    const pinned = new Set((this.pendingDefault ?? this.defaultAsOf) ? defaultScopesFor((this.pendingDefault ?? this.defaultAsOf)!).map((s) => keyOf(s.params)) : []);
    const all = [...this.entries.values(), ...this.pendingEntries].filter((e) => !this.pendingDrops.includes(e.table));
    const candidates = all.filter((e) => !pinned.has(e.key)).sort((a, b) => b.usedAt - a.usedAt);
    const keepOthers = Math.max(0, KEEP - (all.length - candidates.length));
    for (const e of candidates.slice(keepOthers)) {
      await c.run(`DELETE FROM analysis_bases WHERE key = $k`, { k: e.key });
      this.pendingDrops.push(e.table);
      this.pendingEntries = this.pendingEntries.filter((p) => p !== e);
    }
  }

  /**
   * Inside the upkeep's transaction, after the derived facts reached `upto`: bring every base to
   * `upto` (recompute the touched customers, or everything when `rebuild`), then make sure the
   * default windows of the latest event date exist and publish that date.
   */
  async catchUp(c: DuckDBConnection, upto: number, rebuild: boolean): Promise<void> {
    const started = performance.now();
    let customers = 0;
    let bases = 0;
    const behind = [...this.entries.values()].filter((e) => e.lastBatch < upto);
    // One copy of the touched customers' events and facts serves every base's recomputation (base-sql.ts).
    // (The upkeep drops the copy when its transaction ends.)
    const touched: BaseSources | null = !rebuild && behind.length ? await copyTouched(c, Math.min(...behind.map((e) => e.lastBatch)), upto) : null;
    for (const e of this.entries.values()) {
      if (rebuild) {
        await c.run(`DELETE FROM ${e.table}`);
        await c.run(`INSERT INTO ${e.table} ${analysisBaseSql()}`, { ...e.params, after: null, upto: null } as never);
      } else if (e.lastBatch < upto) {
        const range = { after: e.lastBatch, upto, outcome_end: e.params.outcome_end };
        customers += Number((await c.run(sql('bases/forget_touched', { base: e.table }), range)).rowsChanged);
        await c.run(`INSERT INTO ${e.table} ${analysisBaseSql(touched!)}`, { ...e.params, after: e.lastBatch, upto } as never);
        bases++;
      } else continue;
      await c.run(`UPDATE analysis_bases SET last_batch_id = $upto, used_at = make_timestamp($used * 1000) WHERE key = $k`, { upto, used: Math.round(e.usedAt), k: e.key });
    }
    if (rebuild) {
      this.counters.rebuilds++;
      this.generation++;
    }
    else if (bases) {
      this.counters.refreshes++;
      this.counters.last_refresh = { bases, customers, ms: Math.round(performance.now() - started) };
    }
    await this.publishDefaults(c, upto);
    // The in-memory marks move only when the transaction commits (see settled()).
    const moved = [...this.entries.values()];
    this.afterCommit = () => {
      for (const e of moved) e.lastBatch = Math.max(e.lastBatch, upto);
    };
  }

  private afterCommit: (() => void) | null = null;

  /** The upkeep tells its followers how the transaction ended. */
  finish(committed: boolean): void {
    if (committed) this.afterCommit?.();
    this.afterCommit = null;
    this.settled(committed);
  }

  private async publishDefaults(c: DuckDBConnection, upto: number): Promise<void> {
    const latest = (await c.runAndReadAll(`SELECT strftime(max(occurred_at), '%Y-%m-%d') AS d FROM events WHERE occurred_at <= now() + INTERVAL 1 DAY`)).getRowObjects()[0]?.d as string | null;
    if (!latest || latest === this.defaultAsOf || !this.buildDefaults) return;
    // Building windows mid-load would slow the load and be stale at once: while ingests are in
    // flight keep the published date (its bases exist), unless that has gone on for a while.
    if (this.defaultAsOf && this.db.ingestsInFlight > 0 && this.skippedDefaults++ < 3) return;
    this.skippedDefaults = 0;
    const missing = defaultScopesFor(latest).filter((s) => !this.entries.has(keyOf(s.params)) && !this.pendingEntries.some((e) => e.key === keyOf(s.params)));
    // A running service with a staleness bound keeps publishing catch-ups while the new day's
    // windows are built beside them (buildAhead); the date moves with the catch-up after that.
    // Read-your-writes (a bound of 0) and a first publication build them here.
    if (missing.length && this.defaultAsOf && this.upkeep.maxLagMs > 0) {
      this.buildAhead(missing);
      return;
    }
    for (const scope of missing) await this.build(c, scope.params, upto);
    await c.run(`INSERT OR REPLACE INTO analysis_defaults VALUES ('default_as_of', $d)`, { d: latest });
    this.pendingDefault = latest;
    await this.evict(c);
  }
}
