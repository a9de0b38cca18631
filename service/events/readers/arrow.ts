/**
 * application/vnd.apache.arrow.stream: an Arrow IPC stream whose columns are the event fields
 * (Utf8 or Dictionary<Utf8> strings, any numeric type, Timestamp for occurred_at, Date or Utf8 for
 * dates). Each row is staged as the same JSON document an NDJSON producer would have sent, so the
 * one validation applies; null cells mean "absent". Row number = position in the stream, from 1.
 * A stream that cannot be decoded fails the request.
 */
import { RecordBatchReader, Type, type DataType, type Vector } from 'apache-arrow';
import type { Staging } from '../staging.ts';
import { BodyParseError, type ByteSource } from './body-errors.ts';

type Cell = (i: number) => string | number | boolean | null;

function cellReader(vector: Vector, type: DataType): Cell {
  const typeId = type.typeId;
  if (typeId === Type.Timestamp) {
    return (i) => {
      const v = vector.get(i) as number | bigint | null;
      return v === null ? null : new Date(Number(v)).toISOString();
    };
  }
  if (typeId === Type.Date) {
    return (i) => {
      const v = vector.get(i) as number | Date | null;
      return v === null ? null : new Date(typeof v === 'number' ? v : v.getTime()).toISOString().slice(0, 10);
    };
  }
  if (typeId === Type.Int && (type as unknown as { bitWidth: number }).bitWidth === 64) {
    return (i) => {
      const v = vector.get(i) as bigint | null;
      return v === null ? null : Number(v);
    };
  }
  if (typeId === Type.Decimal) return (i) => (vector.get(i) === null ? null : String(vector.get(i)));
  return (i) => {
    const v = vector.get(i) as string | number | boolean | null;
    // JSON.stringify would turn NaN into null (absent); keep it visible so it is rejected as such.
    return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
  };
}

export async function readArrow(body: ByteSource, staging: Staging): Promise<void> {
  let row = 0;
  let reader: RecordBatchReader;
  try {
    reader = await RecordBatchReader.from((async function* () {
      for await (const chunk of body) yield chunk;
    })() as unknown as AsyncIterable<Uint8Array> & { [Symbol.asyncIterator](): AsyncIterator<Uint8Array> } as never);
    await reader.open();
  } catch (error) {
    throw new BodyParseError(`the body is not an Arrow IPC stream: ${(error as Error).message}`, { byte: 0 });
  }
  try {
    for await (const batch of reader) {
      const names = batch.schema.fields.map((f) => f.name);
      const cells = batch.schema.fields.map((f, j) => cellReader(batch.getChildAt(j)!, f.type));
      for (let i = 0; i < batch.numRows; i++) {
        const obj: Record<string, unknown> = {};
        for (let j = 0; j < names.length; j++) {
          const v = cells[j](i);
          if (v !== null && v !== undefined) obj[names[j]] = v;
        }
        staging.add(++row, JSON.stringify(obj));
      }
    }
  } catch (error) {
    if (error instanceof BodyParseError) throw error;
    throw new BodyParseError(`the Arrow stream is broken after row ${row}: ${(error as Error).message}`, { row });
  }
}
