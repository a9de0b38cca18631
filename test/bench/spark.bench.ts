/**
 * `npx tsx test/bench/spark.bench.ts [--set small|default|large]`: the per-customer analysis base on Spark
 * with 1 and with 2 workers (a real standalone cluster on loopback, one core per worker) against
 * DuckDB in the same run, the ratios, the scaling from 1 to 2 workers, and a projection to 1 B
 * events on a 10-node cluster from a stated model. `large` copies the 13 M-event database of
 * $BENCH_DIR (default /tmp/invoice-pulse-bench-large; never written to) into a temp directory,
 * `default` the 3 M-event one (/tmp/invoice-pulse-bench-default, built by live-ingest.bench.ts);
 * `small` (the default, 122 k events) loads the committed sample. On the shared 2-core machine the
 * large set takes far longer than a bench run may (the lake export alone is minutes), so the figures
 * in spark/README.md are from `small` unless stated.
 *
 * Model of the projection: a base job costs t(w) = F + W / w on w one-core workers, F the fixed
 * part (job scheduling, file listing, the serial read-back into DuckDB) and W the parallel part
 * (Parquet scan, aggregation, the shuffles by customer). W is measured as the job's task time
 * (Σ executorRunTime from Spark's REST API) on one worker, F as the rest of its wall time; W scales
 * with the events, the read-back with the customers (events / events-per-customer), and a 10-node
 * cluster of 8 cores is 80 workers.
 */
import './thread-pool.ts';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultScopesFor, latestEventDate } from '../../service/analytics/scope.ts';
import { sql } from '../../service/db/sql-files.ts';
import { SparkEngine } from '../../service/spark/engine.ts';
import { startTestService, tempDir } from '../helpers/service.ts';
import { freePort, SparkCluster } from '../spark/cluster.ts';
import { analysisBaseSql } from '../../service/analytics/base-sql.ts';

const { values } = parseArgs({ options: { set: { type: 'string', default: 'small' }, repeats: { type: 'string', default: '2' } } });
const repeats = Number(values.repeats);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Loaded bench databases (built by live-ingest.bench.ts for `default`, analytics.bench.ts for `large`). */
const SOURCES: Record<string, string> = { default: '/tmp/invoice-pulse-bench-default', large: '/tmp/invoice-pulse-bench-large' };
if (values.set !== 'small' && !SOURCES[values.set]) throw new Error(`--set small|default|large, not ${values.set}`);
let dir: string | undefined;
if (values.set !== 'small') {
  const source = process.env.BENCH_DIR ?? SOURCES[values.set];
  dir = tempDir('invoice-pulse-spark-bench-');
  for (const f of fs.readdirSync(source)) if (/\.duckdb(\.wal|\.ledger)?$/.test(f)) fs.copyFileSync(path.join(source, f), path.join(dir, f));
}
const svc = await startTestService({ SAMPLE_DATA: values.set === 'small' ? 'small' : 'off', DB_FILE: 'invoice-pulse.duckdb' }, dir);
const db = svc.ctx.db;
const [counts] = await svc.query<{ events: string; customers: string }>(`SELECT count(*)::VARCHAR AS events, count(DISTINCT customer_id)::VARCHAR AS customers FROM events`);
const events = Number(counts.events);
const customers = Number(counts.customers);
console.log(`data set ${values.set}: ${events.toLocaleString('en')} events, ${customers.toLocaleString('en')} customers`);
const scope = defaultScopesFor((await latestEventDate(db))!)[0];

// The lake, as the follower writes it (one batch at a time).
const lakeDir = path.join(svc.dataDir, 'lake');
const { LakeFollower } = await import('../../service/export/lake.ts');
const lake = new LakeFollower(db, lakeDir);
let t = performance.now();
await lake.settle();
console.log(`lake written by the follower: ${lake.status().files} files in ${s(performance.now() - t)}`);

// DuckDB: the base (facts already current, as the service keeps them) and the facts rebuilt from the events.
const duckBase: number[] = [];
for (let i = 0; i < repeats; i++) {
  t = performance.now();
  await db.withConnection(async (c) => {
    await c.run(`CREATE OR REPLACE TABLE bench_duck_base AS ${analysisBaseSql()}`, { ...scope.params, after: null, upto: null } as never);
  });
  duckBase.push(performance.now() - t);
}
const duckFacts = await svc.ctx.engine.upkeep.rebuildAll();
const duck = Math.min(...duckBase);
console.log(`duckdb: base ${s(duck)} (best of ${repeats}), derived facts rebuilt from the events ${s(duckFacts)}, base + facts ${s(duck + duckFacts)}`);

async function onSpark(workers: number) {
  const cluster = await new SparkCluster().start(workers, '1g');
  const engine = new SparkEngine(
    db,
    {
      master: cluster.url,
      conf: `spark.executor.memory=640m,spark.executor.cores=1,spark.driver.host=127.0.0.1,spark.driver.bindAddress=127.0.0.1,spark.ui.port=${await freePort()}`,
      lakeDir,
      resultsDir: path.join(lakeDir, '_results'),
    },
    lake,
  );
  try {
    t = performance.now();
    const app = (await engine.driver.request('ping')) as { appId: string; ui: string | null };
    const startup = performance.now() - t;
    // Σ executorRunTime of every stage so far (Spark's REST API on the driver's UI): the task time.
    const taskMs = async () => {
      if (!app.ui) return NaN;
      const stages = (await (await fetch(`${app.ui}/api/v1/applications/${app.appId}/stages`)).json()) as Array<{ executorRunTime?: number }>;
      return stages.reduce((sum, st) => sum + (st.executorRunTime ?? 0), 0);
    };
    const runs: Array<{ total: number; spark: number; tasks: number }> = [];
    for (let i = 0; i < repeats; i++) {
      const tasks0 = await taskMs();
      t = performance.now();
      const r = await engine.buildBaseOnSpark(scope, { after: null, upto: null }, `bench_spark_${workers}_${i}`);
      const total = performance.now() - t;
      runs.push({ total, spark: r.sparkMs, tasks: (await taskMs()) - tasks0 });
      if (r.rows !== Number((await svc.query<{ n: string }>(`SELECT count(*)::VARCHAR AS n FROM bench_duck_base`))[0].n)) throw new Error('row counts differ');
    }
    const warm = runs.slice(1).reduce((m, r) => (r.total < m.total ? r : m), runs[runs.length - 1]);
    console.log(
      `spark, ${workers} worker(s): driver start ${s(startup)}; first job (facts + base, cold) ${s(runs[0].total)} with ${s(runs[0].tasks)} of task time; ` +
        `warm (facts cached) ${s(warm.total)}, of which Spark ${s(warm.spark)} (task time ${s(warm.tasks)}), read-back into DuckDB ${s(warm.total - warm.spark)}`,
    );
    return { cold: runs[0].total, coldTasks: runs[0].tasks, warm: warm.total, readBack: warm.total - warm.spark };
  } finally {
    await engine.close();
    await cluster.stop();
  }
}

const one = await onSpark(1);
const two = await onSpark(2);
const scaling = one.cold / two.cold;
console.log(`ratios: spark/duckdb (cold job vs base + facts) 1 worker ${(one.cold / (duck + duckFacts)).toFixed(1)}×, 2 workers ${(two.cold / (duck + duckFacts)).toFixed(1)}×; warm job vs duckdb base: ${(one.warm / duck).toFixed(1)}×, ${(two.warm / duck).toFixed(1)}×`);
console.log(`scaling 1 → 2 workers: cold ${scaling.toFixed(2)}×, warm ${(one.warm / two.warm).toFixed(2)}× (2.00 would be linear)`);

// t(w) = F + W / w. W, the parallel part, is measured directly as the cold job's task time (Σ
// executorRunTime on one worker, where tasks run one after another); F = wall time − W is what
// does not spread over workers (scheduling, planning, the Python/JVM hops, the read-back). Fitting
// W from the 1- and 2-worker wall times instead needs cores to spare; on a 2-core machine the
// driver, the master, both workers and the service share them, so the second worker cannot speed
// anything up and that fit is meaningless (printed above as the measured scaling).
const W = one.coldTasks;
const F = Math.max(one.cold - W, one.readBack);
const eventsTarget = 1e9;
const eventsPerCustomer = events / customers;
const nodes = 10;
const coresPerNode = 8;
// The read-back scales with the customers (events / events per customer), the parallel part with the events over the cores.
const parallelAt1B = (W * (eventsTarget / events)) / (nodes * coresPerNode);
const readBackAt1B = one.readBack * (eventsTarget / events);
const projected = F - one.readBack + readBackAt1B + parallelAt1B;
console.log(
  `model: W = ${s(W)} of task time (one core) and F = ${s(F)} fixed for ${events.toLocaleString('en')} events; ` +
    `1 B events (${Math.round(eventsTarget / eventsPerCustomer).toLocaleString('en')} customers at ${eventsPerCustomer.toFixed(0)} events each) on ${nodes} nodes × ${coresPerNode} cores: ` +
    `scan + shuffle ${s(parallelAt1B)}, read-back of the per-customer rows ${s(readBackAt1B)}, scheduling ${s(F - one.readBack)} → ${s(projected)}`,
);
console.log(`dominant at 1 B: ${parallelAt1B > readBackAt1B ? 'the parallel scan and shuffles by customer' : 'the serial read-back of the per-customer result into DuckDB'}`);
console.log(`${scaling >= 1.5 ? 'met' : 'MISSED'}: 2 workers at least 1.5× faster than 1 (measured ${scaling.toFixed(2)}× on ${(await import('node:os')).availableParallelism()} cores shared by the driver, the master, the workers and the service)`);
console.log(`${projected <= 15 * 60_000 ? 'met' : 'MISSED'}: 1 B events on 10 nodes within 15 min by the model (${s(projected)})`);
await svc.stop();
