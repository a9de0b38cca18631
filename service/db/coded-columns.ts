/**
 * Reading a model's input (100 000s of rows, a dozen columns) without turning every value into a JS
 * value on the event loop. Text is the cost: decoding one VARCHAR value takes 0.5–1 µs, so the
 * drivers' 157 000 rows × 11 categories held the event loop for 1.0 s on the large set, and every
 * ingest acknowledgement waited behind it. So a categorical column `x` comes with a column
 * `x__code`, its dense rank among the statement's values (codedStatement below): the reader copies
 * the integer codes and decodes `x` only on the first row of each code. Every other column must be
 * numeric and is copied into a Float64Array (NULL as NaN); codedStatement() writes such a statement
 * from plain rows. The result is streamed: the event loop
 * gets a turn between chunks of 2 048 rows, so no read holds it for more than a chunk's copy.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { isValid, readColumn, storageOf } from './chunk-columns.ts';

/** A categorical column: `levels[codes[i]]` is row i's value (NULL stays null). */
export interface CodedColumn {
  codes: Int32Array;
  levels: (string | null)[];
}

export interface CodedColumns {
  rows: number;
  numbers: Record<string, Float64Array>;
  categories: Record<string, CodedColumn>;
}

const CODE = '__code';
const NAME = /^[a-z_][a-z0-9_]*$/;

/** What to read of a model's rows: numeric columns, categories to code, and the row order. */
export interface CodedRead {
  numbers: readonly string[];
  categories: readonly string[];
  /** A column of the rows that orders them totally (a model's sums run in this order). */
  orderBy: string;
}

/**
 * The statement readCodedColumns reads: `rows` (a query returning at least these columns) with only
 * the columns named, each category `x` with its partner `x__code`, its position among the sorted
 * distinct values of the rows, NULL last: what `dense_rank() OVER (ORDER BY x)` gives, from a one-row
 * list of levels (`list(DISTINCT x)`) and not a window sort per column (on the large set the
 * drivers' input for 143 000 rows took 720 ms with eleven windows, 220 ms this way). Only the
 * columns a model uses are coded and read: the drivers' query offers eleven categories, a fit
 * adjusts for four to six, and carrying the rest cost a third of the read (410 → 280 ms for the
 * 99 000 rows of one market). Names come from the callers' allow-lists and are checked again here.
 */
export function codedStatement(rows: string, read: CodedRead): string {
  const names = [...read.numbers, ...read.categories, read.orderBy];
  for (const n of names) if (!NAME.test(n)) throw new Error(`codedStatement: ${n} is not a plain column name`);
  const kept = [...new Set(names)].join(', ');
  const levels = read.categories.map((x) => `coalesce(list_sort(list(DISTINCT ${x}) FILTER (WHERE ${x} IS NOT NULL)), []::VARCHAR[]) AS ${x}`).join(', ');
  const columns = [...read.numbers.map((x) => `r.${x}`), ...read.categories.map((x) => `r.${x}, coalesce(list_position(l.${x}, r.${x}), len(l.${x}) + 1)::INTEGER AS ${x}${CODE}`)].join(', ');
  return `WITH model_rows AS (SELECT ${kept} FROM (${rows}) AS q), levels AS (SELECT ${levels || '1 AS none'} FROM model_rows)
SELECT ${columns} FROM model_rows r, levels l ORDER BY r.${read.orderBy}`;
}

export async function readCodedColumns(c: DuckDBConnection, text: string, params: Record<string, DuckDBValue>): Promise<CodedColumns> {
  const result = await c.stream(text, params);
  const names = result.columnNames();
  const index = new Map(names.map((n, i) => [n, i]));
  const coded = names.filter((n) => n.endsWith(CODE)).map((n) => n.slice(0, -CODE.length));
  for (const n of coded) if (!index.has(n)) throw new Error(`readCodedColumns: ${n}${CODE} has no column ${n}`);
  const numeric = names.filter((n) => !n.endsWith(CODE) && !coded.includes(n));
  const types = result.columnTypes();
  const storages = numeric.map((name) => {
    const storage = storageOf(types[index.get(name)!]);
    if (storage === 'varchar') throw new Error(`readCodedColumns: ${name} is not numeric`);
    return storage;
  });
  const codeStorages = coded.map((n) => {
    const storage = storageOf(types[index.get(n + CODE)!]);
    if (storage !== 'int32' && storage !== 'int64') throw new Error(`readCodedColumns: ${n}${CODE} is not an integer`);
    return storage;
  });
  let capacity = 1 << 14;
  let rows = 0;
  let numbers = numeric.map(() => new Float64Array(capacity));
  let codes = coded.map(() => new Int32Array(capacity));
  const levels = coded.map(() => [] as (string | null)[]);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    if (rows + n > capacity) {
      while (rows + n > capacity) capacity *= 2;
      numbers = numbers.map((a) => grow(a, new Float64Array(capacity)));
      codes = codes.map((a) => grow(a, new Int32Array(capacity)));
    }
    numeric.forEach((name, k) => {
      const column = readColumn(chunk, index.get(name)!, n, storages[k]);
      const out = numbers[k];
      for (let i = 0; i < n; i++) out[rows + i] = isValid(column, i) ? Number(column.values[i]) : NaN;
    });
    coded.forEach((name, k) => {
      const code = readColumn(chunk, index.get(name + CODE)!, n, codeStorages[k]);
      const text = chunk.getColumnVector(index.get(name)!);
      const out = codes[k];
      const seen = levels[k];
      for (let i = 0; i < n; i++) {
        // dense_rank counts from 1.
        const r = Number(code.values[i]) - 1;
        out[rows + i] = r;
        if (seen[r] === undefined) {
          const value = text.getItem(i);
          seen[r] = value === null ? null : String(value);
        }
      }
    });
    rows += n;
  }
  return {
    rows,
    numbers: Object.fromEntries(numeric.map((name, k) => [name, numbers[k].slice(0, rows)])),
    categories: Object.fromEntries(coded.map((name, k) => [name, { codes: codes[k].slice(0, rows), levels: levels[k] }])),
  };
}

function grow<T extends Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
