/**
 * Writes a sample directory: events.ndjson (or .ndjson.gz), manifest.json and planted-effects.json.
 * The manifest holds only what the seed and options determine (no timings, no paths of this
 * machine), so regenerating a committed sample leaves every file byte-identical; the SHA-256 is of
 * the uncompressed NDJSON, which does not depend on the zlib build.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import { SampleRun } from './generate.ts';
import { plantedEffects } from './planted.ts';
import type { Manifest, SampleOptions } from './types.ts';

export interface WriteOptions extends SampleOptions {
  outDir: string;
  gzip?: boolean;
  /** zlib level; default 9 for up to 20 000 customers (committed samples), else 1 (speed). */
  gzipLevel?: number;
  /** Called as generation proceeds: events so far and the estimated total. */
  onProgress?: (done: number, total: number) => void;
}

export async function writeSample(opts: WriteOptions): Promise<{ events: number; manifest: Manifest }> {
  const run = new SampleRun(opts);
  await mkdir(opts.outDir, { recursive: true });
  const name = opts.gzip ? 'events.ndjson.gz' : 'events.ndjson';
  // A stale file of the other form would be mistaken for this sample.
  await rm(join(opts.outDir, opts.gzip ? 'events.ndjson' : 'events.ndjson.gz'), { force: true });
  const path = join(opts.outDir, name);
  // Deep buffers let the thread pool write (and compress) while the next month is simulated.
  const file = createWriteStream(path, { highWaterMark: 32 * 1024 * 1024 });
  let sink: Writable = file;
  if (opts.gzip) {
    const level = opts.gzipLevel ?? (run.options.customers <= 20_000 ? 9 : 1);
    const gz = createGzip(Object.assign({ level }, { highWaterMark: 32 * 1024 * 1024 }));
    gz.pipe(file);
    sink = gz;
  }
  const hash = createHash('sha256');
  const closed = once(file, 'close');
  for (const chunk of run.chunks()) {
    hash.update(chunk);
    if (!sink.write(chunk)) await once(sink, 'drain');
    if (opts.onProgress) {
      const done = run.eventsSoFar;
      opts.onProgress(done, Math.max(done, Math.round((done * run.stepsTotal) / Math.max(1, run.stepsDone))));
    }
  }
  sink.end();
  await closed;
  const manifest: Manifest = { ...run.manifest(), file: name, bytes: (await stat(path)).size, ndjson_sha256: hash.digest('hex') };
  opts.onProgress?.(manifest.events, manifest.events);
  await writeFile(join(opts.outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  await writeFile(join(opts.outDir, 'planted-effects.json'), JSON.stringify(plantedEffects(opts), null, 2) + '\n');
  return { events: manifest.events, manifest };
}
