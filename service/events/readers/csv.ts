/**
 * text/csv (RFC 4180): a header row of field names, then one event per record. Quoted fields may
 * hold commas, quotes ("") and newlines. Each record becomes a JSON object of its non-empty cells
 * (an empty cell means "absent") and keeps its original text as the raw row. Row number = record
 * number after the header, from 1. A record whose cell count differs from the header's, or with
 * stray quotes, is a rejected row (malformed_row); an unterminated quote at the end of the body,
 * or a body that is not UTF-8, fails the request with its position.
 */
import type { RowSink } from '../staging.ts';
import { BodyParseError, type ByteSource } from './body-errors.ts';

/** Cells of one record's text, or null when its quoting is malformed. */
export function parseRecord(text: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 0x22) {
      let cell = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) return null;
        cell += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 0x22) {
          cell += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      cells.push(cell);
      if (i === text.length) return cells;
      if (text.charCodeAt(i) !== 0x2c) return null;
      i++;
    } else {
      const comma = text.indexOf(',', i);
      const cell = comma === -1 ? text.slice(i) : text.slice(i, comma);
      if (cell.includes('"')) return null;
      cells.push(cell);
      if (comma === -1) return cells;
      i = comma + 1;
    }
  }
}

export async function readCsv(body: ByteSource, staging: RowSink): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let header: string[] | null = null;
  let row = 0;
  let line = 1; // line on which the pending text starts
  let pending = '';
  let bytes = 0;

  const record = (text: string, startLine: number) => {
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text === '') return;
    const cells = parseRecord(text);
    if (!header) {
      if (!cells) throw new BodyParseError(`the CSV header on line ${startLine} is malformed`, { line: startLine });
      header = cells.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
      if (header.some((h) => h === '')) throw new BodyParseError('the CSV header has an empty column name', { line: startLine });
      return;
    }
    row++;
    if (!cells) return staging.add(row, null, text, 'malformed_row', `record on line ${startLine} has malformed quoting`);
    if (cells.length !== header.length) {
      return staging.add(row, null, text, 'malformed_row', `record on line ${startLine} has ${cells.length} cells but the header has ${header.length}`);
    }
    const obj: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) if (cells[i] !== '') obj[header[i]] = cells[i];
    staging.add(row, JSON.stringify(obj), text);
  };

  // Finds record ends: a newline outside quotes. A quote opens a quoted field only at the start
  // of a field, as RFC 4180 has it; elsewhere it is literal (and parseRecord flags the record).
  const scan = (text: string, final: boolean): string => {
    let start = 0;
    let quoted = false;
    let fieldStart = true;
    let lines = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (quoted) {
        if (ch === 0x22) {
          if (text.charCodeAt(i + 1) === 0x22) i++;
          else if (i + 1 === text.length && !final) break; // decide with the next chunk
          else quoted = false;
        } else if (ch === 0x0a) lines++;
        continue;
      }
      if (ch === 0x22 && fieldStart) {
        quoted = true;
        fieldStart = false;
      } else if (ch === 0x2c) fieldStart = true;
      else if (ch === 0x0a) {
        lines++;
        record(text.slice(start, i), line);
        line += lines;
        lines = 0;
        start = i + 1;
        fieldStart = true;
      } else fieldStart = false;
    }
    if (final) {
      if (quoted) throw new BodyParseError(`unterminated quoted field in the record starting on line ${line}`, { line });
      record(text.slice(start), line);
      return '';
    }
    return text.slice(start);
  };

  for await (const chunk of body) {
    try {
      pending += decoder.decode(chunk, { stream: true });
    } catch {
      throw new BodyParseError(`the CSV body is not valid UTF-8 (in the bytes after offset ${bytes})`, { byte: bytes });
    }
    bytes += chunk.length;
    pending = scan(pending, false);
  }
  pending = scan(pending, true);
  if (!header) throw new BodyParseError('the CSV body has no header row', { line: 1 });
}
