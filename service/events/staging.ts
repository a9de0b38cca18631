/**
 * The staging table of one ingest request: every row of the body, whatever its media type, lands
 * here first as (row number, JSON document, raw text, reader's rejection) through DuckDB's
 * appender in chunks, so the body is never held in memory as one string. Validation and the
 * commit then run as set operations over it (see validation-sql.ts and ingest.ts).
 */
import { DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';

const CHUNK_ROWS = 2048; // DuckDB's vector size: one data chunk per flush

export class Staging {
  private rns: number[] = [];
  private docs: (string | null)[] = [];
  private raws: (string | null)[] = [];
  private codes: (string | null)[] = [];
  private messages: (string | null)[] = [];
  private count = 0;

  private constructor(private readonly appender: DuckDBAppender) {}

  static async create(connection: DuckDBConnection): Promise<Staging> {
    await connection.run(`CREATE OR REPLACE TEMP TABLE staged (rn INTEGER, doc VARCHAR, raw VARCHAR, pre_code VARCHAR, pre_message VARCHAR)`);
    return new Staging(await connection.createAppender('staged', 'main', 'temp'));
  }

  get rows(): number {
    return this.count;
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
    this.count++;
    if (this.rns.length === CHUNK_ROWS) this.flush();
  }

  private flush(): void {
    if (this.rns.length === 0) return;
    const chunk = DuckDBDataChunk.create([INTEGER, VARCHAR, VARCHAR, VARCHAR, VARCHAR], this.rns.length);
    chunk.setColumnValues(0, this.rns);
    chunk.setColumnValues(1, this.docs);
    chunk.setColumnValues(2, this.raws);
    chunk.setColumnValues(3, this.codes);
    chunk.setColumnValues(4, this.messages);
    this.appender.appendDataChunk(chunk);
    this.rns = [];
    this.docs = [];
    this.raws = [];
    this.codes = [];
    this.messages = [];
  }

  finish(): void {
    this.flush();
    this.appender.closeSync();
  }
}
