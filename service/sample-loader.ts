/**
 * First start: when the database holds no events, load the sample data set named by SAMPLE_DATA
 * (default: `default`, ~50 000 customers over 24 months) through the same ingest path producers
 * use, so a new user sees a working product at once. SAMPLE_DATA=off starts empty.
 */
import type { AppContext } from './app-context.ts';
import { ingest } from './events/ingest.ts';

const BATCH_BYTES = 64 * 1024 * 1024; // one ingest transaction per ~64 MB of NDJSON

export async function loadSampleIfEmpty(ctx: AppContext, log: (line: string) => void): Promise<void> {
  const size = ctx.config.sampleData;
  if (size === 'off') return;
  const existing = await ctx.db.withConnection(async (c) => Number((await c.runAndReadAll(`SELECT count(*) AS n FROM events`)).getRowObjects()[0].n));
  if (existing > 0) return;
  // Loaded only when needed: a service started with SAMPLE_DATA=off never touches the generator.
  const { customersForSize, generateNdjsonChunks } = await import('../sample-data/index.ts');
  log(`loading the ${size} sample data set (${customersForSize(size).toLocaleString('en')} customers, seed ${ctx.config.sampleSeed}); SAMPLE_DATA=off starts empty`);
  const started = performance.now();
  const totals = { accepted: 0, duplicates: 0, rejected: 0 };
  let batch: Buffer[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const body = batch;
    batch = [];
    bytes = 0;
    const r = await ingest(ctx.db, body, 'application/x-ndjson', { source: `sample-data:${size}`, afterIngest: ctx.afterIngest });
    totals.accepted += r.accepted;
    totals.duplicates += r.duplicates;
    totals.rejected += r.rejected;
    log(`  … ${totals.accepted.toLocaleString('en')} events stored (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  };
  for (const chunk of generateNdjsonChunks({ size, seed: ctx.config.sampleSeed, dirt: size === 'small' })) {
    const buffer = Buffer.from(chunk);
    batch.push(buffer);
    bytes += buffer.length;
    if (bytes >= BATCH_BYTES) await flush();
  }
  await flush();
  log(
    `sample data loaded in ${((performance.now() - started) / 1000).toFixed(1)} s: ${totals.accepted.toLocaleString('en')} events, ` +
      `${totals.duplicates} duplicates, ${totals.rejected} rejected rows (planted dirt)`,
  );
}
