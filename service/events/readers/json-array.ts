/**
 * application/json: one object, or an array of objects, streamed. A small byte-level scanner finds
 * the top-level elements (tracking strings and nesting only), so an array of a million events is
 * never parsed as one document; each element is staged as its own row (row number = position in
 * the array, from 1) and validated like an NDJSON line. A body whose structure is broken (an
 * unterminated array or string, garbage between elements) cannot be split into rows and fails as a
 * whole with the byte position of the problem.
 */
import type { RowSink } from '../staging.ts';
import { BodyParseError, type ByteSource } from './body-errors.ts';
import { tooLargeMessage } from './body-limits.ts';
import { RowBuffer } from './row-buffer.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8');

const enum State {
  Start, // before the first non-space byte
  Single, // the body is one value
  BeforeElement,
  InElement,
  AfterElement,
  Done,
}

export async function readJson(body: ByteSource, staging: RowSink): Promise<void> {
  let state = State.Start;
  let depth = 0; // nesting inside the current element
  let inString = false;
  let escaped = false;
  let offset = 0; // bytes consumed before the current chunk
  let row = 0;
  const pending = new RowBuffer(); // the current element
  let elementStart = 0;

  const emit = (bytes: Uint8Array) => {
    row++;
    try {
      staging.add(row, decoder.decode(bytes));
    } catch {
      staging.add(row, null, lossy.decode(bytes), 'invalid_encoding', 'row is not valid UTF-8');
    }
  };
  const keep = (bytes: Uint8Array) => pending.keep(bytes);
  const flushElement = () => {
    const taken = pending.take();
    if ('prefix' in taken) {
      row++;
      staging.add(row, null, lossy.decode(taken.prefix), 'row_too_large', tooLargeMessage(`element ${row}`, taken.length));
    } else emit(taken.bytes);
  };
  const take = (chunk: Uint8Array, end: number) => {
    keep(chunk.subarray(elementStart, end));
    flushElement();
  };

  for await (const chunk of body) {
    elementStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      const space = b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
      switch (state) {
        case State.Start:
          if (space || (offset + i === 0 && b === 0xef)) continue; // whitespace, UTF-8 BOM
          if (b === 0xbb || b === 0xbf) continue;
          if (b === 0x5b /* [ */) state = State.BeforeElement;
          else {
            state = State.Single;
            elementStart = i;
          }
          continue;
        case State.Single:
          continue;
        case State.BeforeElement:
          if (space) continue;
          if (b === 0x5d /* ] */ && row === 0) {
            state = State.Done;
            continue;
          }
          state = State.InElement;
          elementStart = i;
          depth = 0;
          inString = false;
          i--; // re-read this byte as part of the element
          continue;
        case State.InElement:
          if (inString) {
            if (escaped) escaped = false;
            else if (b === 0x5c) escaped = true;
            else if (b === 0x22) inString = false;
            continue;
          }
          if (b === 0x22) inString = true;
          else if (b === 0x7b || b === 0x5b) depth++;
          else if (b === 0x7d || b === 0x5d) {
            if (depth === 0) {
              if (b === 0x5d) {
                take(chunk, i); // "]" closes the array right after a scalar element
                state = State.Done;
                continue;
              }
              throw new BodyParseError(`unexpected "}" at byte ${offset + i}`, { byte: offset + i });
            }
            depth--;
          } else if (b === 0x2c /* , */ && depth === 0) {
            take(chunk, i);
            state = State.BeforeElement;
          }
          if (state === State.InElement && depth === 0 && (b === 0x7d || b === 0x5d)) {
            take(chunk, i + 1);
            state = State.AfterElement;
          }
          continue;
        case State.AfterElement:
          if (space) continue;
          if (b === 0x2c) state = State.BeforeElement;
          else if (b === 0x5d) state = State.Done;
          else throw new BodyParseError(`expected "," or "]" at byte ${offset + i}`, { byte: offset + i });
          continue;
        case State.Done:
          if (!space) throw new BodyParseError(`unexpected content after the end of the array at byte ${offset + i}`, { byte: offset + i });
          continue;
      }
    }
    if (state === State.InElement || state === State.Single) keep(chunk.subarray(elementStart));
    offset += chunk.length;
  }

  if ((state as State) === State.Single) {
    flushElement();
    return;
  }
  if (state === State.Start) throw new BodyParseError('the body is empty', { byte: 0 });
  if ((state as State) !== State.Done) {
    throw new BodyParseError(`the JSON array is not terminated (body ends at byte ${offset}${inString ? ' inside a string' : ''})`, { byte: offset });
  }
}
