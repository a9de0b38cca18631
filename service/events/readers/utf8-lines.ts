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

/**
 * Emits the lines of `block` (which holds whole lines only) one by one, each decoded on its own;
 * lines over `maxLine` bytes go to `tooLong` instead.
 */
function emitLines(block: Uint8Array, first: number, sink: LineSink, maxLine = Infinity, tooLong?: (n: number, bytes: Uint8Array) => void): void {
  let n = first;
  let start = 0;
  for (;;) {
    let nl = block.indexOf(NEWLINE, start);
    const last = nl === -1;
    if (last) nl = block.length;
    const bytes = block.subarray(start, nl);
    if (bytes.length > maxLine) tooLong!(n, bytes);
    else try {
      sink(n, trimCr(strict.decode(bytes)), false);
    } catch {
      sink(n, trimCr(lossy.decode(bytes)), true);
    }
    n++;
    if (last) return;
    start = nl + 1;
  }
}

/** Receives a line over the size cap: its first bytes (decoded lossily) and its full length. */
export type OversizeSink = (number: number, prefix: string, bytes: number) => void;

/**
 * Cuts the stream at line boundaries into blocks (one per chunk received) and hands each block
 * over whole when it is valid UTF-8; a block holding a bad byte sequence goes line by line to
 * `onLine` instead, so only the bad lines are marked. A line longer than `maxLine` bytes goes to
 * `onOversize` with its prefix and length; its remaining bytes are counted and dropped as they
 * arrive. Each byte is looked at a bounded number of times: a line that spans many chunks is kept
 * as a list of parts (joined once) and never re-copied per chunk, which made a 32 MiB line cost
 * quadratic time.
 */
export async function forEachLineBlock(body: ByteSource, onBlock: BlockSink, onLine: LineSink, maxLine: number, onOversize: OversizeSink, prefixBytes: number): Promise<void> {
  let parts: Uint8Array[] = []; // the pending (unterminated) line, when within the cap
  let partBytes = 0;
  let oversize: { prefix: Uint8Array; bytes: number } | null = null; // the pending line, past the cap
  let lineNo = 1;
  const emit = async (block: Uint8Array) => {
    let lines = 1;
    let longest = 0;
    let from = 0;
    for (let at = block.indexOf(NEWLINE); at !== -1; at = block.indexOf(NEWLINE, at + 1)) {
      lines++;
      longest = Math.max(longest, at - from);
      from = at + 1;
    }
    longest = Math.max(longest, block.length - from);
    if (longest > maxLine) {
      emitLines(block, lineNo, onLine, maxLine, (n, bytes) => onOversize(n, lossy.decode(bytes.subarray(0, prefixBytes)), bytes.length));
      lineNo += lines;
      return;
    }
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
  const endOversize = (tail: number) => {
    onOversize(lineNo, lossy.decode(oversize!.prefix), oversize!.bytes + tail);
    oversize = null;
    lineNo++;
  };
  const hold = (bytes: Uint8Array) => {
    if (oversize) {
      oversize.bytes += bytes.length;
      return;
    }
    if (partBytes + bytes.length > maxLine) {
      const joined = concatAll([...parts, bytes.subarray(0, prefixBytes)]);
      oversize = { prefix: joined.slice(0, prefixBytes), bytes: partBytes + bytes.length };
      parts = [];
      partBytes = 0;
      return;
    }
    parts.push(bytes);
    partBytes += bytes.length;
  };
  for await (const chunk of body) {
    const first = chunk.indexOf(NEWLINE);
    if (first === -1) {
      hold(chunk);
      continue;
    }
    let from = 0;
    if (oversize) {
      endOversize(first);
      from = first + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= from) {
      const head = chunk.subarray(from, last);
      // The pending line joins the first line of this chunk; past the cap it goes on its own.
      if (partBytes && partBytes + (chunk.indexOf(NEWLINE, from) - from) > maxLine) {
        const firstEnd = chunk.indexOf(NEWLINE, from);
        const line = concatAll([...parts, chunk.subarray(from, firstEnd)]);
        parts = [];
        partBytes = 0;
        onOversize(lineNo, lossy.decode(line.subarray(0, prefixBytes)), line.length);
        lineNo++;
        if (firstEnd < last) await emit(chunk.subarray(firstEnd + 1, last));
      } else {
        await emit(concatAll([...parts, head]));
        parts = [];
        partBytes = 0;
      }
    }
    hold(chunk.slice(last + 1));
  }
  if (oversize) endOversize(0);
  else if (partBytes) await emit(concatAll(parts));
}

function concatAll(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  return Buffer.concat(parts);
}
