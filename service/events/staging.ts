/**
 * The staging table of one ingest request: every row of the body, whatever its media type, lands
 * here first as (row number, JSON document, raw text, reader's rejection) through DuckDB's
 * appender in chunks, so the body is never held in memory as one string. Validation and the
 * commit then run as set operations over it (see validation-sql.ts and ingest.ts).
 *
 * Line-oriented text (NDJSON) can instead be staged as whole blocks of lines, which DuckDB splits:
 * handing over one string per 64 KiB instead of one per line cuts the JavaScript side of staging
 * from about 1.2 µs to under 0.2 µs per row, and that side runs on the one event-loop thread.
 */
import { DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { CHUNK_ROWS, writeColumn } from '../db/chunk-columns.ts';
import { EXTRACTED_FIELDS, type StagedSource } from './validation-sql.ts';

/** Packed columns (addPackedColumns): the byte between two cells, and the byte that is a null cell. */
export const PACKED_SEPARATOR = 0x1f;
export const PACKED_NULL = 0x1e;

/** One column of a chunk of rows, read cell by cell: is there a value, and its text. */
export interface TextColumn {
  isValid(row: number): boolean;
  text(row: number): string;
}

/**
 * What a reader writes its rows to: the DuckDB staging table of one request (Staging), or the
 * in-memory rows of a small request bound for the live path (live-rows.ts).
 */
export interface RowSink {
  add(rn: number, doc: string | null, raw?: string | null, code?: string | null, message?: string | null): void;
  addBlock(firstLine: number, text: string): Promise<void>;
  startColumns(fields: readonly string[]): Promise<void>;
  addPackedColumns(firstRow: number, rows: number, extra: Uint8Array, columns: readonly Uint8Array[]): void;
  addColumns(rns: readonly number[], columns: readonly TextColumn[], extra: readonly (string | null)[], rows: number): void;
}

export class Staging implements RowSink {
  private rns: number[] = [];
  private docs: (string | null)[] = [];
  private raws: (string | null)[] = [];
  private codes: (string | null)[] = [];
  private messages: (string | null)[] = [];
  private blocks: DuckDBAppender | null = null;
  private columns: DuckDBAppender | null = null;
  private packed: DuckDBAppender | null = null;
  private packedRows = 0;
  /** What validation reads: the JSON documents of `staged`, or the text columns of `staged_columns`. */
  source: StagedSource = { kind: 'documents' };

  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly appender: DuckDBAppender,
  ) {}

  static async create(connection: DuckDBConnection): Promise<Staging> {
    await connection.run(`CREATE OR REPLACE TEMP TABLE staged (rn INTEGER, doc VARCHAR, raw VARCHAR, pre_code VARCHAR, pre_message VARCHAR)`);
    return new Staging(connection, await connection.createAppender('staged', 'main', 'temp'));
  }

  /**
   * Add consecutive lines (joined by '\n', each may end in '\r') numbered from `firstLine`.
   * Blank lines are skipped, as in add(); the rest become rows of their own when finish() splits.
   */
  async addBlock(firstLine: number, text: string): Promise<void> {
    if (!this.blocks) {
      await this.connection.run(`CREATE OR REPLACE TEMP TABLE staged_blocks (first_line INTEGER, text VARCHAR)`);
      this.blocks = await this.connection.createAppender('staged_blocks', 'main', 'temp');
    }
    this.blocks.appendInteger(firstLine);
    this.blocks.appendVarchar(text);
    this.blocks.endRow();
  }

  /**
   * Stage this request's rows as columns instead of documents: `fields` (contract fields only,
   * they become column names) hold each cell as text; anything else goes in a JSON object.
   */
  async startColumns(fields: readonly string[]): Promise<void> {
    const unknown = fields.filter((f) => !EXTRACTED_FIELDS.includes(f));
    if (unknown.length) throw new Error(`not contract fields: ${unknown.join(', ')}`);
    const defs = fields.map((f) => `, "${f}" VARCHAR`).join('');
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE staged_columns (rn INTEGER, extra_json VARCHAR${defs})`);
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE staged_packed (first_rn INTEGER, n INTEGER, extra BLOB${defs.replaceAll('VARCHAR', 'BLOB')})`);
    this.columns = await this.connection.createAppender('staged_columns', 'main', 'temp');
    this.packed = await this.connection.createAppender('staged_packed', 'main', 'temp');
    this.source = { kind: 'columns', fields };
  }

  /**
   * Append `rows` rows numbered from `firstRow`, each column packed into one value: the UTF-8
   * text of its cells separated by PACKED_SEPARATOR, a null cell being PACKED_NULL alone (so no
   * cell may contain either byte; addColumns takes those). One value per column instead of one
   * per cell: handing cells over one by one cost about 200 ns each, most of an Arrow request.
   */
  addPackedColumns(firstRow: number, rows: number, extra: Uint8Array, columns: readonly Uint8Array[]): void {
    if (!this.packed || this.source.kind !== 'columns') throw new Error('startColumns() first');
    this.packed.appendInteger(firstRow);
    this.packed.appendInteger(rows);
    this.packed.appendBlob(extra);
    for (const column of columns) this.packed.appendBlob(column);
    this.packed.endRow();
    this.packedRows++;
  }

  /**
   * Append `rows` rows (at most CHUNK_ROWS): row numbers, one TextColumn per field (in
   * startColumns order) and the extra JSON texts. Cells are written straight into DuckDB's
   * vectors: a wide, sparse Arrow batch has tens of null cells per row, and going through
   * setColumnValues cost about 25 ns per cell, more than all the rest of the staging.
   */
  addColumns(rns: readonly number[], columns: readonly TextColumn[], extra: readonly (string | null)[], rows: number): void {
    if (!this.columns || this.source.kind !== 'columns') throw new Error('startColumns() first');
    const chunk = DuckDBDataChunk.create([INTEGER, VARCHAR, ...this.source.fields.map(() => VARCHAR)], rows);
    writeColumn(chunk, 0, rows, 'int32', (i) => rns[i]);
    writeColumn(chunk, 1, rows, 'varchar', (i) => extra[i]);
    columns.forEach((column, c) => writeColumn(chunk, c + 2, rows, 'varchar', (i) => (column.isValid(i) ? column.text(i) : null)));
    this.columns.appendDataChunk(chunk);
  }

  /**
   * Add one row. `doc` is the JSON object text to validate; `raw` is the text as received when it
   * differs (a CSV record); `code`/`message` reject the row before validation (bad encoding).
   */
  add(rn: number, doc: string | null, raw: string | null = null, code: string | null = null, message: string | null = null): void {
    this.rns.push(rn);
    this.docs.push(doc);
    this.raws.push(raw);
    this.codes.push(code);
    this.messages.push(message);
    if (this.rns.length === CHUNK_ROWS) this.flush();
  }

  private flush(): void {
    if (this.rns.length === 0) return;
    const rows = this.rns.length;
    const chunk = DuckDBDataChunk.create([INTEGER, VARCHAR, VARCHAR, VARCHAR, VARCHAR], rows);
    writeColumn(chunk, 0, rows, 'int32', (i) => this.rns[i]);
    [this.docs, this.raws, this.codes, this.messages].forEach((cells, c) => writeColumn(chunk, c + 1, rows, 'varchar', (i) => cells[i]));
    this.appender.appendDataChunk(chunk);
    this.rns = [];
    this.docs = [];
    this.raws = [];
    this.codes = [];
    this.messages = [];
  }

  /** Splits the packed columns into rows of `staged_columns` (the zipped unnests stay aligned). */
  private async unpack(fields: readonly string[]): Promise<void> {
    const cell = (x: string) => `nullif(${x}, chr(${PACKED_NULL}))`;
    const split = (x: string) => `unnest(string_split(decode(${x}), chr(${PACKED_SEPARATOR})))`;
    await this.connection.run(`INSERT INTO staged_columns (rn, extra_json${fields.map((f) => `, "${f}"`).join('')})
      SELECT first_rn + i - 1, ${cell('e')}${fields.map((_, j) => `, ${cell(`c${j}`)}`).join('')}
      FROM (SELECT first_rn, unnest(range(1, n + 1)) AS i, ${split('extra')} AS e${fields.map((f, j) => `, ${split(`"${f}"`)} AS c${j}`).join('')}
            FROM staged_packed)`);
    await this.connection.run(`DROP TABLE staged_packed`);
  }

  /** Flushes every row into `staged`; call once, after the reader is done (or has failed). */
  async finish(): Promise<void> {
    this.flush();
    this.appender.closeSync();
    this.columns?.closeSync();
    this.columns = null;
    this.packed?.closeSync();
    this.packed = null;
    if (this.packedRows > 0 && this.source.kind === 'columns') await this.unpack(this.source.fields);
    if (!this.blocks) return;
    this.blocks.closeSync();
    this.blocks = null;
    // A trailing '\r' stays on the line: JSON allows it, and validation strips it from the raw text
    // of rejected rows only (copying every line to drop it cost more than the split itself).
    await this.connection.run(`INSERT INTO staged
      SELECT rn, doc, NULL, NULL, NULL FROM (
        SELECT first_line + generate_subscripts(l, 1) - 1 AS rn, unnest(l) AS doc
        FROM (SELECT first_line, string_split(text, chr(10)) AS l FROM staged_blocks))
      WHERE doc <> '' AND (ascii(doc) > 32 OR trim(doc, ' ' || chr(9) || chr(11) || chr(12) || chr(13)) <> '')`);
    await this.connection.run(`DROP TABLE staged_blocks`);
  }
}
