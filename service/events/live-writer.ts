/**
 * The live writer: small requests are judged row by row in memory, acknowledged once their group
 * is written and fdatasynced to the live log (live-log.ts), and applied to DuckDB behind the
 * acknowledgement by a single applier in large transactions. A 2xx therefore still means durable:
 * the log is replayed into DuckDB at start-up before the server answers anything (replay()).
 *
 * Why (profiled with `node --cpu-prof` under 32 keep-alive clients on 3 M events, the old group
 * commit that answered after the DuckDB commit): the main thread was idle ~95 % of the time; the
 * service's CPU (1.6–2.3 ms per 1-event request) went to DuckDB's threads, two 10–20 ms stages per
 * group (primary-key look-ups, appender flush, insert, commit and its WAL sync), and a request's
 * latency was that of its group. JavaScript per request (hono, body, JSON.parse, the pre-check,
 * the answer) was a few hundred µs. So DuckDB left the acknowledgement path; what remains on it is
 * JavaScript and one fdatasync per group.
 *
 * What stays exactly right:
 * - Per-row answers at acknowledgement: accepted, duplicate, or rejected with its code. Rows the
 *   fast pre-check (fast-check.ts) is sure of are judged in JavaScript; any other row is judged
 *   by the validation SQL (the "lane", rare). Duplicates are judged against (1) ids claimed by
 *   acknowledged or in-flight requests not yet applied (`claims`), (2) the stored ids: a Bloom
 *   filter of every id ever stored or claimed (id-filter.ts) says "certainly new" for almost every
 *   new id, and a possible hit is checked against the primary-key index (~1 ms for a group).
 *   A claim is taken synchronously (the fast path) or under the writer lock (the lane), so no
 *   commit of the applier or of a bulk request can fall between a look-up and its claim.
 * - Exactly once across crashes: a group is one log record carrying its batch id; applying it
 *   writes its `ingest_batches` row in the same DuckDB transaction as its events and rejected
 *   rows, so replay skips records already applied. Batch ids come from the same `batch_seq`
 *   sequence as bulk batches (reserved a few hundred at a time).
 * - Every other writer drains first: Database.transaction() calls `beforeWrite` under the writer
 *   lock, which writes and applies everything acknowledged so far; a transaction that adds events
 *   (the bulk path) also pauses fast claims until its commit and then adds its ids to the filter,
 *   so a live copy of a bulk row is judged against it (stored once, answered duplicate).
 * - Rejected rows, with raw text and reason, are in the log like accepted ones.
 * - Back-pressure: rows and bytes claimed but not yet applied, and the age of the oldest, are
 *   bounded; beyond a bound a request is refused at once (IngestOverloaded, 503 + Retry-After),
 *   so memory stays bounded when the applier falls behind.
 * - Read-your-writes: settled() resolves once everything acknowledged before the call is applied
 *   (the API awaits it before reads, bounded by READ_WAIT_MS).
 */
import { storedRaw } from './readers/body-limits.ts';
import { DuckDBTimestampTZValue, listValue, type DuckDBAppender, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../db/database.ts';
import { storageFailure } from '../db/failures.ts';
import { appendTypedRows, DEFAULT_DATE_BOUNDS, fastCheck, fastRowOf, type DateBounds, type FastRow } from './fast-check.ts';
import { IdFilter } from './id-filter.ts';
import type { AfterIngest, IngestError, IngestResult } from './ingest.ts';
import { EVENT_COLUMN_NAMES } from './ingest.ts';
import type { Ledger } from './ledger.ts';
import { LiveLog, type LogRecord } from './live-log.ts';
import type { LiveRow } from './live-rows.ts';
import { validationSql } from './validation-sql.ts';

export interface GroupCommitOptions {
  /** Rows acknowledged or waiting but not yet applied to DuckDB, at most. */
  maxQueuedRows: number;
  /** Text (UTF-16 units, an estimate of memory) of those rows, at most. */
  maxQueuedBytes: number;
  /** The oldest of those may have waited this long; new requests are refused beyond it. */
  maxQueueMs: number;
  /** Rows of one log record, at most (a longer queue is written as several). */
  maxGroupRows: number;
  /** Test hook: extra milliseconds every apply holds the writer (simulates a slow disk). */
  writerDelayMs: number;
  /** Test hook: the start-up id filter is put in use this many milliseconds after its scan ends, and a bulk batch's ids reach it this much later after its commit. */
  filterDelayMs: number;
  /** Bytes of one live-log segment before the next one opens (16 MiB; smaller in tests). */
  logSegmentBytes: number;
  /** The plausible dates the validation SQL applies (the fast pre-check must apply the same). */
  dateBounds: DateBounds;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = {
  maxQueuedRows: 200_000,
  maxQueuedBytes: 64 * 1024 * 1024,
  // As long as a reader waits for acknowledged rows (READ_WAIT_MS). The applier's commits stop
  // while DuckDB checkpoints (1.1–2.8 s under load, see CHECKPOINT_BACKLOG_SEGMENTS): a 2 s bound
  // refused requests at every such pause, although the applier was not falling behind; the row
  // and byte bounds, not this one, are what keep memory bounded.
  maxQueueMs: 5_000,
  maxGroupRows: 20_000,
  writerDelayMs: 0,
  filterDelayMs: 0,
  logSegmentBytes: 16 * 1024 * 1024,
  dateBounds: DEFAULT_DATE_BOUNDS,
};

/** How long a reader waits for acknowledged rows to be applied before it reads anyway. */
export const READ_WAIT_MS = 5_000;
/** Rows applied in one DuckDB transaction, at most. */
const APPLY_ROWS = 50_000;
/** The applier waits up to this long for more rows before a transaction, unless a reader waits or this many rows queue. */
const APPLY_PAUSE_MS = 50;
const APPLY_EARLY_ROWS = 5_000;
/**
 * At most one checkpoint this often for the live log's sake. Every commit waits while DuckDB
 * checkpoints (0.15–1.5 s on the 3 M-event sample under load), so checkpointing at every closed
 * 16 MiB segment, every 1.5 s at 45 000 events/s, stalled the applier for 13–15 % of the time
 * (11 checkpoints, 4.7 s, in one bench run; 4 now); closed segments wait a few seconds longer on
 * disk instead (replayed, never doubled, after a crash), and a timer lets them go when that time
 * is up even if nothing more is applied.
 */
const CHECKPOINT_EVERY_MS = 5_000;
/**
 * While acknowledged rows wait to be applied, the log's checkpoint waits for a lull, unless this
 * many closed segments (64 MiB at the default size) wait for it. A DuckDB append to `events` (it
 * has a primary key) cannot commit while a checkpoint runs, and under load a checkpoint took
 * 1.1–2.8 s (its compression of the new row groups shares the two cores with the requests):
 * in a 15 s bench phase of 20-event requests the applier stalled at every one, the oldest waiting
 * row passed the queue-age bound, and 991–3 270 requests were refused with 503. In a lull the
 * checkpoint delays nobody; under a long burst this bound keeps the log's disk, and its replay
 * after a crash (every record is read back into memory), to a few segments.
 */
const CHECKPOINT_BACKLOG_SEGMENTS = 4;
/** How soon a checkpoint deferred for a backlog looks again. */
const CHECKPOINT_LULL_RETRY_MS = 250;
const MAX_ERRORS = 100;
const COLUMNS = EVENT_COLUMN_NAMES.map((c) => `"${c}"`).join(', ');

/** The writer is too far behind to take this request now; nothing of it was stored. */
export class IngestOverloaded extends Error {
  constructor(
    readonly reason: 'queue_rows' | 'queue_bytes' | 'queue_age' | 'bulk_requests',
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
  }
}

/** Latencies of the last few thousand events of a kind, for status and health. */
class Recent {
  private readonly values = new Float64Array(2048);
  private n = 0;
  add(ms: number): void {
    this.values[this.n++ % this.values.length] = ms;
  }
  summary(): { count: number; p50: number | null; p99: number | null; max: number | null } {
    const xs = Array.from(this.values.subarray(0, Math.min(this.n, this.values.length))).sort((a, b) => a - b);
    const q = (p: number) => (xs.length ? Math.round(xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] * 10) / 10 : null);
    return { count: this.n, p50: q(0.5), p99: q(0.99), max: xs.length ? Math.round(xs[xs.length - 1] * 10) / 10 : null };
  }
}

/** A request on its way: judged rows (once judged) and its answer. */
interface Request {
  rows: LiveRow[];
  size: number;
  mediaType: string;
  source: string | null;
  enqueuedAt: number;
  readMs: number;
  /** Fast pre-check verdicts by row index (null: the SQL must judge it). */
  fast: (FastRow | null)[];
  now: Date;
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
  // Filled by claim():
  seq: number;
  result: IngestResult;
  accepted: FastRow[];
  slowAccepted: [number, string][];
  rejectedRows: LogRecord['r'];
  ids: string[];
  judgedAt: number;
}

/** A record written to the log and not yet applied. */
interface Unapplied {
  record: LogRecord;
  fast: FastRow[];
  ids: { id: string; seq: number }[];
  rows: number;
  bytes: number;
  enqueuedAt: number;
  loggedAt: number;
  lastSeq: number;
}

interface SlowVerdict {
  id: string | null;
  type: string | null;
  code: string | null;
  message: string | null;
  raw: string | null;
}

export class LiveWriter {
  readonly log: LiveLog;
  private filter = new IdFilter(1_000_000);
  /** event_id → seq of the request that claimed it, until its record is applied. */
  private readonly claims = new Map<string, number>();
  /** Judged, waiting for their log write. */
  private pending: Request[] = [];
  /** Needing the SQL or an index look-up before they can be judged. */
  private lane: Request[] = [];
  private readonly unapplied: Unapplied[] = [];
  private flushing: Promise<void> | null = null;
  private laneRunning = false;
  private applying: Promise<void> | null = null;
  /** Fast claims are paused while a transaction that adds events runs. */
  private paused = 0;
  /**
   * Catch-ups of the filter after a bulk commit, still reading the batch's ids (afterWrite). While
   * one runs, the filter may lack ids that are stored, so every id counts as possibly stored.
   */
  private readonly filterCatchUps = new Set<Promise<void>>();
  private seq = 0;
  /** Every request up to this seq is applied or failed. */
  private doneSeq = 0;
  private waiters: { seq: number; resolve: () => void }[] = [];
  private batchIds: number[] = [];
  /** Bumped around every transaction that adds events: reserved ids from before it are dropped. */
  private idGen = 0;
  private reserving: Promise<void> | null = null;
  /** Rows and bytes claimed and not yet applied (pending + unapplied + lane). */
  private queuedRows = 0;
  private queuedBytes = 0;
  private judgeConn: Promise<DuckDBConnection> | null = null;
  private applyConns: Promise<{ stage: DuckDBConnection; commit: DuckDBConnection; typed: DuckDBAppender; rejected: DuckDBAppender; batches: DuckDBAppender }> | null = null;
  /** A log write that failed in a way that leaves the log untrustworthy; every later request is refused with it. */
  private broken: Error | null = null;
  /** The applier's last attempt failed on a full disk (cleared by the next success). */
  private applyFailure: Error | null = null;
  private closing = false;
  private readonly ackMs = new Recent();
  private readonly logMs = new Recent();
  private readonly applyMs = new Recent();
  private readonly applyLagMs = new Recent();
  private readonly rowsPerRecord = new Recent();
  records = 0;
  applies = 0;
  refused = 0;
  laneRequests = 0;
  lookups = 0;

  constructor(
    private readonly db: Database,
    private readonly afterIngest: AfterIngest[] = [],
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
    private readonly ledger: Ledger | null = null,
  ) {
    this.log = LiveLog.open(db.path, options.logSegmentBytes);
    db.beforeWrite = (addsEvents) => this.beforeWrite(addsEvents);
    db.afterWrite = (addsEvents, sinceBatch) => this.afterWrite(addsEvents, sinceBatch);
    db.liveSettled = () => this.settled();
  }

  /**
   * Start-up, before the server answers: every record of the log not yet in DuckDB is applied
   * (those whose batch id ingest_batches holds were applied before the crash), DuckDB is
   * checkpointed and the log emptied; then the filter of stored ids is built.
   */
  async replay(note: (line: string) => void = () => undefined): Promise<{ records: number; applied: number }> {
    const { records, segments } = this.log.readAll(note);
    let applied = 0;
    if (records.length) {
      const present = await this.db.withConnection(async (c) => {
        const rows = (await c.runAndReadAll(`SELECT batch_id FROM ingest_batches WHERE batch_id >= $min`, { min: Math.min(...records.map((r) => r.b)) })).getRowObjects();
        return new Set(rows.map((r) => Number(r.batch_id)));
      });
      const todo = records.filter((r) => !present.has(r.b));
      for (const record of todo) {
        this.unapplied.push({ record, fast: record.a.map(fastRowOf), ids: [], rows: record.a.length + record.v.length + record.r.length, bytes: 0, enqueuedAt: performance.now(), loggedAt: performance.now(), lastSeq: 0 });
      }
      await this.db.writer.run(async () => {
        while (this.unapplied.length) await this.applyLocked(this.takeApplyBatch());
      });
      applied = todo.length;
      // The sequence must be past every batch id the log used, even if its own advance was lost.
      const maxLogged = Math.max(...records.map((r) => r.b));
      await this.db.withConnection(async (c) => {
        const next = Number((await c.runAndReadAll(`SELECT nextval('batch_seq') AS v`)).getRowObjects()[0].v);
        if (next <= maxLogged) await c.run(`SELECT max(nextval('batch_seq')) FROM range($n)`, { n: maxLogged - next + 1 });
      });
      if (applied) note(`live log: ${applied} acknowledged groups replayed into the database (${records.length - applied} were already there)`);
    }
    if (segments.length) {
      await this.db.withConnection((c) => c.run('CHECKPOINT'));
      this.log.removeFiles(segments);
    }
    // In the background: until it is complete every id is looked up in the index (id-filter.ts),
    // and the service answers meanwhile instead of waiting for a scan of every stored id.
    this.filterBuilt = this.buildFilter(true).catch((error: unknown) => {
      if (!this.closing) console.error('the event_id filter could not be built (ids are looked up in the index meanwhile):', error);
    });
    return { records: records.length, applied };
  }

  /** Resolves once the start-up filter is complete (or failed; ids are then looked up in the index). */
  filterBuilt: Promise<void> = Promise.resolve();
  /** The filter being built, if any: every id remembered meanwhile goes into it too. */
  private next: IdFilter | null = null;

  /** False only for an id certainly not stored: the filter rules it out and is not catching up. */
  private mayBeStored(id: string): boolean {
    return this.filterCatchUps.size > 0 || this.filter.mayHave(id);
  }

  /** An id stored or claimed: into the filter in use and the one being built. */
  private remember(id: string): void {
    this.filter.add(id);
    this.next?.add(id);
  }

  /**
   * The filter of stored ids, from one streamed scan of event_id, put in use once complete. The
   * ids claimed so far go in before the scan and every id remembered during it goes in too, so an
   * id committed after the scan's snapshot began is not missed. Only the start-up build gives way
   * to readers: a rebuild for capacity runs while fast claims are paused (afterWrite).
   */
  private async buildFilter(startUp = false): Promise<void> {
    if (this.next) return;
    await this.db.withConnection(async (c) => {
      const n = Number((await c.runAndReadAll(`SELECT count(*) AS n FROM events`)).getRowObjects()[0].n);
      const next = new IdFilter(2 * n + 1_000_000);
      this.next = next;
      try {
        for (const id of this.claims.keys()) next.add(id);
        // A close stops the scan between chunks (the filter is then left incomplete, unused). At
        // start-up it pauses while analytical requests are being answered (a paused stream holds
        // DuckDB's scan too): beside it, the first summary after a restart on the large set took
        // 1.4–1.9 s instead of 0.3 s. The pauses add up to at most 5 s, so steady dashboard traffic
        // cannot keep every id on the index look-up for hours.
        let pauseBudgetMs = startUp ? 5_000 : 0;
        const giveWay = async () => {
          while (pauseBudgetMs > 0 && this.db.readsInFlight > 0 && !this.closing) {
            await new Promise((r) => setTimeout(r, 5));
            pauseBudgetMs -= 5;
          }
        };
        await addStoredIds(c, (id) => next.add(id), `SELECT event_id FROM events`, {}, () => this.closing, giveWay);
        if (this.options.filterDelayMs > 0) await new Promise((r) => setTimeout(r, this.options.filterDelayMs));
        if (this.closing) return;
        next.complete = true;
        this.filter = next;
      } finally {
        this.next = null;
      }
    });
  }

  /** Queue one request's rows; resolves with its own result once its group is in the log. */
  submit(rows: LiveRow[], size: number, mediaType: string, source: string | null, readMs: number): Promise<IngestResult> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.db.fatal) return Promise.reject(new Error(`FATAL Error: ${this.db.fatal}`));
    // The applier cannot write to DuckDB because the disk is full: say so (507) rather than queue more.
    if (this.applyFailure && this.unapplied.length) return Promise.reject(this.applyFailure);
    const o = this.options;
    const refuse = (reason: IngestOverloaded['reason'], message: string) => {
      this.refused++;
      // Retry after about the time the applier takes to catch up at its recent rate.
      const applyMs = this.applyMs.summary().p50 ?? 50;
      const drainSeconds = Math.max(1, Math.ceil((applyMs * (1 + this.unapplied.length)) / 1000));
      return Promise.reject(new IngestOverloaded(reason, Math.min(drainSeconds, 30), message));
    };
    if (this.queuedRows > 0) {
      const oldest = this.unapplied[0]?.enqueuedAt ?? this.pending[0]?.enqueuedAt ?? this.lane[0]?.enqueuedAt;
      if (oldest !== undefined && performance.now() - oldest > o.maxQueueMs) {
        return refuse('queue_age', `acknowledged rows wait more than ${o.maxQueueMs} ms to be applied; retry later`);
      }
      if (this.queuedRows + rows.length > o.maxQueuedRows) {
        return refuse('queue_rows', `${this.queuedRows} rows are waiting to be applied (limit ${o.maxQueuedRows}); retry later`);
      }
      if (this.queuedBytes + size > o.maxQueuedBytes) {
        return refuse('queue_bytes', `the ingest queue is full (${o.maxQueuedBytes} bytes); retry later`);
      }
    }
    const now = new Date();
    const nowMs = now.getTime();
    const fast = rows.map((row) => (row.code === null && row.doc !== null ? fastCheck(row.doc, nowMs, o.dateBounds) : null));
    return new Promise((resolve, reject) => {
      const request = { rows, size, mediaType, source, enqueuedAt: performance.now(), readMs, fast, now, resolve, reject } as Request;
      this.queuedRows += rows.length;
      this.queuedBytes += size;
      if (!this.paused && this.fastOnly(request)) {
        this.claim(request, null, null);
        this.kickFlush();
      } else {
        this.laneRequests++;
        this.lane.push(request);
        if (!this.laneRunning) void this.runLane();
      }
    });
  }

  /** Whether every row passed the pre-check and every id is certainly new or certainly claimed. */
  private fastOnly(r: Request): boolean {
    for (const f of r.fast) {
      if (f === null) return false;
      if (!this.claims.has(f.eventId) && this.mayBeStored(f.eventId)) return false;
    }
    return true;
  }

  /**
   * Judges a request's rows and claims its new ids: synchronous, so nothing interleaves. `slow`:
   * the SQL's verdicts for the rows the pre-check left (by row index); `stored`: ids the index
   * holds among those the filter could not rule out.
   */
  private claim(r: Request, slow: Map<number, SlowVerdict> | null, stored: Set<string> | null): void {
    r.seq = ++this.seq;
    r.judgedAt = performance.now();
    r.accepted = [];
    r.slowAccepted = [];
    r.rejectedRows = [];
    r.ids = [];
    const result: IngestResult = { batch_id: 0, accepted: 0, duplicates: 0, rejected: 0, errors: [] as IngestError[], timings_ms: { read: Math.round(r.readMs), validate: 0, queue: 0, store: 0 } };
    const take = (id: string) => {
      if (this.claims.has(id) || stored?.has(id)) {
        result.duplicates++;
        return false;
      }
      this.claims.set(id, r.seq);
      this.remember(id);
      r.ids.push(id);
      result.accepted++;
      return true;
    };
    r.rows.forEach((row, i) => {
      const f = r.fast[i];
      if (f) {
        if (take(f.eventId)) r.accepted.push(f);
        return;
      }
      const v = slow!.get(i)!;
      if (v.code !== null) {
        result.rejected++;
        if (result.errors.length < MAX_ERRORS) result.errors.push({ row: row.rn, event_id: v.id, code: v.code, message: v.message! });
        r.rejectedRows.push([row.rn, v.id, v.type, v.code, v.message!, v.raw]);
      } else if (take(v.id!)) r.slowAccepted.push([row.rn, row.doc!]);
    });
    r.result = result;
    this.pending.push(r);
  }

  /** The lane: requests needing the validation SQL or an index look-up, judged in groups. */
  private async runLane(): Promise<void> {
    this.laneRunning = true;
    try {
      while (this.lane.length) {
        const group = this.lane.splice(0);
        try {
          const verdicts = await this.validateSlow(group);
          // Look-up and claim under the writer lock: no commit may fall between them.
          await this.db.writer.run(async () => {
            const candidates = new Set<string>();
            group.forEach((r, k) => {
              r.fast.forEach((f, i) => {
                const id = f ? f.eventId : verdicts[k].get(i)?.code === null ? verdicts[k].get(i)!.id : null;
                if (id !== null && !this.claims.has(id) && this.mayBeStored(id)) candidates.add(id);
              });
            });
            const stored = await this.storedAmong([...candidates]);
            for (const [k, r] of group.entries()) this.claim(r, verdicts[k], stored);
          });
          this.kickFlush();
        } catch (error) {
          this.db.noticeFailure(error);
          this.fail(group, error, false);
        }
      }
    } finally {
      this.laneRunning = false;
    }
  }

  /** Ids the primary-key index holds among `ids`. */
  private async storedAmong(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    this.lookups++;
    return this.db.withConnection(async (c) => {
      const out = new Set<string>();
      for (let i = 0; i < ids.length; i += 2000) {
        const part = ids.slice(i, i + 2000);
        // `= ANY(list)` is answered by index look-ups (0.8 ms for a few ids at 3 M events).
        const rows = (await c.runAndReadAll(`SELECT event_id FROM events WHERE event_id = ANY($ids::VARCHAR[])`, { ids: listValue(part) } as never)).getRowObjects();
        for (const row of rows) out.add(String(row.event_id));
      }
      return out;
    });
  }

  /** The validation SQL's verdicts for the rows the pre-check left, per request (by row index). */
  private async validateSlow(group: Request[]): Promise<Map<number, SlowVerdict>[]> {
    const slow: { k: number; i: number; row: LiveRow }[] = [];
    group.forEach((r, k) => r.fast.forEach((f, i) => f === null && slow.push({ k, i, row: r.rows[i] })));
    const out = group.map(() => new Map<number, SlowVerdict>());
    if (slow.length === 0) return out;
    const c = await this.judgeConnection();
    await stageDocs(c, slow.map((s, n) => ({ rn: n + 1, doc: s.row.doc, raw: s.row.raw, code: s.row.code, message: s.row.message })));
    await c.run(`CREATE OR REPLACE TEMP TABLE validated AS ${validationSql({ kind: 'documents' })}`, { now: group[0].now.toISOString() });
    const rows = (await c.runAndReadAll(`SELECT rn, left(event_id, 256) AS event_id, left(type, 64) AS type, code, message, raw FROM validated`)).getRowObjects();
    for (const v of rows) {
      const s = slow[Number(v.rn) - 1];
      const str = (x: unknown) => (x === null || x === undefined ? null : String(x));
      out[s.k].set(s.i, { id: str(v.event_id), type: str(v.type), code: str(v.code), message: str(v.message), raw: str(v.raw) ?? s.row.raw ?? s.row.doc });
    }
    await c.run(`DELETE FROM staged`);
    return out;
  }

  private judgeConnection(): Promise<DuckDBConnection> {
    this.judgeConn ??= (async () => {
      const c = await this.db.dedicatedConnection();
      await c.run(`CREATE OR REPLACE TEMP TABLE staged (rn INTEGER, doc VARCHAR, raw VARCHAR, pre_code VARCHAR, pre_message VARCHAR)`);
      return c;
    })();
    this.judgeConn.catch(() => (this.judgeConn = null));
    return this.judgeConn;
  }

  private kickFlush(): void {
    if (this.flushing || !this.pending.length) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
      this.maybeAllDone();
    });
  }

  /** Writes judged requests to the log, one record per group, one write + fdatasync each; answers them after it. */
  private async flushLoop(): Promise<void> {
    while (this.pending.length) {
      // Let requests answered a moment ago come back first: a closed-loop producer resubmits
      // within a tick, and a record that leaves it out is half empty.
      await new Promise((r) => setImmediate(r));
      let rows = 0;
      let n = 0;
      while (n < this.pending.length && (n === 0 || rows + this.pending[n].rows.length <= this.options.maxGroupRows)) rows += this.pending[n++].rows.length;
      const group = this.pending.splice(0, n);
      try {
        const batch = await this.nextBatchId();
        const media = new Set(group.map((r) => r.mediaType));
        const sources = new Set(group.map((r) => r.source));
        const source = group.length === 1 ? group[0].source : `${group.length} requests${sources.size === 1 && group[0].source ? `: ${group[0].source}` : ''}`;
        const record: LogRecord = {
          b: batch,
          t: group[0].now.toISOString(),
          m: media.size === 1 ? group[0].mediaType : 'mixed',
          s: source?.slice(0, 512) ?? null,
          n: rows,
          d: group.reduce((s, r) => s + r.result.duplicates, 0),
          a: group.flatMap((r) => r.accepted.map((f) => f.doc)),
          v: group.flatMap((r) => r.slowAccepted),
          r: group.flatMap((r) => r.rejectedRows),
        };
        const t0 = performance.now();
        await this.log.append(record);
        const logged = performance.now();
        this.logMs.add(logged - t0);
        this.records++;
        this.rowsPerRecord.add(rows);
        this.unapplied.push({
          record,
          fast: group.flatMap((r) => r.accepted),
          ids: group.flatMap((r) => r.ids.map((id) => ({ id, seq: r.seq }))),
          rows,
          bytes: group.reduce((s, r) => s + r.size, 0),
          enqueuedAt: group[0].enqueuedAt,
          loggedAt: logged,
          lastSeq: group[group.length - 1].seq,
        });
        for (const r of group) {
          r.result.batch_id = batch;
          r.result.timings_ms = { read: Math.round(r.readMs), validate: Math.round(r.judgedAt - r.enqueuedAt), queue: Math.round(t0 - r.judgedAt), store: Math.round(logged - t0) };
          this.ackMs.add(logged - r.enqueuedAt);
          r.resolve(r.result);
        }
        this.kickApply();
      } catch (error) {
        // Nothing of this group is in the log (a failed write is cut back); the requests judged
        // behind it may count its ids as taken, so they fail too.
        const all = [...group, ...this.pending.splice(0)];
        const disk = /ENOSPC|EDQUOT/.test(String((error as NodeJS.ErrnoException)?.code ?? error));
        const failure = disk ? new Error(`No space left on device (live log): ${String(error)}`) : error;
        // The log shares the disk with the database: if DuckDB dies of it next, this is the cause.
        this.db.noticeFailure(failure);
        this.fail(all, failure, !disk);
      }
    }
  }

  /** Answers `requests` with `error` and releases their claims. `fatal`: the log cannot be written any more. */
  private fail(requests: Request[], error: unknown, fatal: boolean): void {
    for (const r of requests) {
      for (const id of r.ids ?? []) if (this.claims.get(id) === r.seq) this.claims.delete(id);
      this.queuedRows -= r.rows.length;
      this.queuedBytes -= r.size;
      r.reject(error);
    }
    if (fatal) {
      this.broken = error instanceof Error ? error : new Error(String(error));
      console.error(`live log: a write failed (${this.broken.message}); live ingestion refuses requests until a restart`);
    }
  }

  /** Nothing claimed is waiting any more (after failures, which are never applied): every waiter may go. */
  private maybeAllDone(): void {
    if (!this.pending.length && !this.unapplied.length && !this.flushing) this.advanceDone(this.seq);
  }

  private async nextBatchId(): Promise<number> {
    if (this.batchIds.length < 64) void this.reserveIds();
    while (this.batchIds.length === 0) await this.reserveIds();
    return this.batchIds.shift()!;
  }

  /** A few hundred batch ids from batch_seq at a time: one sequence for live and bulk batches. */
  private reserveIds(): Promise<void> {
    const gen = this.idGen;
    this.reserving ??= this.db
      .withConnection(async (c) => {
        const ids = (await c.runAndReadAll(`SELECT nextval('batch_seq') AS id FROM range(256)`)).getRowObjects().map((r) => Number(r.id));
        // A bulk batch took an id meanwhile: these might be below it, and the derived-facts
        // upkeep reads batches in id order, so a live batch must never be applied after a bulk
        // batch with a higher id. Dropped (a gap in the ids, nothing more).
        if (gen === this.idGen) this.batchIds.push(...ids.sort((a, b) => a - b));
      })
      .finally(() => (this.reserving = null));
    return this.reserving;
  }

  private kickApply(): void {
    if (!this.applying && this.unapplied.length && !this.closing) this.applying = this.applyLoop().finally(() => (this.applying = null));
  }

  private async applyLoop(): Promise<void> {
    let failures = 0;
    while (this.unapplied.length) {
      // Nobody waits for these rows (they are acknowledged already): let a few more arrive, so one
      // transaction carries many groups. Its statements cost about the same for 20 rows as for
      // 5 000, and they take CPU from the requests being acknowledged.
      const since = performance.now();
      while (!this.waiters.length && !this.closing && this.queuedRows < APPLY_EARLY_ROWS && performance.now() - since < APPLY_PAUSE_MS) {
        await new Promise((r) => setTimeout(r, 5));
      }
      try {
        await this.db.writer.run(async () => {
          if (this.unapplied.length) await this.applyLocked(this.takeApplyBatch());
        });
        failures = 0;
        this.applyFailure = null;
        await this.maybeCheckpoint();
      } catch (error) {
        this.db.noticeFailure(error);
        if (this.db.fatal) return;
        if (storageFailure(error)?.kind === 'disk_full') this.applyFailure = error instanceof Error ? error : new Error(String(error));
        failures++;
        console.error(`live writer: applying acknowledged rows failed (${String(error).split('\n')[0]}); retrying (attempt ${failures})`);
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * failures)));
      }
    }
  }

  /** The records at the head of the queue, up to APPLY_ROWS rows (at least one record). */
  private takeApplyBatch(): Unapplied[] {
    const out: Unapplied[] = [];
    let rows = 0;
    for (const u of this.unapplied) {
      if (out.length && rows + u.rows > APPLY_ROWS) break;
      out.push(u);
      rows += u.rows;
    }
    return out;
  }

  private connections() {
    this.applyConns ??= (async () => {
      const stage = await this.db.dedicatedConnection();
      const commit = await this.db.dedicatedConnection();
      // Typed rows pass from the staging connection to the committing one through an attached
      // in-memory database (temp tables are private to a connection).
      await stage.run(`ATTACH IF NOT EXISTS ':memory:' AS live_mem`);
      await stage.run(`CREATE OR REPLACE TEMP TABLE staged (rn INTEGER, doc VARCHAR, raw VARCHAR, pre_code VARCHAR, pre_message VARCHAR)`);
      await stage.run(`CREATE OR REPLACE TABLE live_mem.typed AS SELECT ${COLUMNS}, 0::INTEGER AS seq, 0::INTEGER AS gen FROM events LIMIT 0`);
      await stage.run(`CREATE OR REPLACE TABLE live_mem.rejected AS SELECT * FROM rejected_rows LIMIT 0`);
      await stage.run(`CREATE OR REPLACE TABLE live_mem.batches AS SELECT * FROM ingest_batches LIMIT 0`);
      return {
        stage,
        commit,
        typed: await stage.createAppender('typed', 'main', 'live_mem'),
        rejected: await stage.createAppender('rejected', 'main', 'live_mem'),
        batches: await stage.createAppender('batches', 'main', 'live_mem'),
      };
    })();
    this.applyConns.catch(() => (this.applyConns = null));
    return this.applyConns;
  }

  /** Applies records in one transaction (the caller holds the writer lock), then releases their claims. */
  private async applyLocked(batch: Unapplied[]): Promise<void> {
    const t0 = performance.now();
    let conns;
    try {
      conns = await this.connections();
      const { stage, commit, typed, rejected, batches } = conns;
      await stage.run(`DELETE FROM live_mem.typed`);
      await stage.run(`DELETE FROM live_mem.rejected`);
      await stage.run(`DELETE FROM live_mem.batches`);
      let accepted = 0;
      const fast = batch.flatMap((u) => u.fast);
      appendTypedRows(typed, fast, fast.map(() => 0), batch.flatMap((u) => u.fast.map(() => u.record.b)));
      for (const u of batch) {
        const rec = u.record;
        accepted += rec.a.length + rec.v.length;
        const received = new Date(rec.t);
        for (const [rn, id, type, code, message, raw] of rec.r) {
          rejected.appendBigInt(BigInt(rec.b));
          rejected.appendBigInt(BigInt(rn));
          rejected.appendTimestampTZ(tsOf(received));
          const kept = storedRaw(code, message, raw);
          for (const x of [id, type, code, message, kept.raw]) (x === null ? rejected.appendNull() : rejected.appendVarchar(x));
          if (kept.bytes === null) rejected.appendNull();
          else rejected.appendBigInt(BigInt(kept.bytes));
          rejected.endRow();
        }
        batches.appendBigInt(BigInt(rec.b));
        batches.appendTimestampTZ(tsOf(received));
        batches.appendVarchar(rec.m);
        for (const x of [rec.n, rec.a.length + rec.v.length, rec.d, rec.r.length]) batches.appendBigInt(BigInt(x));
        rec.s === null ? batches.appendNull() : batches.appendVarchar(rec.s);
        batches.endRow();
      }
      typed.flushSync();
      rejected.flushSync();
      batches.flushSync();
      // Rows the validation SQL judged are converted by the same SQL, all of the batch in one
      // statement (it costs ~30 ms however few rows it judges), with the newest record's clock: a
      // later clock only widens the plausible range, so a row accepted then is accepted now.
      const slow = batch.flatMap((u) => u.record.v.map(([, doc]) => ({ doc, gen: u.record.b })));
      if (slow.length) {
        await stageDocs(stage, slow.map((x, i) => ({ rn: i + 1, doc: x.doc, raw: null, code: null, message: null })));
        await stage.run(`CREATE OR REPLACE TEMP TABLE validated AS ${validationSql({ kind: 'documents' })}`, { now: batch[batch.length - 1].record.t });
        const gens = listValue(slow.map((x) => x.gen));
        const r = await stage.run(`INSERT INTO live_mem.typed SELECT ${COLUMNS.split(', ').map((c) => `v.${c}`).join(', ')}, 0, ($gens::INTEGER[])[v.rn] FROM validated v WHERE v.code IS NULL`, { gens } as never);
        if (Number(r.rowsChanged) !== slow.length) console.error(`live writer: ${slow.length - Number(r.rowsChanged)} acknowledged rows no longer pass validation (the plausible-date settings changed?) and are not stored`);
        await stage.run(`DELETE FROM staged`);
      }
      await this.db.runTransaction(async (c) => {
        const inserted = await c.run(`INSERT INTO events (${COLUMNS}, batch_id) SELECT ${COLUMNS}, gen FROM live_mem.typed`);
        if (Number(inserted.rowsChanged) > accepted) throw new Error('live writer: more rows inserted than accepted');
        await c.run(`INSERT INTO rejected_rows SELECT * FROM live_mem.rejected`);
        await c.run(`INSERT INTO ingest_batches SELECT * FROM live_mem.batches`);
        if (this.options.writerDelayMs > 0) await new Promise((r) => setTimeout(r, this.options.writerDelayMs));
      }, commit, true);
    } catch (error) {
      // The connections may sit in a failed state: the next attempt opens new ones.
      const old = this.applyConns;
      this.applyConns = null;
      old?.then(({ stage, commit, typed, rejected, batches }) => {
        for (const a of [typed, rejected, batches]) {
          try {
            a.closeSync();
          } catch {
            /* the connection goes regardless */
          }
        }
        this.db.closeDedicated(stage);
        this.db.closeDedicated(commit);
      }).catch(() => undefined);
      throw error;
    }
    const done = performance.now();
    this.applies++;
    this.applyMs.add(done - t0);
    const ids = batch.map((u) => u.record.b);
    this.unapplied.splice(0, batch.length);
    for (const u of batch) {
      this.applyLagMs.add(done - u.loggedAt);
      for (const { id, seq } of u.ids) if (this.claims.get(id) === seq) this.claims.delete(id);
      this.queuedRows -= u.lastSeq ? u.rows : 0;
      this.queuedBytes -= u.lastSeq ? u.bytes : 0;
    }
    this.applied.push(...ids);
    await this.ledger?.append(ids);
    for (const hook of this.afterIngest) hook(ids[ids.length - 1]);
    const last = batch[batch.length - 1].lastSeq;
    if (last) this.advanceDone(last);
    this.maybeAllDone();
  }

  /** Batch ids applied since the last checkpoint, so closed log segments know they may go. */
  private applied: number[] = [];

  private lastCheckpoint = 0;
  private readonly checkpointMs = new Recent();
  /** The checkpoint under way (the applier's and the timer's never overlap). */
  private checkpointRun: Promise<void> | null = null;
  /** Set when closed segments wait for the interval: they go then, even if nothing is applied meanwhile. */
  private checkpointTimer: NodeJS.Timeout | null = null;

  private maybeCheckpoint(): Promise<void> {
    this.checkpointRun ??= this.checkpointOnce().finally(() => (this.checkpointRun = null));
    return this.checkpointRun;
  }

  private checkpointLater(wait: number): void {
    if (this.checkpointTimer || this.closing) return;
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = null;
      if (this.closing || this.db.fatal) return;
      this.maybeCheckpoint().catch((error: unknown) => {
        this.db.noticeFailure(error);
        console.error(`live writer: a checkpoint for the live log failed (${String(error).split('\n')[0]}); its segments wait for the next one`);
      });
    }, wait);
    this.checkpointTimer.unref();
  }

  private async checkpointOnce(): Promise<void> {
    const appliedSet = new Set(this.applied);
    const done = this.log.appliedClosed((b) => appliedSet.has(b));
    if (done.length === 0) return;
    const wait = CHECKPOINT_EVERY_MS - (performance.now() - this.lastCheckpoint);
    if (wait > 0) return this.checkpointLater(wait);
    if (this.unapplied.length && done.length < CHECKPOINT_BACKLOG_SEGMENTS) return this.checkpointLater(CHECKPOINT_LULL_RETRY_MS);
    // A segment goes only once DuckDB's checkpoint has its rows in the database file. DuckDB
    // refuses a checkpoint while another transaction has created a table (a base being built):
    // then the segments wait for the next try.
    try {
      const t = performance.now();
      await this.db.withConnection((c) => c.run('CHECKPOINT'));
      this.lastCheckpoint = performance.now();
      this.checkpointMs.add(this.lastCheckpoint - t);
    } catch (error) {
      if (String(error).includes('Cannot CHECKPOINT')) return this.checkpointLater(CHECKPOINT_EVERY_MS);
      throw error;
    }
    this.log.dropClosed(done);
    const dropped = new Set(done.flatMap((s) => s.batches));
    this.applied = this.applied.filter((b) => !dropped.has(b));
  }

  private advanceDone(seq: number): void {
    if (seq <= this.doneSeq) return;
    this.doneSeq = seq;
    const ready = this.waiters.filter((w) => w.seq <= seq);
    this.waiters = this.waiters.filter((w) => w.seq > seq);
    for (const w of ready) w.resolve();
  }

  /**
   * Resolves once every request judged (acknowledged, or being written) before the call is applied to
   * DuckDB, or after `maxMs` (readers then see a slightly older state rather than waiting on).
   * Immediate when nothing waits, which is the usual case outside sustained ingestion.
   */
  settled(maxMs = READ_WAIT_MS): Promise<void> {
    const target = this.seq;
    if (target <= this.doneSeq) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxMs);
      timer.unref?.();
      this.waiters.push({ seq: target, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** Under the writer lock, before another writer's transaction: write and apply everything acknowledged. */
  private async beforeWrite(addsEvents: boolean): Promise<void> {
    if (addsEvents) this.paused++;
    try {
      while (this.flushing || this.pending.length) {
        this.kickFlush();
        await this.flushing;
      }
      while (this.unapplied.length) await this.applyLocked(this.takeApplyBatch());
    } catch (error) {
      if (addsEvents) this.paused--;
      throw error;
    }
    if (addsEvents) {
      // Its batch id comes from batch_seq after ours: ids reserved before must not be used after it.
      this.batchIds = [];
      this.idGen++;
    }
  }

  /**
   * After a transaction that added events: the filter learns their ids. That read is a scan of the
   * new rows' event_id, 390–520 ms for a 250 000-event bulk request on the default set, a third of
   * the request's store time when it ran under the writer lock. So it runs after the lock is let go
   * and the request answered: meanwhile every id counts as possibly stored (mayBeStored), so live
   * requests are judged by the index look-up (correct, a little slower) instead of waiting for the
   * lock. If the read fails the filter is rebuilt; until then the same rule holds.
   */
  private async afterWrite(addsEvents: boolean, sinceBatch: number | null): Promise<void> {
    if (!addsEvents) return;
    this.idGen++;
    try {
      if (sinceBatch !== null) {
        // The batches this transaction added, read while the lock is still held: live batches
        // applied later take ids above them, and their ids are in the filter already.
        const until = await this.db.withConnection(async (c) => Number((await c.runAndReadAll(`SELECT coalesce(max(batch_id), 0) AS b FROM ingest_batches`)).getRowObjects()[0].b));
        const delay = this.options.filterDelayMs;
        const catchUp: Promise<void> = new Promise((r) => setTimeout(r, delay))
          .then(() =>
            this.db.withConnection((c) => addStoredIds(c, (id) => this.remember(id), `SELECT event_id FROM events WHERE batch_id > $since AND batch_id <= $until`, { since: sinceBatch, until })),
          )
          // Past its capacity the filter's false hits grow (each an index look-up): size it anew.
          .then(() => (this.filter.complete && this.filter.count > this.filter.capacity ? this.buildFilter() : undefined))
          .catch(async (error) => {
            if (this.closing) return;
            console.error(`live writer: reading a bulk batch's ids into the filter failed (${String(error).split('\n')[0]}); rebuilding the filter`);
            this.filter.complete = false;
            await this.buildFilter().catch(() => undefined);
          })
          .finally(() => {
            this.filterCatchUps.delete(catchUp);
            if (this.lane.length && !this.laneRunning) void this.runLane();
          });
        this.filterCatchUps.add(catchUp);
      }
    } finally {
      this.paused--;
      if (this.lane.length && !this.laneRunning) void this.runLane();
    }
  }

  /** Applies everything acknowledged (graceful shutdown), so the database file holds it all. */
  async close(): Promise<void> {
    while (this.lane.length || this.laneRunning || this.pending.length || this.flushing) {
      if (this.lane.length && !this.laneRunning) void this.runLane();
      this.kickFlush();
      await new Promise((r) => setTimeout(r, 5));
    }
    this.closing = true;
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    await this.filterBuilt;
    await Promise.all([...this.filterCatchUps]);
    await this.applying;
    await this.checkpointRun;
    if (!this.db.fatal && this.unapplied.length) await this.db.writer.run(async () => {
      while (this.unapplied.length) await this.applyLocked(this.takeApplyBatch());
    });
    this.log.close();
  }

  /** Bytes claimed and not yet applied (cheap; status() also summarises latencies). */
  get queuedBytesNow(): number {
    return this.queuedBytes;
  }

  status() {
    const oldest = this.unapplied[0]?.enqueuedAt ?? this.pending[0]?.enqueuedAt;
    return {
      queued_requests: this.pending.length + this.lane.length,
      queued_rows: this.queuedRows,
      queued_bytes: this.queuedBytes,
      oldest_wait_ms: oldest === undefined ? 0 : Math.round(performance.now() - oldest),
      unapplied_groups: this.unapplied.length,
      unapplied_rows: this.unapplied.reduce((n, u) => n + u.rows, 0),
      log_bytes: this.log.bytes,
      groups_committed: this.records,
      applies: this.applies,
      requests_refused: this.refused,
      requests_judged_by_sql_or_index: this.laneRequests,
      index_lookups: this.lookups,
      id_filter: { ids: this.filter.count, capacity: this.filter.capacity, bytes: this.filter.bytes, complete: this.filter.complete },
      log_ms: this.logMs.summary(),
      ack_ms: this.ackMs.summary(),
      apply_ms: this.applyMs.summary(),
      apply_lag_ms: this.applyLagMs.summary(),
      checkpoint_ms: this.checkpointMs.summary(),
      rows_per_group: this.rowsPerRecord.summary(),
      limits: { max_queued_rows: this.options.maxQueuedRows, max_queued_bytes: this.options.maxQueuedBytes, max_queue_ms: this.options.maxQueueMs },
    };
  }
}

const tsOf = (d: Date) => new DuckDBTimestampTZValue(BigInt(d.getTime()) * 1000n);

async function stageDocs(c: DuckDBConnection, rows: { rn: number; doc: string | null; raw: string | null; code: string | null; message: string | null }[]): Promise<void> {
  const staged = await c.createAppender('staged', 'main', 'temp');
  for (const row of rows) {
    staged.appendInteger(row.rn);
    for (const text of [row.doc, row.raw, row.code, row.message]) (text === null ? staged.appendNull() : staged.appendVarchar(text));
    staged.endRow();
  }
  staged.closeSync();
}

/**
 * Feeds the ids a statement returns into the filter, one streamed chunk at a time. The chunk's row
 * count is read once: `chunk.rowCount` is a call into the native binding, and as a loop bound it was
 * 0.9 s of the 13 M-id scan at start-up on the large set.
 */
async function addStoredIds(
  c: DuckDBConnection,
  add: (id: string) => void,
  text: string,
  params: Record<string, DuckDBValue>,
  stop: () => boolean = () => false,
  between: () => Promise<void> = async () => undefined,
): Promise<void> {
  const result = await c.stream(text, params);
  while (!stop()) {
    await between();
    const chunk = await result.fetchChunk();
    const rows = chunk?.rowCount ?? 0;
    if (rows === 0) break;
    const v = chunk!.getColumnVector(0);
    for (let i = 0; i < rows; i++) add(v.getItem(i) as string);
  }
}
