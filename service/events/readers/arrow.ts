/**
 * application/vnd.apache.arrow.stream: an Arrow IPC stream whose columns are the event fields
 * (Utf8 or Dictionary<Utf8> strings, any numeric type, Timestamp for occurred_at, Date or Utf8 for
 * dates). Columns are staged as columns, each cell as its text, like a CSV cell: no JSON is built
 * or parsed per row, which made this path several times slower than NDJSON. Null cells mean
 * "absent"; columns outside the contract are kept per row in `extra` with their Arrow values.
 * Row number = position in the stream, from 1. A stream that cannot be decoded fails the request.
 */
import { RecordBatchReader, Type, type DataType, type Vector } from 'apache-arrow';
import { CHUNK_ROWS, type Staging, type TextColumn } from '../staging.ts';
import { EXTRACTED_FIELDS } from '../validation-sql.ts';
import { BodyParseError, type ByteSource } from './body-errors.ts';

/**
 * A column's cells as text, read from the Arrow buffers where that is simple (strings, numbers)
 * and through Vector.get otherwise: get() costs about 200 ns a cell, which on a wide batch was
 * most of the request. `row` counts from the start of the record batch.
 */
function textColumn(vector: Vector, type: DataType): TextColumn {
  const data = vector.data.length === 1 ? vector.data[0] : null;
  const bitmap = data && data.nullCount > 0 ? data.nullBitmap : null;
  const offset = data?.offset ?? 0;
  const isValid = data
    ? bitmap
      ? (row: number) => ((bitmap[(offset + row) >> 3] >> ((offset + row) & 7)) & 1) === 1
      : () => true
    : (row: number) => vector.isValid(row);
  const typeId = type.typeId;
  if (data && typeId === Type.Utf8) {
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    // Pure ASCII: byte offsets are character offsets, and a slice of one string is nearly free.
    if (!/[\u0080-\u00ff]/.test(latin1)) return { isValid, text: (row) => latin1.slice(offsets[offset + row], offsets[offset + row + 1]) };
    return { isValid, text: (row) => utf8.decode(bytes.subarray(offsets[offset + row], offsets[offset + row + 1])) };
  }
  const plainNumbers = data && ((typeId === Type.Float && (data.values instanceof Float64Array || data.values instanceof Float32Array)) || typeId === Type.Int);
  if (data && plainNumbers) {
    const values = data.values as ArrayLike<number | bigint>;
    return { isValid, text: (row) => String(values[offset + row]) };
  }
  if (typeId === Type.Timestamp) return { isValid, text: (row) => new Date(Number(vector.get(row))).toISOString() };
  if (typeId === Type.Date) {
    return {
      isValid,
      text: (row) => {
        const v = vector.get(row) as number | Date;
        return new Date(typeof v === 'number' ? v : v.getTime()).toISOString().slice(0, 10);
      },
    };
  }
  return {
    isValid: (row) => vector.get(row) !== null && vector.get(row) !== undefined,
    text: (row) => {
      const v = vector.get(row) as unknown;
      return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    },
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A cell's value for the `extra` object: JSON-safe, non-finite numbers kept visible as text. */
function extraValue(vector: Vector, i: number): unknown {
  const v = vector.get(i) as unknown;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}

async function openStream(body: ByteSource): Promise<RecordBatchReader> {
  try {
    const reader: RecordBatchReader = await RecordBatchReader.from((async function* () {
      for await (const chunk of body) yield chunk;
    })() as unknown as AsyncIterable<Uint8Array> & { [Symbol.asyncIterator](): AsyncIterator<Uint8Array> } as never);
    await reader.open();
    return reader;
  } catch (error) {
    throw new BodyParseError(`the body is not an Arrow IPC stream: ${(error as Error).message}`, { byte: 0 });
  }
}

export async function readArrow(body: ByteSource, staging: Staging): Promise<void> {
  const reader = await openStream(body);
  let row = 0;
  let started = false;
  try {
    for await (const batch of reader) {
      const names = batch.schema.fields.map((f) => f.name);
      const known = names.flatMap((n, j) => (EXTRACTED_FIELDS.includes(n) ? [j] : []));
      const unknown = names.flatMap((n, j) => (EXTRACTED_FIELDS.includes(n) ? [] : [j]));
      // One schema per stream: the staged columns are those of the first batch.
      if (!started) await staging.startColumns(known.map((j) => names[j]));
      started = true;
      const vectors = names.map((_, j) => batch.getChildAt(j)!);
      const columns = known.map((j) => textColumn(vectors[j], batch.schema.fields[j].type));
      for (let start = 0; start < batch.numRows; start += CHUNK_ROWS) {
        const n = Math.min(CHUNK_ROWS, batch.numRows - start);
        const rns = new Array<number>(n);
        const extra = new Array<string | null>(n).fill(null);
        for (let i = 0; i < n; i++) rns[i] = row + start + i + 1;
        const slice = columns.map((c): TextColumn => ({ isValid: (i) => c.isValid(start + i), text: (i) => c.text(start + i) }));
        if (unknown.length) {
          for (let i = 0; i < n; i++) {
            const obj: Record<string, unknown> = {};
            let any = false;
            for (const j of unknown) {
              const v = extraValue(vectors[j], start + i);
              if (v !== null && v !== undefined) (obj[names[j]] = v), (any = true);
            }
            if (any) extra[i] = JSON.stringify(obj);
          }
        }
        staging.addColumns(rns, slice, extra, n);
      }
      row += batch.numRows;
    }
  } catch (error) {
    if (error instanceof BodyParseError) throw error;
    throw new BodyParseError(`the Arrow stream is broken after row ${row}: ${(error as Error).message}`, { row });
  }
}
