/**
 * Splits a byte stream into blocks of text lines, decoding UTF-8 strictly. A line with invalid
 * UTF-8 is reported as such (with its bytes shown lossily) instead of poisoning its neighbours:
 * the fast path decodes a whole block at once and only falls back to line-by-line decoding when
 * the block holds a bad byte sequence.
 */
import type { ByteSource } from './body-errors.ts';

const NEWLINE = 0x0a;
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lossy = new TextDecoder('utf-8', { fatal: false });

/** Receives each line (without '\n' and a trailing '\r') with its 1-based number. */
export type LineSink = (number: number, text: string, invalidUtf8: boolean) => void;

const trimCr = (s: string) => (s.charCodeAt(s.length - 1) === 0x0d ? s.slice(0, -1) : s);

/** Receives a run of whole lines decoded at once, joined by '\n', the first numbered `firstLine`. */
export type BlockSink = (firstLine: number, text: string) => void | Promise<void>;

function countLines(block: Uint8Array): number {
  let n = 1;
  for (let at = block.indexOf(NEWLINE); at !== -1; at = block.indexOf(NEWLINE, at + 1)) n++;
  return n;
}

/** Emits the lines of `block` (which holds whole lines only) one by one, each decoded on its own. */
function emitLines(block: Uint8Array, first: number, sink: LineSink): void {
  let n = first;
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
    if (last) return;
    start = nl + 1;
  }
}

/**
 * Cuts the stream at line boundaries into blocks (one per chunk received) and hands each block
 * over whole when it is valid UTF-8; a block holding a bad byte sequence goes line by line to
 * `onLine` instead, so only the bad lines are marked.
 */
export async function forEachLineBlock(body: ByteSource, onBlock: BlockSink, onLine: LineSink): Promise<void> {
  let pending: Uint8Array = new Uint8Array(0);
  let lineNo = 1;
  const emit = async (block: Uint8Array) => {
    const lines = countLines(block);
    let text: string | null;
    try {
      text = strict.decode(block);
    } catch {
      text = null;
    }
    if (text !== null) await onBlock(lineNo, text);
    else emitLines(block, lineNo, onLine);
    lineNo += lines;
  };
  for await (const chunk of body) {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) {
      pending = concat(pending, chunk);
      continue;
    }
    await emit(concat(pending, chunk.subarray(0, last)));
    pending = chunk.slice(last + 1);
  }
  if (pending.length) await emit(pending);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
