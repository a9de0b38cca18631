/**
 * The lake that follows ingestion (ANALYSIS_ENGINE=spark, issue 14): every committed batch is
 * appended to the Hive-partitioned Parquet lake (year=/month=/type=) exactly once, by a follower
 * that reads `ingest_batches` and `events WHERE batch_id = …` after the commit. It is not part of
 * the ingestion commit path: an ingest is acknowledged when DuckDB has it, and the lake catches up
 * right after (the Spark engine awaits `settle()` before it reads, as analyses await the facts).
 *
 * Exactly once, and no partial file visible, across crashes at any point:
 * 1. the batch is written by DuckDB's COPY into `_staging/batch-<id>/` (Spark and DuckDB's lake glob
 *    both skip `_`-prefixed directories), files named `batch-<id>-<n>.parquet`;
 * 2. its manifest (the files and the event count) is written to a temporary name, fsynced, and
 *    renamed to `_manifests/batch-<id>.json`: this rename is the batch's commit point;
 * 3. each file is renamed from the staging tree into its partition (same file system: atomic);
 * 4. the staging directory is removed.
 * A restart rolls forward every batch that has a manifest (moves what is still staged) and throws
 * away staging without one; the watermark is the set of manifests, so a batch is redone when its
 * manifest never landed and skipped when it did. A reader can at worst see some partitions of the
 * one batch being moved, never a partial file and never a batch twice.
 *
 * Erasure (GDPR, DELETE /v1/customers/{id}) reaches the lake too: erase() rewrites every lake file
 * that holds the customer without their rows, after the database erasure committed and under the
 * same lock as the appends, so a batch read before that commit is written first and then cleaned.
 * Each file is rewritten beside itself and renamed over the original (atomic; a file left empty
 * stays, with its schema, so the manifests stay true). A crash in between leaves the old file in
 * place and a temporary that the next start removes; the erasure's answer came after the rewrite.
 */
import { listValue } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import { CoalescingRunner } from '../coalescing-runner.ts';
import type { Database } from '../db/database.ts';
import { Mutex } from '../db/mutex.ts';

const quotePath = (p: string) => `'${p.replaceAll("'", "''")}'`;
const SELECT_BATCH = `SELECT *, year(occurred_at) AS year, lpad(month(occurred_at)::VARCHAR, 2, '0') AS month FROM events WHERE batch_id = $batch`;

export interface LakeStatus {
  batches: number;
  files: number;
  lastBatch: number;
}

/** The glob DuckDB reads the lake with (never the `_`-prefixed bookkeeping directories). */
export const lakeGlob = (lakeDir: string) => path.join(lakeDir, 'year=*', 'month=*', 'type=*', '*.parquet');

export class LakeFollower {
  private failure: unknown = null;
  private readonly runner = new CoalescingRunner(() => this.catchUp(), {
    done: () => {
      this.failure = null;
    },
    failed: (error) => {
      this.failure = error;
      console.error('lake follower failed (it retries with the next batch):', error);
    },
  });
  private recovered = false;
  /** Appends and erasures never run at once: an erasure must see every file written before it. */
  private readonly mutex = new Mutex();
  /** Test hook: called after a batch's manifest landed and before its files move (crash tests). */
  afterManifest: ((batch: number) => void) | null = null;

  constructor(
    private readonly db: Database,
    readonly lakeDir: string,
  ) {}

  private get staging() {
    return path.join(this.lakeDir, '_staging');
  }
  private get manifests() {
    return path.join(this.lakeDir, '_manifests');
  }

  /** After every committed ingest (the one hook in server.ts's afterIngest list). */
  notify(): void {
    this.runner.trigger();
  }

  /** Resolves once every batch committed before the call is in the lake. */
  async settle(): Promise<void> {
    if (!this.runner.busy) this.runner.trigger();
    await this.runner.idle();
    if (this.failure) throw this.failure;
  }

  /** The batches whose manifest landed (the watermark). */
  doneBatches(): Set<number> {
    if (!fs.existsSync(this.manifests)) return new Set();
    return new Set(
      fs
        .readdirSync(this.manifests)
        .map((f) => /^batch-(\d+)\.json$/.exec(f)?.[1])
        .filter((x): x is string => x !== undefined)
        .map(Number),
    );
  }

  status(): LakeStatus {
    const done = [...this.doneBatches()];
    let files = 0;
    for (const b of done) files += (JSON.parse(fs.readFileSync(path.join(this.manifests, `batch-${b}.json`), 'utf8')).files as string[]).length;
    return { batches: done.length, files, lastBatch: done.length ? Math.max(...done) : 0 };
  }

  /** Roll forward batches that have a manifest, discard staging that has none. */
  private recover(): void {
    fs.mkdirSync(this.manifests, { recursive: true });
    fs.mkdirSync(this.staging, { recursive: true });
    for (const f of fs.readdirSync(this.manifests)) if (f.endsWith('.tmp')) fs.rmSync(path.join(this.manifests, f), { force: true });
    for (const f of lakeFilesUnder(this.lakeDir, ERASE_TMP)) fs.rmSync(f, { force: true });
    const done = this.doneBatches();
    for (const dir of fs.readdirSync(this.staging)) {
      const batch = Number(/^batch-(\d+)$/.exec(dir)?.[1] ?? NaN);
      if (Number.isInteger(batch) && done.has(batch)) this.moveIntoPlace(batch);
      fs.rmSync(path.join(this.staging, dir), { recursive: true, force: true });
    }
    this.recovered = true;
  }

  private moveIntoPlace(batch: number): void {
    const manifest = JSON.parse(fs.readFileSync(path.join(this.manifests, `batch-${batch}.json`), 'utf8')) as { files: string[] };
    const from = path.join(this.staging, `batch-${batch}`);
    for (const rel of manifest.files) {
      const src = path.join(from, rel);
      const dest = path.join(this.lakeDir, rel);
      if (!fs.existsSync(src)) continue; // moved before the crash
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.renameSync(src, dest);
    }
  }

  private catchUp(): Promise<void> {
    return this.mutex.run(() => this.catchUpLocked());
  }

  private async catchUpLocked(): Promise<void> {
    if (!this.recovered) this.recover();
    const done = this.doneBatches();
    const batches = await this.db.withConnection(async (c) => (await c.runAndReadAll(`SELECT batch_id FROM ingest_batches ORDER BY batch_id`)).getRowObjects().map((r) => Number(r.batch_id)));
    for (const batch of batches) if (!done.has(batch)) await this.append(batch);
  }

  private async append(batch: number): Promise<void> {
    const dir = path.join(this.staging, `batch-${batch}`);
    fs.rmSync(dir, { recursive: true, force: true });
    const events = await this.db.withConnection(async (c) => {
      const n = Number((await c.runAndReadAll(`SELECT count(*) AS n FROM events WHERE batch_id = $batch`, { batch })).getRowObjects()[0].n);
      if (n > 0) {
        // COPY takes no bound parameters here; the batch id is an integer read from ingest_batches.
        if (!Number.isSafeInteger(batch)) throw new Error(`lake: batch id ${batch} is not an integer`);
        const text = SELECT_BATCH.replace('$batch', String(batch));
        await c.run(`COPY (${text}) TO ${quotePath(dir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month, type), FILENAME_PATTERN 'batch-${batch}-{i}')`);
      }
      return n;
    });
    const files = fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.parquet')).sort() : [];
    const manifest = path.join(this.manifests, `batch-${batch}.json`);
    const tmp = `${manifest}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    fs.writeSync(fd, JSON.stringify({ batch, events, files, written_at: new Date().toISOString() }));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, manifest);
    this.afterManifest?.(batch);
    this.moveIntoPlace(batch);
    fs.rmSync(dir, { recursive: true, force: true });
  }

  /**
   * Removes every row of `customerId` from the lake (call after the database erasure committed).
   * Returns how many rows went.
   */
  erase(customerId: string): Promise<number> {
    return this.mutex.run(async () => {
      if (!this.recovered) this.recover();
      const files = lakeFilesUnder(this.lakeDir, '.parquet');
      if (files.length === 0) return 0;
      return this.db.withConnection(async (c) => {
        const holding = (
          await c.runAndReadAll(`SELECT filename, count(*) AS n FROM read_parquet($files::VARCHAR[], filename = true, hive_partitioning = false) WHERE customer_id = $id GROUP BY filename`, {
            files: listValue(files),
            id: customerId,
          } as never)
        ).getRowObjects();
        let erased = 0;
        for (const row of holding) {
          const file = String(row.filename);
          const tmp = `${file}${ERASE_TMP}`;
          // COPY takes no bound parameters: the kept rows are selected (bound) into a temp table first.
          await c.run(`CREATE OR REPLACE TEMP TABLE lake_kept AS SELECT * FROM read_parquet($file, hive_partitioning = false) WHERE customer_id IS DISTINCT FROM $id`, { file, id: customerId });
          await c.run(`COPY lake_kept TO ${quotePath(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
          await c.run(`DROP TABLE lake_kept`);
          const fd = fs.openSync(tmp, 'r');
          fs.fsyncSync(fd);
          fs.closeSync(fd);
          fs.renameSync(tmp, file);
          erased += Number(row.n);
        }
        return erased;
      });
    });
  }
}

/** The suffix of a file being rewritten by an erasure (not `.parquet`: no reader globs it). */
const ERASE_TMP = '.erase-tmp';

/** Files under the partitions of the lake (never the `_`-prefixed bookkeeping) whose name ends with `suffix`. */
function lakeFilesUnder(lakeDir: string, suffix: string): string[] {
  if (!fs.existsSync(lakeDir)) return [];
  return (fs.readdirSync(lakeDir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(suffix) && !f.split(path.sep).some((part) => part.startsWith('_')))
    .map((f) => path.join(lakeDir, f))
    .sort();
}
