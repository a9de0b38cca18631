/**
 * application/vnd.apache.arrow.stream: an Arrow IPC stream whose columns are the event fields
 * (Utf8 or Dictionary<Utf8> strings, any numeric type, Timestamp for occurred_at, Date or Utf8 for
 * dates). Columns are staged as columns, each cell as its text, like a CSV cell: no JSON is built
 * or parsed per row (which made this path several times slower than NDJSON), and a run of cells
 * goes to DuckDB as one packed value per column (see Staging.addPackedColumns). Null cells mean
 * "absent"; columns outside the contract are kept per row in `extra` with their Arrow values.
 * Row number = position in the stream, from 1. A stream that cannot be decoded fails the request.
 */
import { RecordBatchReader, Type, type DataType, type Vector } from 'apache-arrow';
import { isUtf8 } from 'node:buffer';
import { CHUNK_ROWS } from '../../db/chunk-columns.ts';
import { PACKED_NULL, PACKED_SEPARATOR, type RowSink, type TextColumn } from '../staging.ts';
import { EXTRACTED_FIELDS } from '../validation-sql.ts';
import { validateBatch } from './arrow-validation.ts';
import { BodyParseError, isBodyError, type ByteSource } from './body-errors.ts';
import { bodyLimits } from './body-limits.ts';

/** Growing byte buffer that packs one column of a chunk (see Staging.addPackedColumns). */
export class Packer {
  private buf = new Uint8Array(1 << 16);
  /** Bytes written so far; writers that reserve() room write at it and move it themselves. */
  pos = 0;

  reset(): void {
    this.pos = 0;
  }

  /** Room for `n` more bytes: the buffer to write them into, from `pos`. */
  reserve(n: number): Uint8Array {
    this.room(n);
    return this.buf;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  text(s: string): void {
    this.room(s.length * 3);
    let p = this.pos;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        p += encoder.encodeInto(s.slice(i), this.buf.subarray(p)).written;
        break;
      }
      this.buf[p++] = c;
    }
    this.pos = p;
  }

  take(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

const encoder = new TextEncoder();
const packer = new Packer();
/** Rows per packed value: large enough that the per-value costs vanish, small enough to stay in cache. */
const PACK_ROWS = 16_384;

/**
 * A column of one record batch: its cells as text, and (when `packable`) a packer that writes a
 * run of them as one packed value straight from the Arrow buffers. Vector.get costs about 200 ns
 * a cell, which on a wide batch was most of the request; strings are copied as bytes.
 */
export interface ArrowColumn extends TextColumn {
  packable: boolean;
  pack(into: Packer, start: number, rows: number): void;
}

export function arrowColumn(vector: Vector, type: DataType): ArrowColumn {
  const data = vector.data.length === 1 ? vector.data[0] : null;
  const bitmap = data && data.nullCount > 0 ? data.nullBitmap : null;
  // Arrow slices value offsets and fixed-width values with the data, but not the null bitmap:
  // only the bitmap is read at `offset`.
  const offset = data?.offset ?? 0;
  const isValid = data
    ? bitmap
      ? (row: number) => ((bitmap[(offset + row) >> 3] >> ((offset + row) & 7)) & 1) === 1
      : () => true
    : (row: number) => vector.isValid(row);
  const packWith = (text: (row: number) => string) => (into: Packer, start: number, rows: number) => {
    for (let i = start; i < start + rows; i++) {
      if (i > start) into.byte(PACKED_SEPARATOR);
      if (isValid(i)) into.text(text(i));
      else into.byte(PACKED_NULL);
    }
  };
  const typeId = type.typeId;
  if (data && typeId === Type.Utf8) {
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    const from = offsets[0];
    const to = offsets[vector.length];
    const cells = bytes.subarray(from, to);
    const packable = cells.indexOf(PACKED_SEPARATOR) === -1 && cells.indexOf(PACKED_NULL) === -1 && isUtf8(cells);
    const text = (row: number) => utf8.decode(bytes.subarray(offsets[row], offsets[row + 1]));
    return {
      isValid,
      text,
      packable,
      pack(into, start, rows) {
        // One reservation for the run (cells, plus a separator or null byte per row), then a
        // tight loop: cells are short, and a plain byte loop beats a subarray and set() per cell.
        const buf = into.reserve(offsets[start + rows] - offsets[start] + rows);
        let p = into.pos;
        for (let i = start; i < start + rows; i++) {
          if (i > start) buf[p++] = PACKED_SEPARATOR;
          if (isValid(i)) for (let k = offsets[i], end = offsets[i + 1]; k < end; k++) buf[p++] = bytes[k];
          else buf[p++] = PACKED_NULL;
        }
        into.pos = p;
      },
    };
  }
  const plainNumbers = data && ((typeId === Type.Float && (data.values instanceof Float64Array || data.values instanceof Float32Array)) || typeId === Type.Int);
  if (data && plainNumbers) {
    const values = data.values as ArrayLike<number | bigint>;
    const text = (row: number) => String(values[row]);
    return { isValid, text, packable: true, pack: packWith(text) };
  }
  if (typeId === Type.Timestamp) {
    const text = (row: number) => new Date(Number(vector.get(row))).toISOString();
    return { isValid, text, packable: true, pack: packWith(text) };
  }
  if (typeId === Type.Date) {
    const text = (row: number) => {
      const v = vector.get(row) as number | Date;
      return new Date(typeof v === 'number' ? v : v.getTime()).toISOString().slice(0, 10);
    };
    return { isValid, text, packable: true, pack: packWith(text) };
  }
  // Anything else (dictionaries, decimals, nested values) goes cell by cell: its text is not
  // known to be free of the packing bytes.
  const text = (row: number) => {
    const v = vector.get(row) as unknown;
    return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  return { isValid: (row) => vector.get(row) !== null && vector.get(row) !== undefined, text, packable: false, pack: packWith(text) };
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A cell's value for the `extra` object: JSON-safe, non-finite numbers kept visible as text. */
function extraValue(vector: Vector, i: number): unknown {
  const v = vector.get(i) as unknown;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}

/** Errors of the body itself (too large, client gone) pass through; decoder errors become a 400. */
function asBodyError(error: unknown, message: string, position: { byte?: number; row?: number }): unknown {
  if (isBodyError(error)) return error;
  // The decoder's own messages name JS internals ("Cannot read properties of undefined"): not shown.
  return new BodyParseError(message, position);
}

async function openStream(body: ByteSource, counted: { bytes: number }): Promise<RecordBatchReader> {
  try {
    const reader: RecordBatchReader = await RecordBatchReader.from((async function* () {
      for await (const chunk of body) {
        counted.bytes += chunk.length;
        yield chunk;
      }
    })() as unknown as AsyncIterable<Uint8Array> & { [Symbol.asyncIterator](): AsyncIterator<Uint8Array> } as never);
    await reader.open();
    return reader;
  } catch (error) {
    throw asBodyError(error, 'the body is not an Arrow IPC stream (its schema message could not be read)', { byte: 0 });
  }
}

export async function readArrow(body: ByteSource, staging: RowSink): Promise<void> {
  const counted = { bytes: 0 };
  const reader = await openStream(body, counted);
  let row = 0;
  let started = false;
  try {
    for await (const batch of reader) {
      validateBatch(batch, counted.bytes, bodyLimits.maxRowBytes);
      const names = batch.schema.fields.map((f) => f.name);
      const known = names.flatMap((n, j) => (EXTRACTED_FIELDS.includes(n) ? [j] : []));
      const unknown = names.flatMap((n, j) => (EXTRACTED_FIELDS.includes(n) ? [] : [j]));
      // One schema per stream: the staged columns are those of the first batch.
      if (!started) await staging.startColumns(known.map((j) => names[j]));
      started = true;
      const vectors = names.map((_, j) => batch.getChildAt(j)!);
      const columns = known.map((j) => arrowColumn(vectors[j], batch.schema.fields[j].type));
      const extraOf = (start: number, n: number) => {
        const extra = new Array<string | null>(n).fill(null);
        if (!unknown.length) return extra;
        for (let i = 0; i < n; i++) {
          const obj: Record<string, unknown> = {};
          let any = false;
          for (const j of unknown) {
            const v = extraValue(vectors[j], start + i);
            if (v !== null && v !== undefined) (obj[names[j]] = v), (any = true);
          }
          if (any) extra[i] = JSON.stringify(obj); // control characters come out escaped: packable
        }
        return extra;
      };
      if (columns.every((c) => c.packable)) {
        for (let start = 0; start < batch.numRows; start += PACK_ROWS) {
          const n = Math.min(PACK_ROWS, batch.numRows - start);
          packer.reset();
          extraOf(start, n).forEach((e, i) => {
            if (i > 0) packer.byte(PACKED_SEPARATOR);
            if (e === null) packer.byte(PACKED_NULL);
            else packer.text(e);
          });
          const extra = packer.take();
          const packed = columns.map((c) => {
            packer.reset();
            c.pack(packer, start, n);
            return packer.take();
          });
          staging.addPackedColumns(row + start + 1, n, extra, packed);
        }
      } else {
        for (let start = 0; start < batch.numRows; start += CHUNK_ROWS) {
          const n = Math.min(CHUNK_ROWS, batch.numRows - start);
          const rns = Array.from({ length: n }, (_, i) => row + start + i + 1);
          const slice = columns.map((c): TextColumn => ({ isValid: (i) => c.isValid(start + i), text: (i) => c.text(start + i) }));
          staging.addColumns(rns, slice, extraOf(start, n), n);
        }
      }
      row += batch.numRows;
    }
  } catch (error) {
    throw asBodyError(error, `the Arrow stream is broken after row ${row} (a message could not be decoded)`, { row });
  }
}
