/**
 * The bytes of one row that arrives in pieces (a CSV record or JSON element spanning chunks):
 * kept as a list of parts and joined once at the row's end, never re-copied per chunk; past
 * MAX_ROW_BYTES only a prefix and the count are kept, so an endless row costs no memory.
 */
import { bodyLimits, ROW_PREFIX_BYTES } from './body-limits.ts';

export class RowBuffer {
  private parts: Uint8Array[] = [];
  private bytes = 0;
  private over: { prefix: Uint8Array; bytes: number } | null = null;

  get empty(): boolean {
    return this.bytes === 0 && !this.over;
  }

  keep(piece: Uint8Array): void {
    if (piece.length === 0) return;
    if (this.over) this.over.bytes += piece.length;
    else if (this.bytes + piece.length > bodyLimits.maxRowBytes) {
      this.over = { prefix: Buffer.concat([...this.parts, piece.subarray(0, ROW_PREFIX_BYTES)]).subarray(0, ROW_PREFIX_BYTES), bytes: this.bytes + piece.length };
      this.parts = [];
      this.bytes = 0;
    } else {
      this.parts.push(piece);
      this.bytes += piece.length;
    }
  }

  /** The whole row, or its prefix and length when it passed the cap; the buffer is empty after. */
  take(): { bytes: Uint8Array } | { prefix: Uint8Array; length: number } {
    const out = this.over ? { prefix: this.over.prefix, length: this.over.bytes } : { bytes: this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts) };
    this.parts = [];
    this.bytes = 0;
    this.over = null;
    return out;
  }
}
