/**
 * Splits a byte stream into text lines, decoding UTF-8 strictly. A line with invalid UTF-8 is
 * reported as such (with its bytes shown lossily) instead of poisoning its neighbours: the fast
 * path decodes a whole block at once and only falls back to line-by-line decoding when the block
 * holds a bad byte sequence. Lines go to a callback (no per-line objects: this runs a million
 * times per request).
 */
import type { ByteSource } from './body-errors.ts';

const NEWLINE = 0x0a;
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lossy = new TextDecoder('utf-8', { fatal: false });

/** Receives each line (without '\n' and a trailing '\r') with its 1-based number. */
export type LineSink = (number: number, text: string, invalidUtf8: boolean) => void;

const trimCr = (s: string) => (s.charCodeAt(s.length - 1) === 0x0d ? s.slice(0, -1) : s);

/** Emits the lines of `block` (which holds whole lines only); returns the next line number. */
function emitBlock(block: Uint8Array, first: number, sink: LineSink): number {
  let n = first;
  let text: string | null;
  try {
    text = strict.decode(block);
  } catch {
    text = null;
  }
  if (text !== null) {
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      sink(n++, trimCr(text.slice(start, nl)), false);
      start = nl + 1;
    }
    sink(n++, trimCr(text.slice(start)), false);
    return n;
  }
  let start = 0;
  for (;;) {
    let nl = block.indexOf(NEWLINE, start);
    const last = nl === -1;
    if (last) nl = block.length;
    const bytes = block.subarray(start, nl);
    try {
      sink(n, trimCr(strict.decode(bytes)), false);
    } catch {
      sink(n, trimCr(lossy.decode(bytes)), true);
    }
    n++;
    if (last) return n;
    start = nl + 1;
  }
}

export async function forEachLine(body: ByteSource, sink: LineSink): Promise<void> {
  let pending: Uint8Array = new Uint8Array(0);
  let lineNo = 1;
  for await (const chunk of body) {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) {
      pending = concat(pending, chunk);
      continue;
    }
    lineNo = emitBlock(concat(pending, chunk.subarray(0, last)), lineNo, sink);
    pending = chunk.slice(last + 1);
  }
  if (pending.length) emitBlock(pending, lineNo, sink);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
