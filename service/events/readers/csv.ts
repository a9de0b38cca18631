/**
 * text/csv (RFC 4180): a header row of field names, then one event per record. Quoted fields may
 * hold commas, quotes ("") and newlines. Each record becomes a JSON object of its non-empty cells
 * (an empty cell means "absent") and keeps its original text as the raw row. Row number = record
 * number after the header, from 1. A record whose cell count differs from the header's, or with
 * stray quotes, is a rejected row (malformed_row); an unterminated quote at the end of the body,
 * or a body that is not UTF-8, fails the request with its position. The scan works on bytes (the
 * delimiters are ASCII) and keeps its state across chunks, so a long record is scanned once; a
 * record over MAX_ROW_BYTES is rejected as `row_too_large` with its prefix and length.
 */
import type { RowSink } from '../staging.ts';
import { BodyParseError, type ByteSource } from './body-errors.ts';
import { bodyLimits, tooLargeMessage } from './body-limits.ts';
import { RowBuffer } from './row-buffer.ts';

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
  const lossy = new TextDecoder('utf-8');
  let header: string[] | null = null;
  let row = 0;
  let line = 1; // line on which the pending record starts
  let lines = 0; // newlines inside the pending record (quoted fields)
  let offset = 0; // bytes before the current chunk
  let recordByte = 0; // body offset at which the pending record starts
  const pending = new RowBuffer(); // the pending record
  let quoted = false;
  let quoteInQuoted = false; // a quote inside a quoted field: the next byte decides ("" or the end)
  let fieldStart = true;

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
  const keep = (bytes: Uint8Array) => pending.keep(bytes);
  const end = (nextByte: number) => {
    const taken = pending.take();
    if ('prefix' in taken) {
      if (!header) throw new BodyParseError(`the CSV header is over the limit of ${bodyLimits.maxRowBytes} bytes (MAX_ROW_BYTES)`, { line });
      row++;
      staging.add(row, null, lossy.decode(taken.prefix), 'row_too_large', tooLargeMessage(`record on line ${line}`, taken.length));
    } else {
      const bytes = taken.bytes;
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch {
        throw new BodyParseError(`the CSV body is not valid UTF-8 (in the record starting at byte ${recordByte})`, { byte: recordByte });
      }
      record(text, line);
    }
    line += lines + 1;
    lines = 0;
    recordByte = nextByte;
  };

  // Finds record ends: a newline outside quotes. A quote opens a quoted field only at the start
  // of a field, as RFC 4180 has it; elsewhere it is literal (and parseRecord flags the record).
  for await (const chunk of body) {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i];
      if (quoteInQuoted) {
        quoteInQuoted = false;
        if (ch === 0x22) continue; // "" inside a quoted field
        quoted = false;
      } else if (quoted) {
        if (ch === 0x22) quoteInQuoted = true;
        else if (ch === 0x0a) lines++;
        continue;
      }
      if (ch === 0x22 && fieldStart) {
        quoted = true;
        fieldStart = false;
      } else if (ch === 0x2c) fieldStart = true;
      else if (ch === 0x0a) {
        keep(chunk.subarray(start, i));
        end(offset + i + 1);
        start = i + 1;
        fieldStart = true;
      } else fieldStart = false;
    }
    keep(chunk.slice(start));
    offset += chunk.length;
  }
  if (quoted && !quoteInQuoted) throw new BodyParseError(`unterminated quoted field in the record starting on line ${line}`, { line });
  if (!pending.empty) end(offset);
  if (!header) throw new BodyParseError('the CSV body has no header row', { line: 1 });
}
