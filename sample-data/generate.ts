/**
 * The streaming pipeline that turns options into NDJSON text: simulation → time-ordered release →
 * dirt → chunks of complete lines. It is pull-driven (a generator) so a caller can stream a large
 * sample into a file, a gzip stream or HTTP batches without holding it in memory, and so the
 * service can load the default set at first start with the same code the CLI uses.
 */
import { Dirt } from './dirt.ts';
import { EventWriter } from './events.ts';
import { loadParameters, type Parameters } from './model.ts';
import { Simulation } from './simulate.ts';
import { iso, parseInstant } from './time.ts';
import { LineBuffer } from './line-buffer.ts';
import { Timeline } from './timeline.ts';
import type { Manifest, SampleOptions, SampleSize } from './types.ts';

export const DEFAULT_END = '2026-10-31T23:59:59Z';
export const DEFAULT_MONTHS = 24;
export const GENERATOR = 'invoice-pulse sample-data 1';

const SIZES: Record<Exclude<SampleSize, number>, number> = { small: 2_000, default: 50_000, large: 220_000, xlarge: 1_600_000 };

export function customersForSize(size: SampleSize): number {
  if (typeof size === 'number') {
    if (!Number.isInteger(size) || size < 1) throw new Error(`size must be a positive integer, got ${size}`);
    return size;
  }
  const n = SIZES[size];
  if (n === undefined) throw new Error(`unknown size "${size}" (small, default, large or a number)`);
  return n;
}

export interface ResolvedOptions {
  size: SampleSize;
  seed: number;
  customers: number;
  months: number;
  end: number;
  endText: string;
  dirt: boolean;
  midLife: boolean;
}

export function resolveOptions(opts: SampleOptions): ResolvedOptions {
  const months = opts.months ?? DEFAULT_MONTHS;
  if (!Number.isInteger(months) || months < 1 || months > 240) throw new Error(`months must be 1–240, got ${months}`);
  if (!Number.isInteger(opts.seed)) throw new Error(`seed must be an integer, got ${opts.seed}`);
  const end = parseInstant(opts.end ?? DEFAULT_END);
  return { size: opts.size, seed: opts.seed, customers: customersForSize(opts.size), months, end, endText: iso(end), dirt: opts.dirt ?? false, midLife: opts.midLife ?? false };
}

/** One generation run; iterate `chunks()` once, then read `manifest()`. */
export class SampleRun {
  readonly options: ResolvedOptions;
  /** Simulation steps done and total (backdated history + one per month + final release). */
  stepsDone = 0;
  readonly stepsTotal: number;
  private finished = false;
  private readonly sim: Simulation;
  private readonly writer: EventWriter;
  private readonly timeline: Timeline;
  private readonly dirt: Dirt;
  private readonly out = new LineBuffer();

  constructor(opts: SampleOptions, params: Parameters = loadParameters()) {
    const o = (this.options = resolveOptions(opts));
    this.dirt = new Dirt(o.seed, o.dirt, this.out);
    this.timeline = new Timeline((src, start, end, t) => this.dirt.feed(src, start, end, t));
    this.writer = new EventWriter(o.seed, this.timeline, o.end);
    this.sim = new Simulation({ customers: o.customers, seed: o.seed, months: o.months, end: o.end, params, unknownLabels: o.dirt, midLife: o.midLife }, this.writer);
    this.stepsTotal = o.months + 2;
  }

  get windowStart(): number {
    return this.sim.windowStart;
  }

  /** Lines and bytes handed out so far. */
  get lines(): number {
    return this.out.lines;
  }

  get bytes(): number {
    return this.out.bytes;
  }

  /** Events rendered so far (before dirt). */
  get eventsSoFar(): number {
    return this.writer.written;
  }

  /** The NDJSON bytes in chunks of complete lines, in file order. */
  *chunks(): Generator<Buffer> {
    if (this.stepsDone > 0) throw new Error('SampleRun.chunks() can be iterated once');
    const { sim, timeline, out } = this;
    sim.prepare();
    timeline.releaseBefore(sim.windowStart);
    this.stepsDone = 1;
    yield* out.take();
    for (let m = 0; m < this.options.months; m++) {
      sim.simulateMonth(m);
      timeline.releaseBefore(sim.monthStarts[m + 1]);
      this.stepsDone++;
      yield* out.take();
    }
    timeline.releaseAll();
    this.dirt.finish();
    this.stepsDone = this.stepsTotal;
    this.finished = true;
    yield* out.take(true);
  }

  manifest(): Manifest {
    if (!this.finished) throw new Error('manifest() is available once all chunks were consumed');
    const o = this.options;
    const d = this.dirt.stats;
    const events = this.writer.counts.reduce((a, b) => a + b, 0);
    return {
      generator: GENERATOR,
      seed: o.seed,
      size: o.size,
      customers: o.customers,
      months: o.months,
      window_start: iso(this.sim.windowStart),
      end: o.endText,
      dirt: o.dirt,
      ...(o.midLife ? { mid_life: true } : {}),
      lines: this.out.lines,
      events,
      event_counts: this.writer.countsByType(),
      dirt_counts: {
        ...d,
        unknown_method_customers: this.sim.unknownMethodCustomers,
        unknown_method_events: this.sim.unknownMethodEvents,
        unknown_method_labels: [...this.sim.unknownMethodLabels].sort(),
      },
      expected_ingest: { accepted: events, duplicates: d.duplicates, rejected: d.invalid_rows_total },
    };
  }
}

/** NDJSON text in chunks of complete lines (each ending in a newline, about 2 MB each), in file order. */
export function* generateNdjsonChunks(opts: SampleOptions): Generator<string> {
  for (const chunk of new SampleRun(opts).chunks()) yield chunk.toString('utf8');
}
