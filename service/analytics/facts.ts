/**
 * Derived facts kept current as events arrive: per-invoice facts (when paid in full, views,
 * reminders), per-fee facts (disputed or not), the contacts, payers per customer and month,
 * current per-customer facts, and the distinct customer ids of the events (the store's totals).
 *
 * Upkeep runs right after each ingest commit, off the request path and coalesced: it refreshes
 * only what the batches since its watermark touched, in one transaction of its own. It writes only
 * derived tables, so it runs beside ingestion (which writes only events) without conflicts, and
 * ingestion never waits for it. Readers stay consistent by awaiting `settle()` (the analysis
 * engine does) so no analysis sees events whose facts are not there yet. Each table's watermark
 * (the last batch it reflects) is stored with it, in the same transaction, so a crash simply
 * means the next start catches up from there.
 *
 * A derived table is versioned by the hash of its definition; when a release changes one, the
 * table is rebuilt from the events at start-up (events are the source of truth: derived tables
 * never need a data migration).
 *
 * Followers (the stored analysis bases, base-cache.ts) are brought to the same batch inside the
 * same transaction, so facts and bases are published together as one snapshot: its watermark is
 * what every analytical answer reports as `data_as_of`. Readers pass `readable()`, the staleness
 * gate: they answer from the published snapshot at once while it is at most `maxLagMs` behind the
 * newest committed batch (a catch-up is on its way), and wait for the catch-up only beyond that.
 * With `maxLagMs = 0` every reader waits (read-your-writes), as the unit and API tests want.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { Mutex } from '../db/mutex.ts';
import { namedParams } from '../db/sql-compose.ts';
import { sql } from '../db/sql-files.ts';
import type { Reuse } from '../db/versioned-cache.ts';
import { reflecting, reflects } from './reflected.ts';
import { analysisBaseSql, copyTouched, releaseTouched } from './base-sql.ts';

/** A batch range (after, upto]; after = null means every event. */
interface Range {
  after: number | null;
  upto: number | null;
}

/** Derived state kept at the facts' batch, inside the upkeep's transactions (base-cache.ts). */
export interface FactsFollower {
  /** At start-up, before the first catch-up: load or repair its own state. */
  open(c: DuckDBConnection): Promise<void>;
  /** After the facts reached `upto` in this transaction (everything recomputed when `rebuild`). */
  catchUp(c: DuckDBConnection, upto: number, rebuild: boolean): Promise<void>;
  /** The transaction of `open`, `catchUp` or `exclusive` committed (true) or rolled back. */
  finish(committed: boolean): void;
  /** At shutdown, after the last catch-up: stop and wait for work of its own (a build beside the catch-ups). */
  stop?(): Promise<void>;
}

/** The published snapshot: the last batch analyses reflect, and how far it is behind the newest. */
export interface Snapshot {
  batch_id: number;
  /** When that batch was received (null before any batch). */
  committed_at: string | null;
  /** Seconds since the oldest batch the snapshot does not reflect yet was received; 0 when current. */
  lag_seconds: number;
}

interface Derived {
  table: string;
  ddl: () => string;
  refresh: (c: DuckDBConnection, range: Range) => Promise<void>;
  definition: () => string;
  /** Computed with the payment-method map (a setting): rebuilt in full when the map changes. */
  followsPaymentMap?: boolean;
}

const run = async (c: DuckDBConnection, text: string, params: Record<string, unknown>) => {
  // A .sql file may hold several statements; bind each with the parameters it names.
  for (const statement of text.split(/;\s*\n/).map((s) => s.trim()).filter((s) => s && !/^(--[^\n]*\n?)*$/.test(s))) {
    await c.run(statement, namedParams(statement, params));
  }
};

/** Parameters of analysis_base.sql for current customer facts: the lifetime view as of tomorrow. */
export function currentFactsParams(now = new Date()) {
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 2));
  const endDate = end.toISOString().slice(0, 10);
  return { exp_start: '1900-01-01T00:00:00Z', exp_end: end.toISOString(), overdue_before: endDate, outcome_end: end.toISOString(), landmark: false };
}

/**
 * The derived tables. None has a primary key or other index, on purpose: the upkeep deletes the
 * touched customers' rows and inserts them anew, and DuckDB maintains an ART index row by row on
 * delete. Measured on the default set (3 M events): deleting the 38 916 fact_invoices rows of 2 500
 * customers took 954 ms plus 956 ms at commit with the key, 31 ms without; a full rebuild spent
 * 39 s of its 74 s deleting and committing fact_invoices, and 24 s on fact_payment_months. The
 * uniqueness a key would guard is the upkeep's own invariant (one watermark per table, moved in the
 * same transaction as the rows), and test/api/live-analytics.test.ts compares every table with one
 * rebuilt from scratch after each of 50 ingests, which a row counted twice would fail.
 */
const DERIVED: Derived[] = [
  {
    table: 'fact_invoices',
    ddl: () => `CREATE TABLE fact_invoices (
      customer_id VARCHAR NOT NULL, invoice_id VARCHAR NOT NULL, issued_at TIMESTAMPTZ, due_date DATE, amount DECIMAL(18,4),
      channel VARCHAR, paid_amount DECIMAL(18,4), paid_at TIMESTAMPTZ, first_viewed_at TIMESTAMPTZ,
      soft_reminders INTEGER, hard_reminders INTEGER)`,
    refresh: (c, range) => run(c, sql('facts/refresh_invoices'), { ...range }),
    definition: () => sql('facts/refresh_invoices'),
  },
  {
    table: 'fact_fees',
    ddl: () => `CREATE TABLE fact_fees (
      event_id VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, occurred_at TIMESTAMPTZ NOT NULL, invoice_id VARCHAR,
      fee_type VARCHAR, amount DECIMAL(18,4), disputed_at TIMESTAMPTZ)`,
    refresh: (c, range) => run(c, sql('facts/refresh_fees'), { ...range }),
    definition: () => sql('facts/refresh_fees'),
  },
  {
    table: 'fact_contacts',
    ddl: () => `CREATE TABLE fact_contacts (
      event_id VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, occurred_at TIMESTAMPTZ NOT NULL, channel VARCHAR, topic VARCHAR)`,
    refresh: (c, range) => run(c, sql('facts/refresh_contacts'), { ...range }),
    definition: () => sql('facts/refresh_contacts'),
  },
  {
    table: 'fact_payment_months',
    ddl: () => `CREATE TABLE fact_payment_months (
      customer_id VARCHAR NOT NULL, month_start DATE NOT NULL, first_paid_at TIMESTAMPTZ NOT NULL, first_automatic_at TIMESTAMPTZ)`,
    refresh: (c, range) => run(c, sql('facts/refresh_payment_months'), { ...range }),
    definition: () => sql('facts/refresh_payment_months'),
    followsPaymentMap: true,
  },
  {
    table: 'event_customer_ids',
    ddl: () => `CREATE TABLE event_customer_ids (customer_id VARCHAR NOT NULL)`,
    refresh: (c, range) => run(c, sql('facts/refresh_event_customers'), { ...range }),
    definition: () => sql('facts/refresh_event_customers'),
  },
  {
    table: 'event_method_labels',
    ddl: () => `CREATE TABLE event_method_labels (label VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, events BIGINT NOT NULL)`,
    refresh: (c, range) => run(c, sql('facts/refresh_method_labels'), { ...range }),
    definition: () => sql('facts/refresh_method_labels'),
  },
  {
    table: 'customer_facts',
    ddl: () => `CREATE TABLE customer_facts AS SELECT *, now() AS refreshed_at FROM (${analysisBaseSql()}) LIMIT 0`,
    refresh: async (c, range) => {
      await run(c, sql('facts/refresh_customers'), { ...range });
      if (range.after === null) {
        await c.run(`INSERT INTO customer_facts SELECT *, now() FROM (${analysisBaseSql()})`, { ...currentFactsParams(), ...range } as never);
        return;
      }
      // The touched customers' events and facts (refreshed above), copied once (base-sql.ts): the statement's scans
      // read them, not every row, and so do the stored bases after it (the transaction's end drops the copy).
      const touched = await copyTouched(c, range.after, range.upto!);
      await c.run(`INSERT INTO customer_facts SELECT *, now() FROM (${analysisBaseSql(touched)})`, { ...currentFactsParams(), ...range } as never);
    },
    definition: () => analysisBaseSql() + sql('facts/refresh_customers'),
    followsPaymentMap: true,
  },
];

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

export class FactsUpkeep {
  private readonly mutex = new Mutex();
  private pending: Promise<void> | null = null;
  /** When the first batch committed during the run in flight was noticed (null: none was). */
  private noticedDuringRun: number | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private firstNotice = 0;
  private rebuildCustomers = false;
  /** The last error of a background run; settle() rethrows it so readers never see stale facts silently. */
  private failure: unknown = null;
  /** Listeners told when the facts have caught up with new data (the base cache pre-warms on it). */
  readonly onSettled: (() => void)[] = [];
  /** How long the last catch-up took and how many batches it covered (for benchmarks). */
  lastRun: { batches: number; ms: number } | null = null;
  /** Kept at the facts' batch in the same transactions (see FactsFollower). */
  readonly followers: FactsFollower[] = [];
  /** The batch the published snapshot reflects (facts and followers alike). */
  watermark = 0;
  private lagProbe: { version: number; watermark: number; at: number; value: Promise<{ oldest: number | null; committedAt: string | null }> } | null = null;

  /**
   * @param delayMs how long a catch-up waits for more batches before it runs (a reader asking for
   *   the facts never waits for this: settle() starts it at once). Under sustained ingestion this
   *   turns one upkeep per batch into one per burst; `maxDelayMs` bounds the lag.
   */
  constructor(
    private readonly db: Database,
    private readonly delayMs = 2000,
    private readonly maxDelayMs = 30_000,
    /** The staleness bound of readers (ANALYSIS_MAX_LAG); 0: every reader waits for the catch-up. */
    readonly maxLagMs = 0,
  ) {}

  /** At start-up: create or rebuild every derived table whose definition changed, then catch up. */
  async ensure(log: (line: string) => void = () => undefined): Promise<void> {
    await this.db.withConnection(async (c) => {
      await c.run(`CREATE TABLE IF NOT EXISTS derived_tables (name VARCHAR PRIMARY KEY, definition_hash VARCHAR, built_at TIMESTAMPTZ, last_batch_id BIGINT DEFAULT 0)`);
      // Files written before per-table watermarks kept one shared watermark: carry it over.
      await c.run(`ALTER TABLE derived_tables ADD COLUMN IF NOT EXISTS last_batch_id BIGINT DEFAULT 0`);
      const old = (await c.runAndReadAll(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'facts_watermark'`)).getRowObjects()[0];
      if (Number(old.n) > 0) {
        await c.run(`UPDATE derived_tables SET last_batch_id = (SELECT coalesce(max(last_batch_id), 0) FROM facts_watermark) WHERE last_batch_id = 0`);
        await c.run(`DROP TABLE facts_watermark`);
      }
    });
    for (const d of DERIVED) {
      const h = hash(d.ddl() + d.definition());
      const current = await this.db.withConnection(async (c) => (await c.runAndReadAll(`SELECT definition_hash FROM derived_tables WHERE name = $n`, { n: d.table })).getRowObjects()[0]?.definition_hash);
      if (current === h) continue;
      const started = performance.now();
      let builtUpto = 0;
      await this.mutex.run(() =>
        this.inTransaction(async (c) => {
          // Built from every event up to now: its watermark starts at the latest batch.
          const upto = await maxBatch(c);
          builtUpto = upto;
          await c.run(`DROP TABLE IF EXISTS ${d.table}`);
          await c.run(d.ddl(), d.table === 'customer_facts' ? ({ ...currentFactsParams(), after: null, upto: null } as never) : undefined);
          await d.refresh(c, { after: null, upto: null });
          await c.run(`INSERT OR REPLACE INTO derived_tables VALUES ($n, $h, now(), $upto)`, { n: d.table, h, upto });
        }),
      );
      const took = `${((performance.now() - started) / 1000).toFixed(1)} s`;
      if (current) log(`rebuilt ${d.table} (its definition changed) in ${took}`);
      // A table new in this release, built from the events a file already holds (a one-off at its first start).
      else if (builtUpto > 0) log(`built ${d.table} (new in this release) from the stored events in ${took}`);
    }
    await this.mutex.run(() =>
      this.inTransaction(async (c) => {
        for (const f of this.followers) await f.open(c);
        this.watermarkIn = Number((await c.runAndReadAll(`SELECT coalesce(min(last_batch_id), 0) AS w FROM derived_tables`)).getRowObjects()[0].w);
      }, false),
    );
    await this.settle();
  }

  /** Set inside a transaction, published to `watermark` when it commits. */
  private watermarkIn: number | null = null;

  /**
   * Runs `fn` in a transaction of its own under the upkeep's lock, so it never interleaves with a
   * catch-up; `watermark` is the batch the facts reflect in that transaction. Followers use it to
   * build a window for the first time. It does not change the published snapshot.
   */
  exclusive<T>(fn: (c: DuckDBConnection, watermark: number) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      let result: T;
      await this.inTransaction(async (c) => {
        const w = Number((await c.runAndReadAll(`SELECT coalesce(min(last_batch_id), 0) AS w FROM derived_tables`)).getRowObjects()[0].w);
        result = await fn(c, w);
      }, false);
      return result!;
    });
  }

  /**
   * Runs `fn` under the upkeep's lock with no transaction of its own: no catch-up, base build or
   * deferred base drop interleaves with it. Erasure needs this: it deletes from every derived table
   * in one transaction, and a base dropped or built beside it either aborts that transaction or,
   * committed after it from an older snapshot, would bring the erased customer back.
   */
  held<T>(fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(fn);
  }

  /**
   * The staleness gate every analytical read passes first. Within the bound it returns at once
   * (and makes sure a catch-up is coming); beyond it, or with a bound of 0, it waits for the
   * catch-up, which is incremental and so proportional to the batches it takes in.
   */
  async readable(): Promise<Snapshot> {
    if (this.maxLagMs === 0) {
      await this.settle();
      return this.snapshot();
    }
    // Batches that arrive during a catch-up are newer than the bound allows only if the catch-up
    // itself took longer than the bound: then take another turn (they are few).
    for (let turn = 0; ; turn++) {
      const snapshot = await this.snapshot();
      if (snapshot.lag_seconds * 1000 <= this.maxLagMs || turn === 3) {
        if (this.failure) throw this.failure;
        if (snapshot.lag_seconds > 0 && !this.pending && !this.timer) this.notify();
        return snapshot;
      }
      await this.settle();
    }
  }

  /** An older snapshot (one batch), with its lag now: for answers served from state built on it. */
  async snapshotOf(batchId: number): Promise<Snapshot> {
    return this.lagged(batchId, await this.probe(batchId));
  }

  /**
   * Whether something computed from the snapshot at `batchId` may still be served while its
   * successor is computed: within the staleness bound (never with a bound of 0), and no settings,
   * catalogue or erasure write since `generation` (db.writesVersion when it was computed).
   * `slackMs`, the time its successor takes to compute, widens the bound by as much: a reader who
   * waited for the successor would get data that old by the time it is answered, so the wait
   * buys nothing fresher (the offer state on xlarge: an 18–30 s build against a 30 s bound made
   * every reader wait 16–18 s for it).
   */
  async stillServable(batchId: number, generation: number, slackMs = 0): Promise<boolean> {
    if (this.maxLagMs <= 0 || generation !== this.db.writesVersion) return false;
    const snapshot = await this.snapshotOf(batchId);
    if (snapshot.lag_seconds * 1000 > this.maxLagMs + slackMs) return false;
    this.judged.delete(batchId);
    this.judged.set(batchId, snapshot);
    if (this.judged.size > 16) this.judged.delete(this.judged.keys().next().value!);
    return true;
  }

  /**
   * An older snapshot as it was when judged servable (its lag at that moment), so an answer served
   * from it is stamped like one from the published snapshot: with the lag at the gate, not after
   * the answer was computed.
   */
  judgedSnapshot(batchId: number): Snapshot | undefined {
    return this.judged.get(batchId);
  }

  private readonly judged = new Map<number, Snapshot>();

  /** The reuse policy of slow derived answers (db/versioned-cache.ts) under this staleness gate. */
  reusePolicy(): Reuse {
    const generation = this.db.writesVersion;
    return {
      generation,
      run: async (compute) => {
        const { result, batchId } = await reflecting(this.watermark, compute);
        return { value: result, tag: batchId };
      },
      usable: (tag) => this.stillServable(tag, generation),
      served: reflects,
    };
  }

  /** The published snapshot and its lag (the commit times are read at most once per data version and 100 ms). */
  async snapshot(): Promise<Snapshot> {
    const w = this.watermark;
    const probe = this.lagProbe;
    if (!probe || probe.version !== this.db.version || probe.watermark !== w || performance.now() - probe.at > 100) {
      this.lagProbe = { version: this.db.version, watermark: w, at: performance.now(), value: this.probe(w) };
    }
    const read = await this.lagProbe!.value;
    // The probe may predate a catch-up that has since published a newer watermark: look again.
    if (this.watermark !== w) return this.snapshot();
    return this.lagged(w, read);
  }

  /** When batch `w` was received, and when the oldest batch after it was. */
  private probe(w: number): Promise<{ oldest: number | null; committedAt: string | null }> {
    return this.db.withConnection(async (c) => {
      const r = (
        await c.runAndReadAll(
          `SELECT epoch_ms(min(received_at) FILTER (WHERE batch_id > $w)) AS oldest,
                  strftime(max(received_at) FILTER (WHERE batch_id = $w), '%Y-%m-%dT%H:%M:%S.%gZ') AS committed_at
           FROM ingest_batches WHERE batch_id >= $w`,
          { w },
        )
      ).getRowObjects()[0];
      return { oldest: r.oldest === null ? null : Number(r.oldest), committedAt: (r.committed_at as string | null) ?? null };
    });
  }

  private lagged(w: number, read: { oldest: number | null; committedAt: string | null }): Snapshot {
    return { batch_id: w, committed_at: read.committedAt, lag_seconds: read.oldest === null ? 0 : Math.max(0, Math.round((Date.now() - read.oldest) / 100) / 10) };
  }

  /** Called after every committed ingest: schedule a catch-up, coalesced with whatever follows. */
  notify(): void {
    if (this.stopped) return;
    if (this.pending) {
      this.noticedDuringRun ??= Date.now();
      return;
    }
    this.schedule(Date.now());
  }

  /**
   * Arms the run for batches waiting since `since`. The deadline counts from the oldest batch not
   * reflected, also for batches that arrived during the previous run: counted from that run's end,
   * under a steady trickle a batch waited for the rest of the run, the whole deadline and its own
   * run (2 × run + deadline: lag_seconds up to 27.9 on the large set, where runs take 2–5 s, and
   * past the 30 s bound on xlarge, 9 s runs, where readers then waited for a catch-up).
   */
  private schedule(since: number): void {
    const now = Date.now();
    if (!this.timer) this.firstNotice = since;
    else clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.delayMs, this.firstNotice + this.deadlineMs() - now));
    this.timer = setTimeout(() => this.due(), wait);
    this.timer.unref();
  }

  /**
   * How long after the oldest unreflected batch a run must start: `maxDelayMs`, or less when the
   * last run took so long that starting then would publish it past the staleness bound (twice its
   * time, since runs vary).
   */
  private deadlineMs(): number {
    if (!this.maxLagMs || !this.lastRun) return this.maxDelayMs;
    return Math.max(0, Math.min(this.maxDelayMs, this.maxLagMs - 2 * this.lastRun.ms));
  }

  /**
   * At shutdown, before the database closes: no run is scheduled any more, and the one in flight
   * finishes (its transaction commits or rolls back whole). Batches not reflected yet are caught up
   * at the next start, from the watermark.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.pending;
    for (const f of this.followers) await f.stop?.();
  }

  /** The timer's turn: yield to ingests in flight (re-arm) unless the lag bound is reached. */
  private due(): void {
    const waited = Date.now() - this.firstNotice;
    const deadline = this.deadlineMs();
    if (this.db.ingestsInFlight > 0 && waited < deadline) {
      this.timer = setTimeout(() => this.due(), Math.min(this.delayMs, deadline - waited));
      this.timer.unref();
      return;
    }
    this.start();
  }

  private start(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending || this.stopped) return;
    this.pending = (async () => {
      try {
        // One run. Batches committed during it are scheduled after it (schedule(): the coalescing
        // delay, within a deadline counted from their arrival), not run again at once: a
        // catch-up's cost is mostly fixed (the scans that find the touched customers' rows), so
        // under a steady trickle an immediate second run, covering only the
        // seconds the first one took, doubled the background work for no fresher snapshot (on the
        // large set, two runs of 4–6 s every 20 s, against one every 15 s). The lag bound holds: a
        // reader beyond it settles (which starts a run at once), and settle() loops until its
        // target batch is reflected.
        this.noticedDuringRun = null;
        await this.mutex.run(() => this.catchUp());
        this.failure = null;
        for (const listener of this.onSettled) listener();
      } catch (error) {
        this.failure = error;
        console.error('derived facts upkeep failed (it will retry with the next batch):', error);
      } finally {
        this.pending = null;
        const since = this.noticedDuringRun;
        this.noticedDuringRun = null;
        if (since !== null && !this.stopped) this.schedule(since);
      }
    })();
  }

  /** Customer facts and payment months depend on the payment-method map: rebuild them with the next catch-up. */
  requestCustomerRebuild(): void {
    this.rebuildCustomers = true;
    this.notify();
  }

  /**
   * Resolves once every batch committed before the call is reflected in the derived facts (and a
   * requested rebuild is done). Batches committed after the call do not keep it waiting.
   */
  async settle(): Promise<void> {
    await this.db.liveSettled?.(); // live rows acknowledged before this call are applied first (events/live-writer.ts)
    const target = await this.db.withConnection(maxBatch);
    for (;;) {
      // Anything committed but not yet reflected? Then catch up now rather than after the delay.
      if (!this.pending && (this.rebuildCustomers || this.watermark < target)) this.start();
      if (!this.pending) break;
      await this.pending;
      if (this.failure) throw this.failure;
      if (this.watermark >= target && !this.rebuildCustomers) break;
    }
    if (this.failure) throw this.failure;
  }

  /** Full rebuild of every derived table (benchmarks compare it with the incremental upkeep). */
  async rebuildAll(): Promise<number> {
    await this.settle();
    const started = performance.now();
    await this.mutex.run(() =>
      this.inTransaction(async (c) => {
        for (const d of DERIVED) {
          await c.run(`DELETE FROM ${d.table}`);
          await d.refresh(c, { after: null, upto: null });
        }
        const upto = await maxBatch(c);
        for (const f of this.followers) await f.catchUp(c, upto, true);
      }),
    );
    return performance.now() - started;
  }

  private async catchUp(): Promise<void> {
    const started = performance.now();
    let batches = 0;
    await this.inTransaction(async (c) => {
      const upto = await maxBatch(c);
      const rebuild = this.rebuildCustomers;
      this.rebuildCustomers = false;
      const marks = new Map((await c.runAndReadAll(`SELECT name, last_batch_id FROM derived_tables`)).getRowObjects().map((r) => [String(r.name), Number(r.last_batch_id)]));
      for (const d of DERIVED) {
        const last = marks.get(d.table) ?? 0;
        if (upto > last) {
          await d.refresh(c, { after: last, upto });
          batches = Math.max(batches, upto - last);
        }
        if (rebuild && d.followsPaymentMap) await d.refresh(c, { after: null, upto: null });
      }
      await c.run(`UPDATE derived_tables SET last_batch_id = $upto WHERE last_batch_id < $upto`, { upto });
      for (const f of this.followers) await f.catchUp(c, upto, rebuild);
      this.watermarkIn = upto;
    });
    this.lastRun = { batches, ms: performance.now() - started };
  }

  /** One transaction of the upkeep; `publishes` says whether it changes what analyses see. */
  private async inTransaction(fn: (c: DuckDBConnection) => Promise<void>, publishes = true): Promise<void> {
    this.watermarkIn = null;
    await this.db.withConnection(async (c) => {
      await c.run('BEGIN TRANSACTION');
      try {
        await fn(c);
        await c.run('COMMIT');
      } catch (error) {
        await c.run('ROLLBACK').catch(() => undefined);
        await releaseTouched(c);
        for (const f of this.followers) f.finish(false);
        // A full disk or a fatal storage error seen here first must be the cause health reports.
        this.db.noticeFailure(error);
        throw error;
      }
      await releaseTouched(c);
      for (const f of this.followers) f.finish(true);
      if (this.watermarkIn !== null) this.watermark = this.watermarkIn;
      this.db.version++;
      if (publishes) this.db.analysisVersion++;
    });
  }
}

async function maxBatch(c: DuckDBConnection): Promise<number> {
  return Number((await c.runAndReadAll(`SELECT coalesce(max(batch_id), 0) AS b FROM ingest_batches`)).getRowObjects()[0].b);
}
