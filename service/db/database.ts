/**
 * The one DuckDB instance of the process and its connections. DuckDB allows one operation per
 * connection at a time, so every caller borrows its own connection from a small pool; writes that
 * must not interleave (ingest commits, settings, erasure) additionally take the single writer
 * lock, which also means concurrent ingests never conflict on the same primary key.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { storageFailure } from './failures.ts';
import { Mutex } from './mutex.ts';
import { VersionedCache } from './versioned-cache.ts';

export interface DatabaseOptions {
  path: string; // a file path, or ':memory:'
  memoryLimit?: string;
  threads?: number;
  /** DuckDB's checkpoint_threshold (default 256MiB, see below). */
  checkpointThreshold?: string;
}

export class Database {
  readonly path: string;
  readonly writer = new Mutex();
  private readonly idle: DuckDBConnection[] = [];
  private readonly dedicated: DuckDBConnection[] = [];
  /** Connections lent by withConnection() right now (a reader, a background build). */
  private readonly borrowed = new Set<DuckDBConnection>();
  private closed = false;
  private closing: Promise<void> | null = null;
  /** Bumped after every committed write, ingests included. */
  version = 0;
  /**
   * Bumped when what analyses see changes: the derived facts and analysis bases caught up with new
   * batches (analytics/facts.ts publishes them together), or a settings, catalogue or erasure write.
   * A plain ingest commit does not bump it: analyses answer from the published snapshot, so under
   * a steady trickle their caches turn over once per catch-up instead of once per request.
   */
  analysisVersion = 0;
  /**
   * Bumped by committed writes other than events and their catch-ups (settings, the offer
   * catalogue, an erasure): state built before one of these must never be served again, not even
   * while its successor is being built.
   */
  writesVersion = 0;
  /** The cache of derived answers of this database, retired when the analysed snapshot changes. */
  readonly cache = new VersionedCache(() => this.analysisVersion);
  /**
   * Ingest requests being read, validated or stored right now. Background work (derived-facts
   * upkeep, cache pre-warming) waits while it is non-zero, within its own bound on lag: during a
   * bulk load it would otherwise take a core from every next request.
   */
  ingestsInFlight = 0;
  /** Analytical requests being answered right now (http/result-cache.ts counts them): the start-up id scan gives way to them. */
  readsInFlight = 0;
  /** Set once DuckDB declared the database unusable (see failures.ts); told to `onFatal` listeners. */
  fatal: string | null = null;
  private lastDiskFull: string | null = null;
  readonly onFatal: ((cause: string) => void)[] = [];
  /**
   * Set by the live writer (events/live-writer.ts): run under the writer lock before and after
   * every other writer's transaction, so that rows acknowledged from the live log are applied
   * before anything else writes, and the ids a transaction that adds events stored are known to
   * the live path's duplicate check (`sinceBatch`: the highest batch id stored before it).
   */
  beforeWrite: ((addsEvents: boolean) => Promise<void>) | null = null;
  /** Set by the live writer: resolves once rows acknowledged so far are applied (bounded); readers that must see them await it. */
  liveSettled: (() => Promise<void>) | null = null;
  afterWrite: ((addsEvents: boolean, sinceBatch: number | null) => Promise<void>) | null = null;

  private constructor(
    private readonly instance: DuckDBInstance,
    path: string,
  ) {
    this.path = path;
  }

  static async open(options: DatabaseOptions): Promise<Database> {
    const config: Record<string, string> = {
      // Offline machines: only the bundled extensions (parquet, json, icu) may load.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'true',
      // DuckDB checkpoints when the write-ahead log passes this size. At the default 16 MiB, every
      // ingest request of 100 000 events (≈ 20 MiB of log) triggered a checkpoint of its own, which
      // doubled its commit; 256 MiB checkpoints once per million or so, at the price of a longer
      // log replay (a few seconds) after a crash.
      checkpoint_threshold: options.checkpointThreshold ?? '256MiB',
    };
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    const instance = await DuckDBInstance.create(options.path, config);
    const db = new Database(instance, options.path);
    // Timestamps are shown and bucketed in UTC whatever the host's zone.
    await db.withConnection((c) => c.run(`SET GLOBAL TimeZone = 'UTC'`));
    return db;
  }

  /** Borrow a connection for the duration of `fn`; never share one between two operations. */
  async withConnection<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('database is closed');
    const connection = this.idle.pop() ?? (await this.instance.connect());
    this.borrowed.add(connection);
    let healthy = true;
    try {
      return await fn(connection);
    } catch (error) {
      // A connection left inside a failed transaction must not go back to the pool.
      healthy = false;
      this.noticeFailure(error);
      throw error;
    } finally {
      this.borrowed.delete(connection);
      if (healthy && !this.closed && this.idle.length < 16) this.idle.push(connection);
      else connection.closeSync();
    }
  }

  /**
   * A connection of the caller's own for as long as it likes (the live writer keeps its temp
   * tables and prepared statements on one); closed with the database.
   */
  async dedicatedConnection(): Promise<DuckDBConnection> {
    if (this.closed) throw new Error('database is closed');
    const connection = await this.instance.connect();
    this.dedicated.push(connection);
    return connection;
  }

  /** Records a fatal storage failure the first time one is seen (callers on their own connections report theirs here). */
  noticeFailure(error: unknown): void {
    const failure = storageFailure(error);
    if (!failure || this.fatal) return;
    if (failure.kind === 'disk_full') {
      this.lastDiskFull = failure.cause;
      return;
    }
    // A write that failed on a full disk (say, the WAL on commit) can invalidate the database
    // while its own error reads only "No space left"; the statements after it then say just
    // "invalidated because of a previous fatal error". The cause an operator needs is the first.
    const generic = /invalidated because of a previous fatal error/i.test(failure.cause);
    this.fatal = generic && this.lastDiskFull ? `${failure.cause} (the storage error before it: ${this.lastDiskFull})` : failure.cause;
    for (const listener of this.onFatal) listener(this.fatal);
  }

  /** Close a connection from dedicatedConnection() before the database closes. */
  closeDedicated(connection: DuckDBConnection): void {
    const at = this.dedicated.indexOf(connection);
    if (at < 0) return;
    this.dedicated.splice(at, 1);
    connection.closeSync();
  }

  /**
   * Run `fn` as the only writer, in one transaction that commits or rolls back as a whole. Pass
   * `on` to use a connection the caller already holds (its temp tables stay visible), and
   * `addsEvents` when it inserts events (see beforeWrite).
   */
  async transaction<T>(fn: (connection: DuckDBConnection) => Promise<T>, on?: DuckDBConnection, options: { addsEvents?: boolean } = {}): Promise<T> {
    const addsEvents = options.addsEvents ?? false;
    return this.writer.run(async () => {
      if (this.beforeWrite) await this.beforeWrite(addsEvents);
      let since: number | null = null;
      try {
        if (addsEvents && this.afterWrite) {
          since = await this.withConnection(async (c) => Number((await c.runAndReadAll(`SELECT coalesce(max(batch_id), 0) AS b FROM ingest_batches`)).getRowObjects()[0].b));
        }
        return await (on ? this.runTransaction(fn, on, addsEvents) : this.withConnection((c) => this.runTransaction(fn, c, addsEvents)));
      } finally {
        if (this.afterWrite) await this.afterWrite(addsEvents, since);
      }
    });
  }

  /**
   * One transaction on `connection`, without the writer lock or the hooks: for a caller that holds
   * the lock (the live writer). `eventsOnly` says it only added events (an ingest): analyses see
   * them once the derived facts catch up, so the analysed snapshot does not change with the commit.
   */
  async runTransaction<T>(fn: (connection: DuckDBConnection) => Promise<T>, connection: DuckDBConnection, eventsOnly = false): Promise<T> {
    await connection.run('BEGIN TRANSACTION');
    try {
      const result = await fn(connection);
      await connection.run('COMMIT');
      this.version++;
      if (!eventsOnly) {
        this.analysisVersion++;
        this.writesVersion++;
      }
      return result;
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      this.noticeFailure(error);
      throw error;
    }
  }

  /**
   * A transaction on a pooled connection, outside the writer lock and without a version bump: for
   * tables no analysis reads (saved views, alert rules and deliveries, campaign members), whose
   * writes must not retire cached analyses. Noticed storage failures are recorded as everywhere.
   */
  async ownTransaction<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.withConnection(async (c) => {
      await c.run('BEGIN TRANSACTION');
      try {
        const out = await fn(c);
        await c.run('COMMIT');
        return out;
      } catch (error) {
        await c.run('ROLLBACK').catch(() => undefined);
        this.noticeFailure(error);
        throw error;
      }
    });
  }

  /**
   * Closes the database once no connection is lent out. DuckDB frees an instance, and checkpoints
   * and truncates its file, only when its last connection closes: a query still running at close
   * (a reader, a background build, the start-up id scan) kept the old instance alive, and a
   * database opened again on the same file in the same process (a restart in a test or a
   * benchmark) then read blocks the old one was rewriting ("Could not read enough bytes from
   * file", seen on the xlarge set). So running queries are interrupted (the writers that must
   * finish, the live writer and the facts upkeep, are stopped before this by the server's
   * shutdown), and this resolves only after they have returned their connections, or after
   * `graceMs` at most.
   */
  close(graceMs = 10_000): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.closing = (async () => {
      for (const c of this.borrowed) c.interrupt();
      const deadline = performance.now() + graceMs;
      while (this.borrowed.size && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      for (const c of [...this.idle.splice(0), ...this.dedicated.splice(0)]) c.closeSync();
      this.instance.closeSync();
    })();
    return this.closing;
  }
}
