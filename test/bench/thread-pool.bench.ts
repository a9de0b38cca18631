/**
 * Why the service starts with a libuv pool of 16 (service/start.cjs): each DuckDB statement holds a
 * pool thread until it ends, and so does the live log's fdatasync. On a copy of the default set,
 * the service runs once with Node's default pool (4) and once with THREAD_POOL_SIZE, each time with
 * the 200 events/s trickle and six readers asking for analyses they never asked before; a probe
 * asks `/v1/alerts` (three statements on tiny tables) every 100 ms. Printed per pool: the probe's
 * and the trickle's latencies and the readers' answers. Target: the probe's p99 with the service's
 * pool at most half of its p99 with 4 threads.
 * Run: npx tsx test/bench/thread-pool.bench.ts [seconds per pool]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Database } from '../../service/db/database.ts';
import { THREAD_POOL_SIZE } from '../../service/start.cjs';
import { startChildService } from '../helpers/child-service.ts';
import { ensureBenchDatabase, percentile } from './large-set.ts';
import { startTrickle, verdict } from './bench-kit.ts';

const SECONDS = Number(process.argv[2] ?? 20);
const READERS = 6;
const ENDPOINTS = ['/v1/churn/drivers?view=lifetime&dimensions=vertical', '/v1/churn/survival?by=payment_method_class', '/v1/churn/cohorts', '/v1/engagement', '/v1/churn/summary'];
const FILTERS = ['market=SE', 'vertical=telecom', 'invoice_channel=paper', 'market=DK&vertical=energy', 'age_band=50-79'];

const { file } = await ensureBenchDatabase('default');
const base = await Database.open({ path: file });
const customers = await base.withConnection(async (c) => (await c.runAndReadAll(`SELECT DISTINCT customer_id AS id FROM events USING SAMPLE 5000`)).getRowObjects().map((r) => String(r.id)));
base.close();
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ip-bench-pool-'));
process.on('exit', () => fs.rmSync(runDir, { recursive: true, force: true }));

async function run(pool: number) {
  const dir = path.join(runDir, String(pool));
  fs.mkdirSync(dir);
  fs.copyFileSync(file, path.join(dir, 'invoice-pulse.duckdb'));
  const svc = await startChildService({ DATA_DIR: dir, UV_THREADPOOL_SIZE: String(pool), ANALYSIS_MAX_LAG: '30' });
  const trickle = startTrickle(`${svc.url}/v1/events`, customers);
  trickle.measuring = true;
  const until = performance.now() + SECONDS * 1000;
  let n = 0;
  let answers = 0;
  const readers = Array.from({ length: READERS }, async () => {
    while (performance.now() < until) {
      const k = n++;
      const e = ENDPOINTS[k % ENDPOINTS.length];
      const r = await fetch(`${svc.url}${e}${e.includes('?') ? '&' : '?'}${FILTERS[k % FILTERS.length]}&_n=${k}`);
      await r.arrayBuffer();
      answers++;
    }
  });
  const probe: number[] = [];
  const probing = (async () => {
    while (performance.now() < until) {
      const t = performance.now();
      await (await fetch(`${svc.url}/v1/alerts`)).arrayBuffer();
      probe.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await Promise.all([...readers, probing]);
  await trickle.stop();
  await svc.kill('SIGTERM');
  const f = (x: number) => `${x.toFixed(0)} ms`;
  console.log(
    `pool ${String(pool).padStart(2)}: /v1/alerts p50 ${f(percentile(probe, 0.5))} p99 ${f(percentile(probe, 0.99))} max ${f(Math.max(...probe))} (n ${probe.length}); ` +
      `trickle acknowledgements p99 ${f(percentile(trickle.acks, 0.99))} max ${f(Math.max(...trickle.acks))} (n ${trickle.acks.length}); readers' answers ${answers}`,
  );
  return percentile(probe, 0.99);
}

console.log(`default set, ${READERS} readers of new filter combinations, 200 events/s trickle, ${SECONDS} s per pool size`);
const p4 = await run(4);
const pN = await run(THREAD_POOL_SIZE);
console.log(`/v1/alerts p99 with ${THREAD_POOL_SIZE} threads ≤ half of it with 4: ${verdict(pN <= p4 / 2)} (${pN.toFixed(0)} vs ${p4.toFixed(0)} ms)`);
process.exit(0);
