/**
 * Puts generated events into file order. The simulation walks month by month but an invoice's
 * payment, reminder or collection lands days to months later, so events are dropped into one
 * bucket per UTC day and a day is sorted and released only once the simulation can no longer add
 * to it (everything simulated for month m happens at or after the start of month m). Each bucket
 * keeps its lines as bytes in one growing buffer rather than as millions of long-lived strings,
 * which would otherwise make garbage collection the main cost of a large run. Ties keep insertion
 * order, which keeps the output deterministic and causal (an invoice before its payment).
 */
import { DAY } from './time.ts';

/** Slot for the insertion index inside a sort key: key = secondOfDay · 2^26 + index. */
const INDEX_SPAN = 67_108_864;

interface Bucket {
  buf: Buffer;
  len: number;
  starts: number[];
  keys: number[];
}

/** Receives one line (bytes [start, end) of src, no newline) occurring at epoch second t. */
/** Node's Buffer has latin1Write; calling it directly skips write()'s argument juggling. */
interface LatinWritable {
  latin1Write(s: string, offset: number): number;
}

export type LineSink = (src: Buffer, start: number, end: number, t: number) => void;

export class Timeline {
  private readonly buckets = new Map<number, Bucket>();
  private nextDay = -Infinity;
  /** Buffers of released days, reused so the run does not keep asking the allocator for memory. */
  private readonly pool: Buffer[] = [];

  constructor(private readonly sink: LineSink) {}

  /** Adds an ASCII line occurring at epoch second t. */
  push(t: number, line: string): void {
    const day = Math.floor(t / DAY);
    if (day < this.nextDay) throw new Error(`timeline: event at ${t} is before the released horizon`);
    let b = this.buckets.get(day);
    if (b === undefined) {
      b = { buf: this.pool.pop() ?? Buffer.allocUnsafe(65_536), len: 0, starts: [], keys: [] };
      this.buckets.set(day, b);
    }
    if (b.len + line.length > b.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(b.buf.length * 2, b.len + line.length));
      b.buf.copy(bigger, 0, 0, b.len);
      b.buf = bigger;
    }
    b.keys.push((t - day * DAY) * INDEX_SPAN + b.starts.length);
    b.starts.push(b.len);
    b.len += (b.buf as unknown as LatinWritable).latin1Write(line, b.len);
  }

  /** Releases every day strictly before the day holding t (t should be a day boundary). */
  releaseBefore(t: number): void {
    const limit = Math.floor(t / DAY);
    const days = [...this.buckets.keys()].filter((d) => d < limit).sort((a, b) => a - b);
    for (const day of days) this.releaseDay(day);
    if (limit > this.nextDay) this.nextDay = limit;
  }

  releaseAll(): void {
    const days = [...this.buckets.keys()].sort((a, b) => a - b);
    for (const day of days) this.releaseDay(day);
    if (days.length) this.nextDay = days[days.length - 1] + 1;
  }

  private releaseDay(day: number): void {
    const b = this.buckets.get(day);
    if (b === undefined) return;
    this.buckets.delete(day);
    const keys = Float64Array.from(b.keys);
    keys.sort();
    const base = day * DAY;
    const n = b.starts.length;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const sod = Math.floor(k / INDEX_SPAN);
      const idx = k - sod * INDEX_SPAN;
      this.sink(b.buf, b.starts[idx], idx + 1 < n ? b.starts[idx + 1] : b.len, base + sod);
    }
    if (this.pool.length < 256) this.pool.push(b.buf);
  }
}
