/**
 * Where a request's rows go: a small text body (NDJSON, JSON or CSV of at most `liveMaxBytes`
 * once decompressed) is read into memory, judged, and acknowledged by the live writer once it is
 * in the fsynced live log together with whatever else arrived meanwhile (live-writer.ts); a
 * larger one, or any Arrow stream, streams through the bulk path (ingest.ts), which stages in
 * DuckDB, validates in parallel with other requests and answers after its DuckDB commit. Both
 * answer with the same result shape, and the bulk commit drains the live log first under the one
 * writer lock, so an event_id is stored once whichever paths its copies took.
 *
 * The split is by size because the costs are: the bulk path pays ~40–80 ms of fixed work per
 * request and then about 5 µs per row; the live path pays almost nothing per request but holds
 * the request's rows in memory until they are applied. 1 MiB (≈ 5 000 events) keeps the live
 * queue's memory small while bulk loads keep DuckDB's row-group-sized inserts.
 */
import type { Database } from '../db/database.ts';
import type { ByteSource } from './readers/body-errors.ts';
import { IngestOverloaded, LiveWriter, type GroupCommitOptions } from './live-writer.ts';
import { ingest, MEDIA_TYPES, type AfterIngest, type IngestResult, type MediaType } from './ingest.ts';
import { Ledger, type LedgerCheck } from './ledger.ts';
import { LiveRows } from './live-rows.ts';

/** Writes are refused because acknowledged batches are missing from the database (see ledger.ts). */
export class IngestRefused extends Error {
  constructor(readonly check: LedgerCheck) {
    super(
      `${check.missingCount} acknowledged batches are missing from the database (its write-ahead log was lost or cut); writes are refused until an operator restarts with INTEGRITY_ACCEPT_LOSS=true`,
    );
  }
}

export interface IngestionOptions {
  /** Bodies up to this many (decompressed) bytes take the live path. */
  liveMaxBytes: number;
  /** Bulk requests being read, validated or stored at once, at most (503 beyond). */
  maxBulkRequests: number;
  groupCommit: GroupCommitOptions;
}

/** Media types the live path takes (Arrow is staged as columns, on the bulk path only). */
const LIVE_TYPES = new Set<MediaType>(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/json', 'text/csv']);

function iterate(body: ByteSource): AsyncIterator<Uint8Array> {
  if (Symbol.asyncIterator in body) return (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  const it = (body as Iterable<Uint8Array>)[Symbol.iterator]();
  return { next: async () => it.next() };
}

export class Ingestion {
  readonly live: LiveWriter;
  private bulkInFlight = 0;
  /** Bytes of small bodies being read right now: they count against the live queue's byte budget. */
  private reading = 0;

  /** Set at start-up when the ledger lists acknowledged batches the database lacks: writes are refused. */
  integrity: LedgerCheck | null = null;

  constructor(
    private readonly db: Database,
    private readonly afterIngest: AfterIngest[],
    private readonly options: IngestionOptions,
    readonly ledger: Ledger = Ledger.open(':memory:'),
  ) {
    this.live = new LiveWriter(db, afterIngest, options.groupCommit, ledger);
  }

  /** Start-up: the live log replayed into the database (before the server answers anything). */
  replay(note: (line: string) => void): Promise<{ records: number; applied: number }> {
    return this.live.replay(note);
  }

  /** Resolves once everything acknowledged so far is in DuckDB (bounded; see LiveWriter.settled). */
  settled(): Promise<void> {
    return this.live.settled();
  }

  /** Graceful shutdown: everything acknowledged applied to the database file. */
  close(): Promise<void> {
    return this.live.close();
  }

  async ingest(body: ByteSource, mediaType: MediaType, source: string | null = null): Promise<IngestResult> {
    if (this.integrity) throw new IngestRefused(this.integrity);
    const started = performance.now();
    const chunks: Uint8Array[] = [];
    const it = iterate(body);
    let size = 0;
    // Read a text body until it ends (live path) or passes liveMaxBytes (bulk path, the read chunks first).
    const liveType = LIVE_TYPES.has(mediaType);
    let complete = false;
    if (liveType) {
      try {
        for (;;) {
          const next = await it.next();
          if (next.done) {
            complete = true;
            break;
          }
          chunks.push(next.value);
          size += next.value.length;
          this.reading += next.value.length;
          if (size > this.options.liveMaxBytes) break;
          // Many slow producers at once must not fill the memory before their rows even queue.
          if (this.reading + this.live.queuedBytesNow > this.options.groupCommit.maxQueuedBytes) {
            this.live.refused++;
            throw new IngestOverloaded('queue_bytes', 1, `the ingest queue is full (${this.options.groupCommit.maxQueuedBytes} bytes being read or waiting); retry later`);
          }
        }
      } finally {
        this.reading -= size;
      }
    }
    if (liveType && complete) {
      const rows = new LiveRows();
      await MEDIA_TYPES[mediaType](chunks, rows);
      // Counted like bulk requests: background upkeep yields to ingestion (within its lag bound).
      this.db.ingestsInFlight++;
      try {
        return await this.live.submit(rows.rows, rows.size, mediaType, source, performance.now() - started);
      } finally {
        this.db.ingestsInFlight--;
      }
    }
    if (this.bulkInFlight >= this.options.maxBulkRequests) {
      throw new IngestOverloaded('bulk_requests', 5, `${this.bulkInFlight} bulk requests are already being ingested (limit ${this.options.maxBulkRequests}); retry later`);
    }
    const rest: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => {
        let i = 0;
        return { next: async () => (i < chunks.length ? { done: false, value: chunks[i++] } : it.next()) };
      },
    };
    this.bulkInFlight++;
    try {
      const result = await ingest(this.db, rest, mediaType, { source: source ?? undefined, afterIngest: this.afterIngest });
      await this.ledger.append([result.batch_id]);
      return result;
    } finally {
      this.bulkInFlight--;
    }
  }

  status() {
    return { live: this.live.status(), bulk_in_flight: this.bulkInFlight, limits: { live_max_bytes: this.options.liveMaxBytes, max_bulk_requests: this.options.maxBulkRequests } };
  }
}
