/**
 * NDJSON: one JSON object per line; row number = line number; blank lines are skipped. Lines are
 * staged as they are (in whole blocks; DuckDB splits them) and judged by the validation SQL, so a
 * malformed line is a rejected row with its raw text, never a failed request. A line over
 * MAX_ROW_BYTES is rejected as `row_too_large` with its first bytes and its length.
 */
import type { RowSink } from '../staging.ts';
import type { ByteSource } from './body-errors.ts';
import { ROW_PREFIX_BYTES, bodyLimits, tooLargeMessage } from './body-limits.ts';
import { forEachLineBlock } from './utf8-lines.ts';

export async function readNdjson(body: ByteSource, staging: RowSink): Promise<void> {
  await forEachLineBlock(
    body,
    (first, text) => staging.addBlock(first, text),
    (number, text, invalidUtf8) => {
      if (text.length === 0 || (text.charCodeAt(0) <= 0x20 && text.trim() === '')) return;
      if (invalidUtf8) staging.add(number, null, text, 'invalid_encoding', 'row is not valid UTF-8');
      else staging.add(number, text);
    },
    bodyLimits.maxRowBytes,
    (number, prefix, bytes) => staging.add(number, null, prefix, 'row_too_large', tooLargeMessage(`line ${number}`, bytes)),
    ROW_PREFIX_BYTES,
  );
}
