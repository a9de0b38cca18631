/**
 * Starting the whole service from a configuration: open (and migrate) the database, build the
 * app, listen. Shared by `main.ts` and the tests, which start the real server on a random port.
 */
import { serve, type ServerType } from '@hono/node-server';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { AppContext } from './app-context.ts';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { setMinGroupSize } from './analytics/group-stats.ts';
import { Database } from './db/database.ts';
import { migrate } from './db/migrations.ts';
import { OpenApiRegistry } from './http/openapi.ts';
import { seedPaymentMethods } from './settings/payment-methods.ts';
import { BaseCache } from './analytics/base-cache.ts';
import { FactsUpkeep } from './analytics/facts.ts';
import { CalendarStore } from './staffing/calendar-store.ts';
import { Ingestion } from './events/ingestion.ts';
import type { AfterIngest } from './events/ingest.ts';
import { Ledger } from './events/ledger.ts';
import { writePlausibleDates } from './db/plausible-dates.ts';
import { setBodyLimits } from './events/readers/body-limits.ts';
import { rejectedRetention } from './events/rejected-rows.ts';
import { LakeFollower } from './export/lake.ts';
import { SparkEngine } from './spark/engine.ts';
import type { Engine } from './analytics/runner.ts';

export interface RunningService {
  ctx: AppContext;
  server: ServerType;
  url: string;
  close(): Promise<void>;
}

export async function openContext(config: Config): Promise<AppContext> {
  if (config.dbPath !== ':memory:') fs.mkdirSync(config.dataDir, { recursive: true });
  const db = await Database.open({ path: config.dbPath, memoryLimit: config.memoryLimit, threads: config.threads, checkpointThreshold: config.checkpointThreshold });
  await migrate(db);
  await db.transaction((c) => seedPaymentMethods(c));
  await writePlausibleDates(db, config.dates);
  setBodyLimits({ maxRowBytes: config.maxRowBytes, maxGzipRatio: config.maxGzipRatio });
  setMinGroupSize(config.minGroupSize);
  const retention = rejectedRetention(db, config.rejectedRetentionDays, (line) => console.log(line));
  await retention.run();
  // Under a steady trickle the catch-up runs at least every half of the staleness bound: with runs
  // of 1.5–2 s on the large set, answers were at most 23–25 s behind (lag_seconds max), inside it.
  // Every third (the earlier rule) ran the catch-up's mostly fixed cost, a scan of every event for
  // the touched customers', 50 % more often, and a reader beside a run takes several times its
  // quiet time: summary p95 under the 200 events/s trickle 875 → 176 ms, lag_seconds p95 18 → 23 s
  // (test/bench/live-analytics.bench.ts). With a bound of 0 (read-your-writes) readers start it themselves.
  const maxLag = config.analysisMaxLagMs;
  const upkeep = new FactsUpkeep(db, Math.min(2000, Math.max(250, maxLag / 10)), maxLag > 0 ? Math.max(1000, maxLag / 2) : 30_000, maxLag);
  const engine: Engine = { db, cache: new BaseCache(db, upkeep), upkeep, calendars: new CalendarStore(db, upkeep) };
  // Hooks after each ingest commit; filled in only once the live log is replayed (below), so no
  // catch-up or lake write runs beside the replay's checkpoint.
  const afterIngest: AfterIngest[] = [];
  // Issue 14: with the Spark engine the lake follows every committed batch and bases are built on
  // Spark (set before the first catch-up, which may build the default windows). SPARK_PREWARM=false
  // leaves the default windows to be built on first use instead of by the catch-up.
  const spark = config.analysis.engine === 'spark' ? sparkEngine(db, config) : null;
  if (spark) {
    engine.cache.buildElsewhere = (params, table, c) => spark.buildBaseOnSpark({ params }, { after: null, upto: null }, table, c);
    engine.lake = spark.lake;
    engine.cache.buildDefaults = config.analysis.prewarm;
  }
  await upkeep.ensure((line) => console.log(line));
  const ledger = Ledger.open(config.dbPath);
  const ingestion = new Ingestion(db, afterIngest, config.ingestion, ledger);
  // Acknowledged live rows not yet in the database are applied before anything answers.
  await ingestion.replay((line) => console.log(line));
  afterIngest.push(() => upkeep.notify(), retention.afterIngest);
  upkeep.notify();
  if (spark) {
    afterIngest.push(() => spark.lake.notify());
    spark.lake.notify();
  }
  const check = await db.withConnection((c) => ledger.check(c));
  if (check.missingCount > 0 && config.integrityAcceptLoss) {
    await db.withConnection((c) => ledger.acceptLoss(c));
    console.error(`INTEGRITY: ${check.missingCount} acknowledged batches were lost (first: ${check.missing.slice(0, 10).join(', ')}); INTEGRITY_ACCEPT_LOSS=true recorded the loss and writes resume`);
  } else if (check.missingCount > 0) {
    ingestion.integrity = check;
    console.error(
      `INTEGRITY: the ledger lists ${check.acknowledged} acknowledged batches and ${check.missingCount} of them are not in the database ` +
        `(first: ${check.missing.slice(0, 10).join(', ')}): its write-ahead log was lost or cut. Writes are refused; ` +
        `restore a backup, or restart with INTEGRITY_ACCEPT_LOSS=true to accept the loss.`,
    );
  }
  return { db, engine, config, openapi: new OpenApiRegistry(), afterIngest, ingestion, startedAt: new Date(), spark, beforeClose: [] };
}

function sparkEngine(db: Database, config: Config): SparkEngine {
  const { lakeDir, resultsDir, sparkMaster, sparkConf } = config.analysis;
  return new SparkEngine(db, { master: sparkMaster, conf: sparkConf, lakeDir, resultsDir, log: (line) => console.error(line) }, new LakeFollower(db, lakeDir));
}

export async function startService(ctx: AppContext): Promise<RunningService> {
  const app = createApp(ctx);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: ctx.config.port, hostname: ctx.config.host }, () => resolve(s));
  });
  const address = server.address() as AddressInfo;
  const host = ctx.config.host === '0.0.0.0' ? '127.0.0.1' : ctx.config.host;
  return {
    ctx,
    server,
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(async () => {
          await ctx.ingestion.close().catch((error) => console.error(`live writer: shutdown could not apply everything (${String(error)}); the live log replays it at the next start`));
          await ctx.engine.upkeep.stop();
          for (const stop of ctx.beforeClose) await stop().catch((error) => console.error(`shutdown: ${String(error)}`));
          await ctx.spark?.close();
          await ctx.db.close();
          ctx.ingestion.ledger.close();
          resolve();
        });
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
