/**
 * First start: when the database holds no events, load the sample data set named by SAMPLE_DATA
 * (default: `default`, ~50 000 customers over 24 months) through the same ingest path producers
 * use, so a new user sees a working product at once. SAMPLE_DATA=off starts empty.
 */
import type { AppContext } from './app-context.ts';
import { Worker } from 'node:worker_threads';
import { ingest } from './events/ingest.ts';


export async function loadSampleIfEmpty(ctx: AppContext, log: (line: string) => void): Promise<void> {
  const size = ctx.config.sampleData;
  if (size === 'off') return;
  const existing = await ctx.db.withConnection(async (c) => Number((await c.runAndReadAll(`SELECT count(*) AS n FROM events`)).getRowObjects()[0].n));
  if (existing > 0) return;
  if (ctx.ingestion.ledger.everHeldData()) {
    log(`not loading the ${size} sample: this database file held data before (its ledger lists acknowledged batches), and sample data never goes into it`);
    return;
  }
  // Loaded only when needed: a service started with SAMPLE_DATA=off never touches the generator.
  const { customersForSize } = await import('../sample-data/index.ts');
  log(`loading the ${size} sample data set (${customersForSize(size).toLocaleString('en')} customers, seed ${ctx.config.sampleSeed}); SAMPLE_DATA=off starts empty`);
  const started = performance.now();
  const totals = { accepted: 0, duplicates: 0, rejected: 0 };
  // The generator runs in a worker thread, so the next batch is generated while this one is stored.
  const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
    workerData: { module: './sample-worker.ts', size, seed: ctx.config.sampleSeed, dirt: size === 'small' },
  });
  const batches = new Queue<Buffer | null>();
  worker.on('message', (m: Uint8Array | null) => batches.push(m === null ? null : Buffer.from(m.buffer, m.byteOffset, m.byteLength)));
  worker.on('error', (e) => batches.fail(e));
  try {
    for (let body = await batches.next(); body !== null; body = await batches.next()) {
      // Derived facts catch up once at the end instead of after every batch of the bulk load.
      const r = await ingest(ctx.db, [body], 'application/x-ndjson', { source: `sample-data:${size}` });
      await ctx.ingestion.ledger.append([r.batch_id]);
      worker.postMessage('ack');
      totals.accepted += r.accepted;
      totals.duplicates += r.duplicates;
      totals.rejected += r.rejected;
      log(`  … ${totals.accepted.toLocaleString('en')} events stored (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
  } finally {
    await worker.terminate();
  }
  for (const hook of ctx.afterIngest) hook(0);
  await ctx.engine.upkeep.settle();
  log(
    `sample data loaded in ${((performance.now() - started) / 1000).toFixed(1)} s: ${totals.accepted.toLocaleString('en')} events, ` +
      `${totals.duplicates} duplicates, ${totals.rejected} rejected rows (planted dirt), derived facts included`,
  );
}

/** A minimal async queue between the worker's messages and the ingest loop. */
class Queue<T> {
  private items: T[] = [];
  private waiter: { resolve: (v: T) => void; reject: (e: unknown) => void } | null = null;
  private error: unknown = null;

  push(item: T): void {
    if (this.waiter) {
      this.waiter.resolve(item);
      this.waiter = null;
    } else this.items.push(item);
  }

  fail(error: unknown): void {
    this.error = error;
    this.waiter?.reject(error);
    this.waiter = null;
  }

  next(): Promise<T> {
    if (this.items.length) return Promise.resolve(this.items.shift()!);
    if (this.error) return Promise.reject(this.error);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }
}
