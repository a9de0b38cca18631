/**
 * Group commit for live ingestion: small requests that arrive while the writer is busy are
 * validated and committed together, in one transaction, and each is still answered with its own
 * counts and errors, only after that transaction has committed (DuckDB syncs its write-ahead log
 * on commit, so a 2xx is as durable as on the bulk path).
 *
 * Why this shape (measured on the 2-core reference machine, 3 M events stored):
 * - A request of its own cost 5–10 DuckDB statements (temp tables made and dropped, validation,
 *   a duplicate join that scanned every stored event_id in 40–50 ms, insert, commit). Here one
 *   group costs about six statements whatever its size, so the fixed cost is shared; there is no
 *   timer: a group is whatever queued while the previous one committed, so an idle service
 *   commits a lone request at once, and a busy one commits bigger groups.
 * - Duplicates are found by the primary-key index: `INSERT … ON CONFLICT DO NOTHING RETURNING`
 *   probes the ART index per row (about 3 ms for a group, against 40–50 ms for the scan), and an
 *   id repeated inside the group is resolved in JavaScript first (the first occurrence wins).
 * - The validation statement costs ~30 ms per run however few rows it judges, so rows are first
 *   judged by fast-check.ts, which accepts only rows the SQL would accept and appends their typed
 *   columns straight into the group's rows; the others (usually none) are judged by the SQL, once per
 *   group.
 * - Each group takes the single writer lock, so it serialises with bulk requests and erasure.
 *
 * - Two stages, pipelined: while one group commits (stage B, on the writer's connection), the
 *   next is judged, converted to typed rows and checked against the stored ids (stage A, on a
 *   connection of its own). Each stage costs about 5 ms for a group of 32 small requests, so the
 *   pipeline commits about one group every 5 ms instead of one every 10. Stage A cannot see the
 *   group still committing, so it counts that group's ids as taken; if that commit fails, the
 *   group prepared behind it fails too (its duplicates might be wrong) and both are answered 500.
 *   The typed rows wait in an in-memory attached database (`live_mem`), tagged with their group's
 *   number: no table is emptied per group (old groups are deleted every 64), and stage A keeps
 *   one appender open on it, flushed per group.
 *
 * Back-pressure: the queue is bounded by rows, bytes and the age of its oldest request. A request
 * beyond a bound is refused at once with IngestOverloaded (503 with Retry-After in the route), so
 * memory stays bounded and a producer knows to retry; nothing refused was taken in.
 */
import { listValue, type DuckDBAppender, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import type { Database } from '../db/database.ts';
import { appendTyped, DEFAULT_DATE_BOUNDS, fastCheck, type DateBounds, type FastRow } from './fast-check.ts';
import type { AfterIngest, IngestError, IngestResult } from './ingest.ts';
import type { Ledger } from './ledger.ts';
import type { LiveRow } from './live-rows.ts';
import { validationSql } from './validation-sql.ts';
import { EVENT_COLUMN_NAMES } from './ingest.ts';

export interface GroupCommitOptions {
  /** Rows waiting to be committed, at most. */
  maxQueuedRows: number;
  /** Text (UTF-16 units, an estimate of memory) waiting to be committed, at most. */
  maxQueuedBytes: number;
  /** The oldest waiting request may have waited this long; new ones are refused beyond it. */
  maxQueueMs: number;
  /** Rows of one group, at most (a longer queue is committed in several groups). */
  maxGroupRows: number;
  /** Test hook: extra milliseconds every group holds the writer (simulates a slow disk). */
  writerDelayMs: number;
  /** The plausible dates the validation SQL applies (the fast pre-check must apply the same). */
  dateBounds: DateBounds;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = {
  maxQueuedRows: 200_000,
  maxQueuedBytes: 64 * 1024 * 1024,
  maxQueueMs: 2_000,
  maxGroupRows: 20_000,
  writerDelayMs: 0,
  dateBounds: DEFAULT_DATE_BOUNDS,
};

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

interface Pending {
  rows: LiveRow[];
  size: number;
  mediaType: string;
  source: string | null;
  enqueuedAt: number;
  readMs: number;
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
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

const MAX_ERRORS = 100;
const COLUMNS = EVENT_COLUMN_NAMES.map((c) => `"${c}"`).join(', ');
/** Groups between two clean-ups of the typed rows of committed groups. */
const CLEAN_EVERY = 64;

interface Judged {
  request: number;
  row: LiveRow;
  seq: number;
  id: string | null; // the row's event_id once known valid (or its id as far as it has one, if rejected)
  code: string | null;
  message: string | null;
  fast: boolean;
  duplicate: boolean;
}

/** A group after stage A: its typed rows and rejections wait in `live_mem.typed` and `live_mem.rejected` under its number. */
interface Prepared {
  group: Pending[];
  gen: number;
  judged: Judged[];
  /** Ids the group will insert (stage A's view): the next group counts them as taken. */
  ids: Set<string>;
  rejected: number;
  startedAt: number;
  validateMs: number;
  now: Date;
  /** db.bulkCommits when the stored ids were checked. */
  bulkCommits: number;
}

interface Stages {
  a: DuckDBConnection;
  b: DuckDBConnection;
  typed: DuckDBAppender;
  stored: DuckDBPreparedStatement;
  insertEvents: DuckDBPreparedStatement;
  storedB: DuckDBPreparedStatement;
  insertBatch: DuckDBPreparedStatement;
}

export class GroupCommitter {
  private queue: Pending[] = [];
  private queuedRows = 0;
  private queuedBytes = 0;
  private running = false;
  private stages: Promise<Stages> | null = null;
  private readonly commitMs = new Recent();
  private readonly ackMs = new Recent();
  private readonly groupRows = new Recent();
  private readonly prepareMs = new Recent();
  groups = 0;
  refused = 0;
  private gen = 0;

  constructor(
    private readonly db: Database,
    private readonly afterIngest: AfterIngest[] = [],
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
    private readonly ledger: Ledger | null = null,
  ) {}

  /** Queue one request's rows; resolves with its own result once its group has committed. */
  submit(rows: LiveRow[], size: number, mediaType: string, source: string | null, readMs: number): Promise<IngestResult> {
    const o = this.options;
    const refuse = (reason: IngestOverloaded['reason'], message: string) => {
      this.refused++;
      // Retry after about the time the queue takes to drain at the recent commit rate.
      const drainSeconds = Math.max(1, Math.ceil(((this.commitMs.summary().p50 ?? 50) * (1 + this.queue.length / 32)) / 1000));
      return Promise.reject(new IngestOverloaded(reason, drainSeconds, message));
    };
    if (this.queue.length && performance.now() - this.queue[0].enqueuedAt > o.maxQueueMs) {
      return refuse('queue_age', `the writer is more than ${o.maxQueueMs} ms behind; retry later`);
    }
    if (this.queue.length && this.queuedRows + rows.length > o.maxQueuedRows) {
      return refuse('queue_rows', `${this.queuedRows} rows are waiting to be committed (limit ${o.maxQueuedRows}); retry later`);
    }
    if (this.queue.length && this.queuedBytes + size > o.maxQueuedBytes) {
      return refuse('queue_bytes', `the ingest queue is full (${o.maxQueuedBytes} bytes); retry later`);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, size, mediaType, source, enqueuedAt: performance.now(), readMs, resolve, reject });
      this.queuedRows += rows.length;
      this.queuedBytes += size;
      if (!this.running) void this.drain();
    });
  }

  /** Bytes waiting to be committed (cheap; status() also summarises latencies). */
  get queuedBytesNow(): number {
    return this.queuedBytes;
  }

  status() {
    return {
      queued_requests: this.queue.length,
      queued_rows: this.queuedRows,
      queued_bytes: this.queuedBytes,
      oldest_wait_ms: this.queue.length ? Math.round(performance.now() - this.queue[0].enqueuedAt) : 0,
      groups_committed: this.groups,
      requests_refused: this.refused,
      prepare_ms: this.prepareMs.summary(),
      commit_ms: this.commitMs.summary(),
      ack_ms: this.ackMs.summary(),
      rows_per_group: this.groupRows.summary(),
      limits: { max_queued_rows: this.options.maxQueuedRows, max_queued_bytes: this.options.maxQueuedBytes, max_queue_ms: this.options.maxQueueMs },
    };
  }

  /** Takes the next group off the queue: whole requests, up to maxGroupRows (at least one request). */
  private take(): Pending[] {
    const group: Pending[] = [];
    let rows = 0;
    while (this.queue.length && (group.length === 0 || rows + this.queue[0].rows.length <= this.options.maxGroupRows)) {
      const next = this.queue.shift()!;
      rows += next.rows.length;
      group.push(next);
    }
    return group;
  }

  private settle(group: Pending[], outcome: { results: IngestResult[] } | { error: unknown }): void {
    this.queuedRows -= group.reduce((n, p) => n + p.rows.length, 0);
    this.queuedBytes -= group.reduce((n, p) => n + p.size, 0);
    const now = performance.now();
    group.forEach((p, i) => {
      if ('error' in outcome) return p.reject(outcome.error);
      this.ackMs.add(now - p.enqueuedAt);
      p.resolve(outcome.results[i]);
    });
  }

  /** The pipeline: stage A of the next group runs while stage B of the previous one commits. */
  private async drain(): Promise<void> {
    this.running = true;
    let committing: { prepared: Prepared; done: Promise<unknown> } | null = null;
    try {
      while (this.queue.length || committing) {
        // Let requests answered a moment ago come back first: a closed-loop producer resubmits
        // within a tick, and a group that leaves it out is half empty (measured
        // in-process with 32 producers: groups alternated 31 and 1 requests without this).
        await new Promise((r) => setImmediate(r));
        let prepared: Prepared | null = null;
        let failure: unknown = null;
        if (this.queue.length) {
          const group = this.take();
          try {
            prepared = await this.stageA(group, ++this.gen, committing?.prepared.ids ?? new Set());
          } catch (error) {
            failure = error;
            this.db.noticeFailure(error);
            this.settle(group, { error });
          }
        }
        if (committing) {
          const previous = await committing.done;
          committing = null;
          // The group behind a failed commit counted that commit's ids as taken: fail it too.
          if (previous instanceof Error && prepared) {
            this.settle(prepared.group, { error: previous });
            prepared = null;
          }
        }
        if (failure) this.reset();
        if (prepared) {
          const p = prepared;
          committing = {
            prepared: p,
            done: this.stageB(p).then(
              (results) => {
                this.settle(p.group, { results });
                return null;
              },
              (error: unknown) => {
                this.settle(p.group, { error });
                this.reset();
                return error instanceof Error ? error : new Error(String(error));
              },
            ),
          };
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** After a failure the connections may sit in a failed transaction: the next group opens new ones. */
  private reset(): void {
    const old = this.stages;
    this.stages = null;
    old
      ?.then(({ a, b, typed }) => {
        try {
          typed.closeSync(); // may refuse after the failure; the connection goes regardless
        } catch {
          /* nothing to keep */
        }
        this.db.closeDedicated(a);
        this.db.closeDedicated(b);
      })
      .catch(() => undefined);
  }

  /** The two connections, their tables and prepared statements, made once. */
  private open(): Promise<Stages> {
    this.stages ??= (async () => {
      const a = await this.db.dedicatedConnection();
      const b = await this.db.dedicatedConnection();
      // Typed rows must pass from stage A's connection to stage B's: temp tables are private to
      // one connection, an attached in-memory database is shared by all of the instance's.
      await a.run(`ATTACH IF NOT EXISTS ':memory:' AS live_mem`);
      // `staged` is the table validationSql reads: here rn is the row's place in the group.
      await a.run(`CREATE OR REPLACE TEMP TABLE staged (rn INTEGER, doc VARCHAR, raw VARCHAR, pre_code VARCHAR, pre_message VARCHAR)`);
      await a.run(`CREATE OR REPLACE TEMP TABLE live_slow (seq INTEGER, rn INTEGER, keep BOOLEAN)`);
      const stages = { a, b } as Stages;
      await a.run(`CREATE OR REPLACE TEMP TABLE validated AS ${validationSql({ kind: 'documents' })} LIMIT 0`, { now: new Date().toISOString() });
      await a.run(`CREATE OR REPLACE TABLE live_mem.typed AS SELECT ${COLUMNS}, 0::INTEGER AS seq, 0::INTEGER AS gen FROM events LIMIT 0`);
      await a.run(`CREATE OR REPLACE TABLE live_mem.rejected (gen INTEGER, rn BIGINT, event_id VARCHAR, type VARCHAR, code VARCHAR, message VARCHAR, raw VARCHAR)`);
      stages.typed = await a.createAppender('typed', 'main', 'live_mem');
      // Probed from the group's side: `events WHERE event_id IN (group)` is a few index look-ups,
      // `group WHERE event_id IN (events)` would hash every stored id (~100 ms at 3 M events).
      const stored = `SELECT t.seq FROM live_mem.typed t JOIN (SELECT event_id FROM events WHERE event_id IN (SELECT event_id FROM live_mem.typed WHERE gen = $gen)) e USING (event_id) WHERE t.gen = $gen`;
      stages.stored = await a.prepare(stored);
      stages.storedB = await b.prepare(stored);
      stages.insertEvents = await b.prepare(`INSERT INTO events (${COLUMNS}, batch_id) SELECT ${COLUMNS}, $batch FROM live_mem.typed WHERE gen = $gen`);
      stages.insertBatch = await b.prepare(`INSERT INTO ingest_batches VALUES (nextval('batch_seq'), $now::TIMESTAMPTZ, $media, $total, $accepted, $duplicates, $rejected, $source) RETURNING batch_id`);
      return stages;
    })();
    return this.stages;
  }

  /**
   * Stage A: judge every row, validate the unusual ones in SQL, resolve ids repeated in the group
   * or taken by the group still committing, convert to typed rows and drop those already stored.
   */
  private async stageA(group: Pending[], gen: number, taken: Set<string>): Promise<Prepared> {
    const startedAt = performance.now();
    const { a, stored, typed } = await this.open();
    const now = new Date();
    const nowMs = now.getTime();
    // Stage B may still read the previous group: everything older is done with.
    if (gen % CLEAN_EVERY === 0) {
      await a.run(`DELETE FROM live_mem.typed WHERE gen < $gen - 1`, { gen });
      await a.run(`DELETE FROM live_mem.rejected WHERE gen < $gen - 1`, { gen });
    }

    const judged: Judged[] = [];
    const accepted = new Map<number, FastRow>();
    group.forEach((p, request) => {
      for (const row of p.rows) {
        const ok = row.code === null && row.doc !== null ? fastCheck(row.doc, nowMs, this.options.dateBounds) : null;
        const seq = judged.length + 1;
        if (ok) accepted.set(seq, ok);
        judged.push({ request, row, seq, id: ok?.eventId ?? null, code: null, message: null, fast: ok !== null, duplicate: false });
      }
    });
    const slowRows = judged.filter((j) => !j.fast);
    if (slowRows.length) {
      const staged = await a.createAppender('staged', 'main', 'temp');
      for (const { seq, row } of slowRows) {
        staged.appendInteger(seq);
        for (const text of [row.doc, row.raw, row.code, row.message]) text === null ? staged.appendNull() : staged.appendVarchar(text);
        staged.endRow();
      }
      staged.closeSync();
      await a.run(`CREATE OR REPLACE TEMP TABLE validated AS ${validationSql({ kind: 'documents' })}`, { now: now.toISOString() });
      const verdicts = new Map(
        (await a.runAndReadAll(`SELECT rn, left(event_id, 256) AS event_id, code, message FROM validated`)).getRowObjects().map((r) => [Number(r.rn), r]),
      );
      for (const j of slowRows) {
        const v = verdicts.get(j.seq)!;
        j.id = (v.event_id as string | null) ?? null;
        if (v.code !== null) {
          j.code = String(v.code);
          j.message = String(v.message);
        }
      }
    }

    // An id repeated in the group, or in the group still committing: a duplicate.
    const ids = new Set<string>();
    for (const j of judged) {
      if (j.id === null || j.code !== null) continue;
      if (ids.has(j.id) || taken.has(j.id)) j.duplicate = true;
      else ids.add(j.id);
    }
    for (const j of judged) if (j.fast && !j.duplicate) appendTyped(typed, accepted.get(j.seq)!, j.seq, gen);
    typed.flushSync();
    if (slowRows.length) {
      const map = await a.createAppender('live_slow', 'main', 'temp');
      for (const j of slowRows) {
        map.appendInteger(j.seq);
        map.appendInteger(j.row.rn);
        map.appendBoolean(j.code === null && j.id !== null && !j.duplicate);
        map.endRow();
      }
      map.closeSync();
      await a.run(`INSERT INTO live_mem.typed SELECT ${EVENT_COLUMN_NAMES.map((n) => `v."${n}"`).join(', ')}, v.rn, $gen FROM validated v JOIN live_slow m ON m.seq = v.rn WHERE m.keep`, { gen });
      await a.run(`INSERT INTO live_mem.rejected SELECT $gen, m.rn, left(v.event_id, 256), left(v.type, 64), v.code, v.message, v.raw FROM validated v JOIN live_slow m ON m.seq = v.rn WHERE v.code IS NOT NULL`, { gen });
      await a.run(`DELETE FROM staged`);
      await a.run(`DELETE FROM live_slow`);
    }
    const prepared: Prepared = { group, gen, judged, ids, rejected: judged.filter((j) => j.code !== null).length, startedAt, validateMs: 0, now, bulkCommits: this.db.bulkCommits };
    const found = await this.findStored(prepared, stored);
    if (found.length) await a.run(`DELETE FROM live_mem.typed WHERE gen = $gen AND list_contains($seqs::INTEGER[], seq)`, { gen, seqs: listValue(found) } as never);
    prepared.validateMs = performance.now() - startedAt;
    this.prepareMs.add(prepared.validateMs);
    return prepared;
  }

  /** Rows of the group already stored are duplicates (found through the primary key's index): their seqs. */
  private async findStored(p: Prepared, statement: DuckDBPreparedStatement): Promise<number[]> {
    statement.bind({ gen: p.gen } as never);
    const seqs = (await statement.runAndReadAll()).getRowObjects().map((r) => Number(r.seq));
    for (const seq of seqs) {
      const j = p.judged[seq - 1];
      j.duplicate = true;
      p.ids.delete(j.id!);
    }
    return seqs;
  }

  /** Stage B: one transaction under the writer lock: the batch, its events, its rejected rows. */
  private async stageB(p: Prepared): Promise<IngestResult[]> {
    const { b, insertEvents, insertBatch, storedB } = await this.open();
    const queuedAt = performance.now();
    let storeStarted = queuedAt;
    const valid = p.judged.length - p.rejected;
    const media = new Set(p.group.map((r) => r.mediaType));
    const sources = new Set(p.group.map((r) => r.source));
    const source = p.group.length === 1 ? p.group[0].source : `${p.group.length} requests${sources.size === 1 && p.group[0].source ? `: ${p.group[0].source}` : ''}`;
    const batchId = await this.db.transaction(async (tx) => {
      storeStarted = performance.now();
      // A bulk request committed since stage A looked: look again, now under the writer lock.
      // (Inside this transaction, which writes the main database, live_mem can only be read.)
      const late = this.db.bulkCommits !== p.bulkCommits ? await this.findStored(p, storedB) : [];
      insertBatch.bind({
        now: p.now.toISOString(),
        media: media.size === 1 ? p.group[0].mediaType : 'mixed',
        total: p.judged.length,
        accepted: p.ids.size,
        duplicates: valid - p.ids.size,
        rejected: p.rejected,
        source: source?.slice(0, 512) ?? null,
      } as never);
      const id = Number((await insertBatch.runAndReadAll()).getRowObjects()[0].batch_id);
      if (late.length) {
        await tx.run(`INSERT INTO events (${COLUMNS}, batch_id) SELECT ${COLUMNS}, $batch FROM live_mem.typed WHERE gen = $gen AND NOT list_contains($seqs::INTEGER[], seq)`, {
          batch: id,
          gen: p.gen,
          seqs: listValue(late),
        } as never);
      } else {
        insertEvents.bind({ batch: id, gen: p.gen } as never);
        await insertEvents.run();
      }
      if (p.rejected) {
        await tx.run(`INSERT INTO rejected_rows SELECT $batch, rn, $now::TIMESTAMPTZ, event_id, type, code, message, raw FROM live_mem.rejected WHERE gen = $gen`, {
          batch: id,
          gen: p.gen,
          now: p.now.toISOString(),
        });
      }
      if (this.options.writerDelayMs > 0) await new Promise((r) => setTimeout(r, this.options.writerDelayMs));
      return id;
    }, b, true);
    await this.ledger?.append([batchId]);
    const committed = performance.now();
    this.groups++;
    this.commitMs.add(committed - storeStarted);
    this.groupRows.add(p.judged.length);
    for (const hook of this.afterIngest) hook(batchId);

    const results: IngestResult[] = p.group.map((r) => ({
      batch_id: batchId,
      accepted: 0,
      duplicates: 0,
      rejected: 0,
      errors: [] as IngestError[],
      timings_ms: {
        read: Math.round(r.readMs),
        validate: Math.round(p.validateMs),
        queue: Math.round(p.startedAt - r.enqueuedAt + (storeStarted - queuedAt)),
        store: Math.round(committed - storeStarted),
      },
    }));
    for (const j of p.judged) {
      const r = results[j.request];
      if (j.code !== null) {
        r.rejected++;
        if (r.errors.length < MAX_ERRORS) r.errors.push({ row: j.row.rn, event_id: j.id, code: j.code, message: j.message! });
      } else if (j.duplicate) r.duplicates++;
      else r.accepted++;
    }
    return results;
  }
}
