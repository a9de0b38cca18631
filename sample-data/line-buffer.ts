/**
 * Collects finished lines into byte chunks of roughly 2 MB, always cut at a line end. Consumers
 * (file and gzip writers, HTTP batches, the service's first-start loader) want big pieces of
 * complete lines; building them as bytes avoids flattening millions of small strings.
 */
const CHUNK_BYTES = 2 * 1024 * 1024;

export class LineBuffer {
  lines = 0;
  bytes = 0;
  private buf = Buffer.allocUnsafe(CHUNK_BYTES + 65_536);
  private len = 0;
  private readonly ready: Buffer[] = [];

  /** Appends bytes [start, end) of src and a newline. */
  write(src: Buffer, start: number, end: number): void {
    const n = end - start;
    this.ensure(n + 1);
    // A plain Uint8Array view is much cheaper to create than Buffer#subarray or Buffer#copy.
    this.buf.set(new Uint8Array(src.buffer, src.byteOffset + start, n), this.len);
    this.len += n;
    this.buf[this.len++] = 10;
    this.lines++;
  }

  /** Appends a line given as text (dirt rows; ASCII apart from what JSON.stringify escapes). */
  writeText(line: string): void {
    const b = Buffer.from(line + '\n', 'utf8');
    this.write(b, 0, b.length - 1);
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    this.cut();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  /** Closes the current chunk if it holds anything. */
  cut(): void {
    if (this.len === 0) return;
    this.ready.push(this.buf.subarray(0, this.len));
    this.bytes += this.len;
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES + 65_536);
    this.len = 0;
  }

  /** Cuts once the current chunk is big enough; returns the chunks ready to hand out. */
  take(force = false): Buffer[] {
    if (force || this.len >= CHUNK_BYTES) this.cut();
    return this.ready.splice(0, this.ready.length);
  }
}
