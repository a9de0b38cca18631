/**
 * Splits a byte stream into text lines, decoding UTF-8 strictly. A line with invalid UTF-8 is
 * reported as such (with its bytes shown lossily) instead of poisoning its neighbours: the fast
 * path decodes a whole block at once and only falls back to line-by-line decoding when the block
 * holds a bad byte sequence.
 */
import type { ByteSource } from './body-errors.ts';

const NEWLINE = 0x0a;

export interface Line {
  number: number; // 1-based line number in the body
  text: string;
  invalidUtf8: boolean;
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lossy = new TextDecoder('utf-8', { fatal: false });

function* splitDecoded(block: Uint8Array, firstLine: number): Generator<Line> {
  let text: string | null = null;
  try {
    text = strict.decode(block);
  } catch {
    text = null;
  }
  let n = firstLine;
  if (text !== null) {
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      yield { number: n++, text: text.slice(start, nl), invalidUtf8: false };
      start = nl + 1;
    }
    if (start < text.length) yield { number: n++, text: text.slice(start), invalidUtf8: false };
    return;
  }
  let start = 0;
  while (start < block.length) {
    let nl = block.indexOf(NEWLINE, start);
    if (nl === -1) nl = block.length;
    const bytes = block.subarray(start, nl);
    try {
      yield { number: n, text: strict.decode(bytes), invalidUtf8: false };
    } catch {
      yield { number: n, text: lossy.decode(bytes), invalidUtf8: true };
    }
    n++;
    start = nl + 1;
  }
}

/** Yields every line (without its '\n'); a trailing '\r' is removed. */
export async function* utf8Lines(body: ByteSource): AsyncGenerator<Line[]> {
  let pending: Uint8Array = new Uint8Array(0);
  let lineNo = 1;
  for await (const chunk of body) {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) {
      pending = concat(pending, chunk);
      continue;
    }
    const block = concat(pending, chunk.subarray(0, last)); // excludes the final '\n'
    pending = chunk.slice(last + 1);
    const lines = [...splitDecoded(block, lineNo)];
    // splitDecoded drops the empty text after a final newline; count lines by newlines instead.
    lineNo += countNewlines(block) + 1;
    yield lines.map(stripCr);
  }
  if (pending.length) yield [...splitDecoded(pending, lineNo)].map(stripCr);
}

function stripCr(line: Line): Line {
  return line.text.endsWith('\r') ? { ...line, text: line.text.slice(0, -1) } : line;
}

function countNewlines(b: Uint8Array): number {
  let n = 0;
  let i = -1;
  while ((i = b.indexOf(NEWLINE, i + 1)) !== -1) n++;
  return n;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
