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
import { Database } from './db/database.ts';
import { migrate } from './db/migrations.ts';
import { OpenApiRegistry } from './http/openapi.ts';
import { seedPaymentMethods } from './settings/payment-methods.ts';
import { BaseCache } from './analytics/base-cache.ts';
import { defaultScopes } from './analytics/scope.ts';
import { FactsUpkeep } from './analytics/facts.ts';
import { Ingestion } from './events/ingestion.ts';
import { Ledger } from './events/ledger.ts';
import { writePlausibleDates } from './db/plausible-dates.ts';
import { setBodyLimits } from './events/readers/body-limits.ts';
import { rejectedRetention } from './events/rejected-rows.ts';
import { LakeFollower } from './export/lake.ts';
import { SparkEngine } from './spark/engine.ts';

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
  const retention = rejectedRetention(db, config.rejectedRetentionDays, (line) => console.log(line));
  await retention.run();
  const upkeep = new FactsUpkeep(db);
  await upkeep.ensure((line) => console.log(line));
  const engine = { db, cache: new BaseCache(db, upkeep), upkeep };
  const prewarm = config.analysis.engine === 'duckdb' || config.analysis.prewarm;
  if (prewarm) upkeep.onSettled.push(() => engine.cache.prewarmSoon(() => defaultScopes(db)));
  if (prewarm) engine.cache.prewarmSoon(() => defaultScopes(db), 0);
  const afterIngest = [() => upkeep.notify(), retention.afterIngest];
  // Issue 14: with the Spark engine the lake follows every committed batch and bases are built on Spark.
  const spark = config.analysis.engine === 'spark' ? sparkEngine(db, config) : null;
  if (spark) {
    engine.cache.buildElsewhere = (scope, table) => spark.buildBaseOnSpark(scope, { after: null, upto: null }, table);
    afterIngest.push(() => spark.lake.notify());
    spark.lake.notify();
  }
  const ledger = Ledger.open(config.dbPath);
  const ingestion = new Ingestion(db, afterIngest, config.ingestion, ledger);
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
  return { db, engine, config, openapi: new OpenApiRegistry(), afterIngest, ingestion, startedAt: new Date(), spark };
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
          await ctx.spark?.close();
          ctx.db.close();
          ctx.ingestion.ledger.close();
          resolve();
        });
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
