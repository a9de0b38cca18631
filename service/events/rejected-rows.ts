/**
 * The stored rejected rows as something an operator can work with: read a page filtered by batch,
 * code and time, and purge by age, batch or code (admin), plus the retention rule that purges rows
 * older than REJECTED_RETENTION_DAYS at start-up and then at most once an hour after ingests. A
 * page shows at most RAW_PREVIEW_CHARS of each raw text with its full length: a page of 1 000 rows
 * of 1 MiB text each was a gigabyte answer ("Invalid string length").
 */
import type { Database } from '../db/database.ts';
import { RAW_PREFIX_CHARS } from './readers/body-limits.ts';

// Stored raw texts are prefixes of at most RAW_PREFIX_CHARS since migration 8; the page cuts to
// the same bound, so no answer can grow with what was received.
export const RAW_PREVIEW_CHARS = RAW_PREFIX_CHARS;

export interface RejectedFilter {
  batchId?: number;
  code?: string;
  /** rows received at or after this instant (ISO 8601) */
  since?: string;
  /** rows received before this instant (purge by age) */
  before?: string;
}

const WHERE = `($code::VARCHAR IS NULL OR code = $code) AND ($batch::BIGINT IS NULL OR batch_id = $batch)
  AND ($since::TIMESTAMPTZ IS NULL OR received_at >= $since::TIMESTAMPTZ) AND ($before::TIMESTAMPTZ IS NULL OR received_at < $before::TIMESTAMPTZ)`;

const params = (f: RejectedFilter) => ({ code: f.code ?? null, batch: f.batchId ?? null, since: f.since ?? null, before: f.before ?? null });

export async function rejectedPage(db: Database, filter: RejectedFilter, limit: number, offset: number) {
  return db.withConnection(async (conn) => {
    const byCode = (await conn.runAndReadAll(`SELECT code, count(*) AS n FROM rejected_rows WHERE ${WHERE} GROUP BY code ORDER BY code`, params(filter))).getRowObjects();
    const rows = (
      await conn.runAndReadAll(
        `SELECT batch_id, row_number AS row, strftime(received_at, '%Y-%m-%dT%H:%M:%SZ') AS received_at, event_id, type, code, message,
                left(raw, ${RAW_PREVIEW_CHARS}) AS raw, length(raw) AS raw_length, raw_bytes, strlen(raw) AS stored_bytes
         FROM rejected_rows WHERE ${WHERE} ORDER BY batch_id DESC, row_number LIMIT $limit OFFSET $offset`,
        { ...params(filter), limit, offset },
      )
    ).getRowObjects();
    return {
      total: byCode.reduce((n, r) => n + Number(r.n), 0),
      limit,
      offset,
      by_code: Object.fromEntries(byCode.map((r) => [String(r.code), Number(r.n)])),
      rows: rows.map(({ stored_bytes, ...r }) => ({
        ...r,
        batch_id: Number(r.batch_id),
        row: Number(r.row),
        raw_length: r.raw_length === null ? null : Number(r.raw_length),
        raw_bytes: r.raw_bytes === null ? null : Number(r.raw_bytes),
        // Cut when stored (a prefix: events/readers/body-limits.ts storedRaw) or here for the page.
        raw_truncated: (r.raw_length !== null && Number(r.raw_length) > RAW_PREVIEW_CHARS) || (r.raw_bytes !== null && Number(r.raw_bytes) > Number(stored_bytes)),
      })),
    };
  });
}

/** Deletes the rejected rows matching every given criterion; at least one must be given. */
export async function purgeRejected(db: Database, filter: RejectedFilter): Promise<number> {
  if (filter.batchId === undefined && filter.code === undefined && filter.before === undefined) throw new Error('purgeRejected: no criterion');
  const result = await db.transaction((c) => c.run(`DELETE FROM rejected_rows WHERE ${WHERE}`, params(filter)));
  return Number(result.rowsChanged);
}

/** Applies REJECTED_RETENTION_DAYS: now, and then at most once an hour when told of an ingest. */
export function rejectedRetention(db: Database, days: number, log: (line: string) => void) {
  let last = 0;
  let running = false;
  const run = async () => {
    if (days <= 0 || running) return;
    running = true;
    last = Date.now();
    try {
      const n = await purgeRejected(db, { before: new Date(Date.now() - days * 86_400_000).toISOString() });
      if (n) log(`rejected rows: purged ${n} older than ${days} days (REJECTED_RETENTION_DAYS)`);
    } catch (error) {
      log(`rejected rows: retention purge failed: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  return {
    run,
    afterIngest: () => {
      if (Date.now() - last > 3_600_000) void run();
    },
  };
}
