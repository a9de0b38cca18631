/**
 * The rows of one small request, held in memory for the live path (live-writer.ts) instead of a
 * DuckDB staging table of its own: creating, filling and dropping temp tables cost each request a
 * few milliseconds of fixed work, more than its rows. The readers write here through the same
 * RowSink interface as for Staging, and lines are kept or skipped by the same rule as the SQL split
 * in Staging.finish(), so row numbers and raw texts do not depend on the path a request took.
 */
import type { RowSink, TextColumn } from './staging.ts';

export interface LiveRow {
  rn: number;
  doc: string | null;
  raw: string | null;
  code: string | null;
  message: string | null;
}

/** Staging.finish() keeps a line when it is not empty and not only ' ', \t, \v, \f and \r. */
const BLANK = /^[ \t\v\f\r]*$/;

export class LiveRows implements RowSink {
  readonly rows: LiveRow[] = [];
  /** UTF-16 units held, an estimate of the memory this request takes while it waits. */
  size = 0;

  add(rn: number, doc: string | null, raw: string | null = null, code: string | null = null, message: string | null = null): void {
    this.rows.push({ rn, doc, raw, code, message });
    this.size += (doc?.length ?? 0) + (raw?.length ?? 0) + 64;
  }

  async addBlock(firstLine: number, text: string): Promise<void> {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line === '' || (line.charCodeAt(0) <= 32 && BLANK.test(line))) continue;
      this.add(firstLine + i, line);
    }
  }

  // Arrow bodies are staged as columns and always take the bulk path (see ingestion.ts).
  async startColumns(): Promise<void> {
    throw new Error('column staging is not available on the live path');
  }

  addPackedColumns(): void {
    throw new Error('column staging is not available on the live path');
  }

  addColumns(_rns: readonly number[], _columns: readonly TextColumn[]): void {
    throw new Error('column staging is not available on the live path');
  }
}
