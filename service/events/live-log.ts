/**
 * The live log: the append-only file a live ingest request is acknowledged from. A group of
 * concurrent requests becomes one record, written with one `write` and made durable with one
 * `fdatasync`; only then are the requests answered. The records are applied to DuckDB behind the
 * acknowledgement (live-writer.ts), and replayed at start-up before the server answers anything.
 * This moves DuckDB off the acknowledgement path: profiled under 32 keep-alive clients, the main
 * thread sat idle ~95 % of the time while each group waited on DuckDB (two 10–20 ms stages per
 * group on 2 cores: PK look-ups, appender flush, insert, commit with its WAL sync), so a request's
 * latency was DuckDB's and the rate was one group per commit. An fdatasync of a few KiB costs
 * about a millisecond here, and nothing else on the path leaves JavaScript.
 *
 * Format, per record: u32 little-endian payload length, u32 CRC-32 of the payload, the payload
 * (UTF-8 JSON, see LogRecord). A record whose length runs past the end of the file or whose
 * checksum does not match is a torn write from a crash (it was never acknowledged: its fsync had
 * not returned); reading stops there and the tail is cut off. Nothing is ever written after a torn
 * record: a failed write is cut back to the last good length before the next one (truncateTo).
 *
 * Files: `<database>.live-log/<12-digit number>.log`. A segment is closed once it passes
 * `segmentBytes`; the writer deletes a closed segment only after every record in it is committed
 * to DuckDB *and* a DuckDB checkpoint has folded those commits into the database file, so losing
 * DuckDB's own write-ahead log can no longer lose a live event either.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';

/** One group of acknowledged requests, as written. Short keys: the log is written thousands of times a second. */
export interface LogRecord {
  /** batch id (from the batch_seq sequence, like bulk batches) */
  b: number;
  /** the server time the group was judged at (ISO), also its received_at */
  t: string;
  /** media type of the group's requests ('mixed' when they differ) */
  m: string;
  /** source (user agents), as ingest_batches records it */
  s: string | null;
  /** rows of the group in total, and duplicates among them */
  n: number;
  d: number;
  /** accepted rows judged by the fast pre-check: their JSON documents */
  a: string[];
  /** accepted rows judged by the validation SQL: [row number, document] (the applier converts them with the same SQL) */
  v: [number, string][];
  /** rejected rows: [row number, event_id, type, code, message, raw] */
  r: [number, string | null, string | null, string, string, string | null][];
}

const HEADER = 8;

export function encodeRecord(record: LogRecord): Buffer {
  const payload = Buffer.from(JSON.stringify(record), 'utf8');
  const frame = Buffer.allocUnsafe(HEADER + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  payload.copy(frame, HEADER);
  return frame;
}

/** The whole records of a segment's bytes, and where the good part ends (a torn or corrupt tail starts there). */
export function decodeRecords(bytes: Buffer): { records: LogRecord[]; goodBytes: number } {
  const records: LogRecord[] = [];
  let at = 0;
  while (at + HEADER <= bytes.length) {
    const length = bytes.readUInt32LE(at);
    const sum = bytes.readUInt32LE(at + 4);
    if (at + HEADER + length > bytes.length) break;
    const payload = bytes.subarray(at + HEADER, at + HEADER + length);
    if (crc32(payload) !== sum) break;
    let record: LogRecord;
    try {
      record = JSON.parse(payload.toString('utf8')) as LogRecord;
    } catch {
      break; // a checksum that matches a non-JSON payload: treated as torn as well
    }
    records.push(record);
    at += HEADER + length;
  }
  return { records, goodBytes: at };
}

export interface Segment {
  number: number;
  path: string;
  /** Batch ids of the records written to it. */
  batches: number[];
  bytes: number;
}

export class LiveLog {
  private fd: number | null = null;
  private current: Segment | null = null;
  /** Closed segments, oldest first, waiting to be deleted once applied and checkpointed. */
  readonly closed: Segment[] = [];
  fsyncMs = 0;

  private constructor(
    readonly dir: string | null,
    private readonly segmentBytes: number,
  ) {}

  /** The log of a database file (none for an in-memory database: nothing outlives the process there). */
  static open(dbPath: string, segmentBytes = 16 * 1024 * 1024): LiveLog {
    if (dbPath === ':memory:') return new LiveLog(null, segmentBytes);
    const dir = `${dbPath}.live-log`;
    fs.mkdirSync(dir, { recursive: true });
    return new LiveLog(dir, segmentBytes);
  }

  /** Every record in the log, oldest first; torn tails are cut off the files (with a note of the bytes dropped). */
  readAll(note: (line: string) => void = () => undefined): { records: LogRecord[]; segments: string[] } {
    if (this.dir === null) return { records: [], segments: [] };
    const names = fs.readdirSync(this.dir).filter((n) => /^\d{12}\.log$/.test(n)).sort();
    const records: LogRecord[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      const bytes = fs.readFileSync(file);
      const decoded = decodeRecords(bytes);
      if (decoded.goodBytes < bytes.length) {
        note(`live log: ${bytes.length - decoded.goodBytes} bytes of an unfinished record dropped from the end of ${name} (never acknowledged)`);
        fs.truncateSync(file, decoded.goodBytes);
      }
      records.push(...decoded.records);
    }
    return { records, segments: names.map((n) => path.join(this.dir!, n)) };
  }

  /** Deletes segment files (after replay has committed and checkpointed them). */
  removeFiles(files: readonly string[]): void {
    for (const f of files) fs.rmSync(f, { force: true });
    if (files.length && this.dir) this.syncDir();
  }

  private syncDir(): void {
    const d = fs.openSync(this.dir!, 'r');
    try {
      fs.fsyncSync(d);
    } finally {
      fs.closeSync(d);
    }
  }

  private openSegment(): void {
    const existing = fs.readdirSync(this.dir!).filter((n) => /^\d{12}\.log$/.test(n)).map((n) => Number(n.slice(0, 12)));
    const number = Math.max(0, this.current?.number ?? 0, ...existing) + 1;
    const file = path.join(this.dir!, `${String(number).padStart(12, '0')}.log`);
    this.fd = fs.openSync(file, 'w');
    // The file's name must be as durable as its contents: fdatasync covers only the latter.
    this.syncDir();
    this.current = { number, path: file, batches: [], bytes: 0 };
  }

  /**
   * Appends one record and makes it durable; resolves after the fdatasync. Callers never overlap
   * two appends (the writer has one in flight at a time). On failure the file is cut back to its
   * last good length, so a later record never follows a torn one.
   */
  async append(record: LogRecord): Promise<void> {
    if (this.dir === null) return;
    if (this.current && this.current.bytes >= this.segmentBytes) {
      fs.closeSync(this.fd!);
      this.closed.push(this.current);
      this.current = null;
    }
    if (!this.current) this.openSegment();
    const seg = this.current!;
    const fd = this.fd!;
    const frame = encodeRecord(record);
    const t0 = performance.now();
    try {
      await new Promise<void>((resolve, reject) =>
        fs.write(fd, frame, 0, frame.length, seg.bytes, (error, written) => {
          if (error) return reject(error);
          // A short write to a regular file means the disk is full.
          if (written !== frame.length) return reject(Object.assign(new Error(`ENOSPC: no space left on device (a short write to the live log: ${written} of ${frame.length} bytes)`), { code: 'ENOSPC' }));
          fs.fdatasync(fd, (e) => (e ? reject(e) : resolve()));
        }),
      );
    } catch (error) {
      // If even the cut fails the log cannot be trusted any more: the caller treats this as fatal.
      fs.ftruncateSync(fd, seg.bytes);
      throw error;
    }
    this.fsyncMs = performance.now() - t0;
    seg.bytes += frame.length;
    seg.batches.push(record.b);
  }

  /** Closed segments all of whose batches are in `applied` (they may go once a checkpoint made them durable in DuckDB). */
  appliedClosed(applied: (batch: number) => boolean): Segment[] {
    const out: Segment[] = [];
    for (const seg of this.closed) {
      if (!seg.batches.every(applied)) break;
      out.push(seg);
    }
    return out;
  }

  dropClosed(segments: readonly Segment[]): void {
    for (const seg of segments) {
      fs.rmSync(seg.path, { force: true });
      this.closed.splice(this.closed.indexOf(seg), 1);
    }
    if (segments.length) this.syncDir();
  }

  /** Bytes in the log files now (closed and current segments). */
  get bytes(): number {
    return this.closed.reduce((n, s) => n + s.bytes, 0) + (this.current?.bytes ?? 0);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
