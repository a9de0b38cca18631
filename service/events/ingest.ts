/**
 * One ingest request from body to commit: the reader for the media type stages every row, then,
 * as the only writer, one transaction validates the staged rows in SQL, inserts the valid events
 * (the primary key on event_id makes a resend a no-op), stores the rejected rows with their raw
 * text and reason, records the batch and lets derived facts catch up. The caller answers the
 * client only after this returns, i.e. after the commit.
 */
import { RAW_BYTES_SQL, RAW_PREFIX_SQL } from './readers/body-limits.ts';
import type { Database } from '../db/database.ts';
import { PAYLOAD_COLUMNS } from './contract.ts';
import { readArrow } from './readers/arrow.ts';
import type { ByteSource } from './readers/body-errors.ts';
import { readCsv } from './readers/csv.ts';
import { readJson } from './readers/json-array.ts';
import { readNdjson } from './readers/ndjson.ts';
import { Staging } from './staging.ts';
import { validationSql } from './validation-sql.ts';

export const MEDIA_TYPES = {
  'application/x-ndjson': readNdjson,
  'application/ndjson': readNdjson,
  'application/jsonl': readNdjson,
  'application/json': readJson,
  'text/csv': readCsv,
  'application/vnd.apache.arrow.stream': readArrow,
} as const;
export type MediaType = keyof typeof MEDIA_TYPES;

export interface IngestError {
  row: number;
  event_id: string | null;
  code: string;
  message: string;
}

export interface IngestResult {
  batch_id: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: IngestError[];
  /**
   * Where the time went, for operators and benchmarks: reading the body, validating, waiting for
   * the writer lock, and storing (insert and commit).
   */
  timings_ms: { read: number; validate: number; queue: number; store: number };
}

/** Told about each committed batch (the derived-facts upkeep schedules itself on it). */
export type AfterIngest = (batchId: number) => void;

const MAX_ERRORS = 100;
/** The events table's columns that a batch writes (all but batch_id), in table order. */
export const EVENT_COLUMN_NAMES = ['event_id', 'type', 'occurred_at', 'customer_id', ...PAYLOAD_COLUMNS.map((c) => c.name), 'extra'];
const EVENT_COLUMNS = EVENT_COLUMN_NAMES.map((c) => `"${c}"`).join(', ');
const VALIDATED_EVENT_COLUMNS = EVENT_COLUMN_NAMES.map((c) => `v."${c}"`).join(', ');

export async function ingest(
  db: Database,
  body: ByteSource,
  mediaType: MediaType,
  options: { now?: Date; source?: string; afterIngest?: AfterIngest[] } = {},
): Promise<IngestResult> {
  const read = MEDIA_TYPES[mediaType];
  db.ingestsInFlight++;
  try {
    return await ingestOn(db, body, read, mediaType, options);
  } finally {
    db.ingestsInFlight--;
  }
}

async function ingestOn(
  db: Database,
  body: ByteSource,
  read: (typeof MEDIA_TYPES)[MediaType],
  mediaType: MediaType,
  options: { now?: Date; source?: string; afterIngest?: AfterIngest[] },
): Promise<IngestResult> {
  return db.withConnection(async (connection) => {
    const t0 = performance.now();
    const staging = await Staging.create(connection);
    try {
      await read(body, staging);
    } finally {
      await staging.finish();
    }
    const t1 = performance.now();
    const now = (options.now ?? new Date()).toISOString();
    // Validation reads only this request's staged rows, so it runs before taking the writer lock:
    // concurrent requests validate in parallel and queue only for the insert.
    await connection.run(`CREATE OR REPLACE TEMP TABLE validated AS ${validationSql(staging.source)}`, { now });
    const counts = (
      await connection.runAndReadAll(
        `SELECT count(*) FILTER (WHERE code IS NULL) AS valid, count(DISTINCT event_id) FILTER (WHERE code IS NULL) AS distinct_valid,
                count(*) FILTER (WHERE code IS NOT NULL) AS rejected FROM validated`,
      )
    ).getRowObjects()[0];
    const repeatsInBatch = Number(counts.valid) > Number(counts.distinct_valid);
    const valid = Number(counts.valid);
    const rejected = Number(counts.rejected);
    const errors: IngestError[] = rejected
      ? (
          await connection.runAndReadAll(
            `SELECT rn AS row, left(event_id, 256) AS event_id, code, message FROM validated WHERE code IS NOT NULL ORDER BY rn LIMIT ${MAX_ERRORS}`,
          )
        ).getRowObjects().map((r) => ({ row: Number(r.row), event_id: (r.event_id as string | null) ?? null, code: String(r.code), message: String(r.message) }))
      : [];
    const t3 = performance.now();
    let t4 = t3;
    const result = await db.transaction(async (c) => {
      t4 = performance.now();
      const batchId = Number((await c.runAndReadAll(`SELECT nextval('batch_seq') AS id`)).getRowObjects()[0].id);
      // Idempotency, safe under the writer lock: rows whose id is already stored are found by a
      // join on the ids alone, then left out by row number. Joining the wide staged rows to events
      // directly (NOT EXISTS, or ANTI JOIN) made DuckDB build its hash table from the staged side
      // once events outgrew the batch, copying every column of every row: twice the insert time.
      // When the batch repeats an id, only its first occurrence counts.
      await c.run(`CREATE OR REPLACE TEMP TABLE already_stored AS
        SELECT v.rn FROM validated v SEMI JOIN events e ON e.event_id = v.event_id WHERE v.code IS NULL`);
      const inserted = await c.run(
        `INSERT INTO events (${EVENT_COLUMNS}, batch_id)
         SELECT ${VALIDATED_EVENT_COLUMNS}, $batch FROM validated v
         WHERE v.code IS NULL AND v.rn NOT IN (SELECT rn FROM already_stored)
         ${repeatsInBatch ? 'AND v.rn IN (SELECT min(rn) FROM validated WHERE code IS NULL GROUP BY event_id)' : ''}`,
        { batch: batchId },
      );
      const accepted = Number(inserted.rowsChanged);
      if (rejected > 0) {
        await c.run(
          `INSERT INTO rejected_rows SELECT $batch, rn, $now::TIMESTAMPTZ, left(event_id, 256), left(type, 64), code, message, ${RAW_PREFIX_SQL('raw')}, ${RAW_BYTES_SQL('raw', 'code', 'message')}
           FROM validated WHERE code IS NOT NULL`,
          { batch: batchId, now },
        );
      }
      await c.run(`INSERT INTO ingest_batches VALUES ($batch, $now::TIMESTAMPTZ, $media, $total, $accepted, $duplicates, $rejected, $source)`, {
        batch: batchId,
        now,
        media: mediaType,
        total: valid + rejected,
        accepted,
        duplicates: valid - accepted,
        rejected,
        source: options.source ?? null,
      });
      return { batch_id: batchId, accepted, duplicates: valid - accepted, rejected, errors };
    }, connection, { addsEvents: true });
    const t5 = performance.now();
    const ms = (a: number, b: number) => Math.round(b - a);
    await connection.run(`DROP TABLE IF EXISTS already_stored`);
    await connection.run(`DROP TABLE IF EXISTS validated`);
    await connection.run(`DROP TABLE IF EXISTS staged`);
    await connection.run(`DROP TABLE IF EXISTS staged_columns`);
    await connection.run(`DROP TABLE IF EXISTS staged_packed`);
    for (const hook of options.afterIngest ?? []) hook(result.batch_id);
    return { ...result, timings_ms: { read: ms(t0, t1), validate: ms(t1, t3), queue: ms(t3, t4), store: ms(t4, t5) } };
  });
}
