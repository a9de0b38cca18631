/**
 * NDJSON: one JSON object per line; row number = line number; blank lines are skipped. A line is
 * staged as it is and judged by the validation SQL, so a malformed line is a rejected row with its
 * raw text, never a failed request.
 */
import type { Staging } from '../staging.ts';
import type { ByteSource } from './body-errors.ts';
import { utf8Lines } from './utf8-lines.ts';

export async function readNdjson(body: ByteSource, staging: Staging): Promise<void> {
  for await (const lines of utf8Lines(body)) {
    for (const line of lines) {
      if (line.text.trim() === '') continue;
      if (line.invalidUtf8) staging.add(line.number, null, line.text, 'invalid_encoding', 'row is not valid UTF-8');
      else staging.add(line.number, line.text);
    }
  }
}
