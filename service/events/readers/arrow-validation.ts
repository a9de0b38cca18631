/**
 * Checks one decoded Arrow record batch against its own buffers before any cell is read. The
 * `apache-arrow` decoder trusts the lengths and offsets in the message metadata: a forged string
 * offset made the reader build a 256 MB string from a 488-byte body, and a forged offset of
 * 0x7ffffff0 made DuckDB reserve 16 GiB. Every buffer the decoder hands out is a view of the body,
 * so checking lengths, offsets and dictionary indices against those views bounds all later work by
 * the body size. Types the reader does not need (unions, views) are refused rather than trusted.
 */
import { Type, type Data, type RecordBatch } from 'apache-arrow';
import { BodyParseError } from './body-errors.ts';

const MAX_DEPTH = 32;

const ACCEPTED = new Set<number>([
  Type.Null, Type.Int, Type.Float, Type.Bool, Type.Decimal, Type.Date, Type.Time, Type.Timestamp, Type.Interval, Type.Duration,
  Type.FixedSizeBinary, Type.Utf8, Type.Binary, Type.LargeUtf8, Type.LargeBinary, Type.List, Type.LargeList, Type.FixedSizeList,
  Type.Struct, Type.Map, Type.Dictionary,
]);

const VARIABLE = new Set<number>([Type.Utf8, Type.Binary, Type.LargeUtf8, Type.LargeBinary, Type.List, Type.LargeList, Type.Map]);

function fail(column: string, problem: string): never {
  throw new BodyParseError(`the Arrow stream is invalid: column "${column.slice(0, 64)}" ${problem}`, {});
}

/** Bytes of each row in variable-width columns, summed into `rowBytes` (for the row-size cap). */
function checkData(data: Data, column: string, depth: number, rowBytes: Float64Array | null): void {
  if (depth > MAX_DEPTH) fail(column, `nests deeper than ${MAX_DEPTH} levels`);
  const typeId = data.typeId as number;
  if (!ACCEPTED.has(typeId)) fail(column, `has Arrow type ${String(data.type)}, which is not accepted`);
  const { length, offset } = data;
  if (!Number.isSafeInteger(length) || length < 0 || offset !== 0) fail(column, 'has an invalid length or offset');
  if (typeId === Type.Null) return;
  if (data.nullCount > 0 && (!data.nullBitmap || data.nullBitmap.length * 8 < length)) fail(column, 'has a validity bitmap shorter than its length');
  if (typeId === Type.Dictionary) {
    const indices = data.values as ArrayLike<number | bigint>;
    if (indices.length < length) fail(column, 'has fewer dictionary indices than rows');
    const dictionary = data.dictionary;
    if (!dictionary) fail(column, 'has no dictionary');
    const size = dictionary.length;
    for (let i = 0; i < length; i++) {
      const k = Number(indices[i]);
      if (!(k >= 0 && k < size)) fail(column, `has dictionary index ${k} at row ${i + 1}, outside its dictionary of ${size}`);
    }
    for (const d of dictionary.data) checkData(d, column, depth + 1, null);
    return;
  }
  if (VARIABLE.has(typeId)) {
    const offsets = data.valueOffsets as ArrayLike<number | bigint>;
    if (!offsets || offsets.length < length + 1) fail(column, 'has fewer value offsets than rows');
    const nested = typeId === Type.List || typeId === Type.LargeList || typeId === Type.Map;
    const end = nested ? data.children[0]?.length ?? 0 : (data.values as Uint8Array).length;
    let prev = Number(offsets[0]);
    if (!(prev >= 0)) fail(column, 'has a negative first value offset');
    for (let i = 1; i <= length; i++) {
      const next = Number(offsets[i]);
      if (!(next >= prev) || next > end) fail(column, `has value offset ${next} at row ${i}, outside the ${end} bytes of its values or not increasing`);
      if (rowBytes && !nested) rowBytes[i - 1] += next - prev;
      prev = next;
    }
    if (nested) checkData(data.children[0], column, depth + 1, null);
    return;
  }
  if (typeId === Type.Struct) {
    for (const child of data.children) {
      if (child.length < length) fail(column, 'has a struct field shorter than the struct');
      checkData(child, column, depth + 1, null);
    }
    return;
  }
  if (typeId === Type.FixedSizeList) {
    const size = (data.type as unknown as { listSize: number }).listSize;
    const child = data.children[0];
    if (!child || child.length < length * size) fail(column, 'has fewer list values than rows × list size');
    checkData(child, column, depth + 1, null);
    return;
  }
  const values = data.values as ArrayLike<unknown>;
  const needed = typeId === Type.Bool ? Math.ceil(length / 8) : length * data.stride;
  if (!values || values.length < needed) fail(column, `has a value buffer shorter than its ${length} rows`);
}

/**
 * Throws BodyParseError when the batch's buffers do not hold what its metadata claims, when it
 * declares more rows than the bytes received so far could carry (a row costs at least one byte in
 * any column but Null), or when one row's variable-width cells exceed `maxRowBytes`.
 */
export function validateBatch(batch: RecordBatch, bytesSoFar: number, maxRowBytes: number): void {
  const rows = batch.numRows;
  if (rows > bytesSoFar) throw new BodyParseError(`the Arrow stream is invalid: a record batch declares ${rows} rows in ${bytesSoFar} bytes`, {});
  const rowBytes = new Float64Array(rows);
  batch.schema.fields.forEach((field, j) => {
    const vector = batch.getChildAt(j);
    if (!vector || vector.length !== rows) fail(field.name, 'does not have the batch’s row count');
    for (const data of vector.data) checkData(data, field.name, 0, rowBytes);
  });
  for (let i = 0; i < rows; i++) {
    if (rowBytes[i] > maxRowBytes) {
      throw new BodyParseError(`row ${i + 1} of an Arrow record batch holds ${rowBytes[i]} bytes of text, over the limit of ${maxRowBytes} (MAX_ROW_BYTES)`, {});
    }
  }
}
