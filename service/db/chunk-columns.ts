/**
 * Writes one column of a DuckDB data chunk straight into its vector through the C API bindings:
 * fixed-width cells into one typed array copied over in one call, text cells one native call
 * each, and the null mask built as bytes and copied in one call. The node-api vectors' setItem
 * keeps its null mask as BigInt words and touches it for every cell once a column has a null:
 * with the live path's contact events (26 of 36 cells null) appending cost 6.6 µs a row that way,
 * the largest single cost of the service's main thread under 20-event requests (`--cpu-prof`).
 * Only the storage kinds the callers need; anything else is refused at the first use, not guessed.
 */
import { DuckDBTypeId, type DuckDBDataChunk, type DuckDBType } from '@duckdb/node-api';
import bindings from '@duckdb/node-bindings';

/** DuckDB's vector size: the most rows of one data chunk. */
export const CHUNK_ROWS = 2048;

/** How a column's cells are laid out in its vector. */
export type Storage = 'varchar' | 'int32' | 'int64' | 'float64';

/** The storage of a column of type `type`; throws for a type this module does not write. */
export function storageOf(type: DuckDBType): Storage {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
      return 'varchar';
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.DATE: // days since 1970
      return 'int32';
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.TIMESTAMP_TZ: // µs since 1970
      return 'int64';
    case DuckDBTypeId.DOUBLE:
      return 'float64';
    case DuckDBTypeId.DECIMAL: {
      // DuckDB stores a decimal of width 10–18 as its scaled int64.
      if (type.width >= 10 && type.width <= 18) return 'int64';
      break;
    }
  }
  throw new Error(`chunk-columns: no writer for column type ${type.toString()}`);
}

/** A cell: text for varchar, a number for int32/float64, a bigint for int64; null is a null cell. */
export type Cell = string | number | bigint | null;

/**
 * Sets column `column` of `chunk` (whose row count is `rows`) from `cell(row)`. The cell must
 * match the storage (a bigint for int64, and so on); a typed array rejects anything else.
 */
export function writeColumn(chunk: DuckDBDataChunk, column: number, rows: number, storage: Storage, cell: (row: number) => Cell): void {
  const vector = bindings.data_chunk_get_vector(chunk.chunk, column);
  const mask = new Uint8Array(Math.ceil(rows / 64) * 8).fill(0xff);
  let nulls = 0;
  if (storage === 'varchar') {
    for (let i = 0; i < rows; i++) {
      const value = cell(i);
      if (value === null) {
        mask[i >> 3] &= ~(1 << (i & 7));
        nulls++;
      } else bindings.vector_assign_string_element(vector, i, value as string);
    }
  } else {
    const data = storage === 'int32' ? new Int32Array(rows) : storage === 'float64' ? new Float64Array(rows) : new BigInt64Array(rows);
    for (let i = 0; i < rows; i++) {
      const value = cell(i);
      if (value === null) {
        mask[i >> 3] &= ~(1 << (i & 7));
        nulls++;
      } else data[i] = value as never;
    }
    // An all-null column needs no data: DuckDB reads none of it.
    if (nulls < rows) bindings.copy_data_to_vector(vector, 0, data.buffer, data.byteOffset, data.byteLength);
  }
  if (nulls > 0) {
    bindings.vector_ensure_validity_writable(vector);
    bindings.copy_data_to_vector_validity(vector, 0, mask.buffer, mask.byteOffset, mask.byteLength);
  }
}

/** One fixed-width column of a chunk as read: `values[i]` is meaningless where `valid(i)` is false. */
export interface ReadColumn {
  values: Int32Array | BigInt64Array | Float64Array;
  /** The null mask's bytes (bit i of byte i >> 3), or null when no cell is null. */
  mask: Uint8Array | null;
}

/** Whether row `i` of a read column holds a value. */
export const isValid = (column: ReadColumn, i: number): boolean => column.mask === null || (column.mask[i >> 3] & (1 << (i & 7))) !== 0;

/**
 * Column `column` of `chunk` (its first `rows` rows) as a typed array over the vector's data and
 * its null mask, read in two native calls instead of one `getItem` per cell (which decodes the
 * null mask with BigInt arithmetic every time): the model inputs' 220 000 rows × 25 columns on
 * the large set are read this way. Fixed-width storage only; text columns are read with getItem.
 */
export function readColumn(chunk: DuckDBDataChunk, column: number, rows: number, storage: Exclude<Storage, 'varchar'>): ReadColumn {
  const vector = bindings.data_chunk_get_vector(chunk.chunk, column);
  const width = storage === 'int32' ? 4 : 8;
  const data = bindings.vector_get_data(vector, rows * width);
  // A typed view needs an aligned offset; copy the bytes when DuckDB's are not (never seen).
  const bytes = data.byteOffset % width === 0 ? data : data.slice();
  const values =
    storage === 'int32' ? new Int32Array(bytes.buffer, bytes.byteOffset, rows) : storage === 'float64' ? new Float64Array(bytes.buffer, bytes.byteOffset, rows) : new BigInt64Array(bytes.buffer, bytes.byteOffset, rows);
  const mask = bindings.vector_get_validity(vector, Math.ceil(rows / 64) * 8);
  return { values, mask: mask ?? null };
}
