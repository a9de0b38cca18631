/**
 * Analytics benchmark on the `large` sample (≥ 200 000 customers, ≥ 10 000 000 events): median and
 * p95 of every analytical endpoint, warm (each endpoint is requested once before timing), over
 * loopback HTTP against the real service; then the incremental upkeep of the derived facts for
 * 100 000 further events against a full rebuild. The loaded database is kept in
 * $BENCH_DIR (default /tmp/invoice-pulse-bench-large) so later runs skip the load.
 * Run: npx tsx test/bench/analytics.bench.ts [runs]
 */
import './thread-pool.ts';
import { ingest } from '../../service/events/ingest.ts';
import { generateNdjsonChunks } from '../../sample-data/index.ts';
import { percentile as pct, startLargeSetService } from './large-set.ts';

const RUNS = Number(process.argv[2] ?? 15);
const { ctx, svc } = await startLargeSetService();

const endpoints = [
  '/v1/churn/summary',
  '/v1/churn/by/payment_method_class',
  '/v1/churn/by/payment_method',
  '/v1/churn/by/timeliness',
  '/v1/churn/by/fee_exposure?view=landmark',
  '/v1/churn/by/age_band?vertical=broadband',
  '/v1/churn/dose-response/late_invoices',
  '/v1/churn/dose-response/fees?view=landmark',
  '/v1/churn/survival?by=payment_method_class',
  '/v1/churn/survival?by=timeliness&view=landmark',
  '/v1/churn/drivers',
  '/v1/churn/drivers?view=lifetime&dimensions=age_band,vertical',
  '/v1/churn/cohorts',
  '/v1/churn/heatmap?rows=vertical&factor=fee_exposure',
  '/v1/churn/dimensions',
  '/v1/engagement',
  '/v1/fees/economics',
];

// cold: the first request (builds the analysis base if needed); warm: the same request again
// (served from the per-data-version answer cache); computed: a request the cache has not seen
// (an ignored `_run` parameter), so the statistics are recomputed from the cached base.
console.log(`\n${'endpoint'.padEnd(60)} ${'cold ms'.padStart(8)} ${'warm p50'.padStart(9)} ${'p95'.padStart(7)} ${'computed p50'.padStart(13)} ${'p95'.padStart(7)}  status`);
const timeOf = async (url: string) => {
  const t = performance.now();
  const r = await fetch(url);
  await r.arrayBuffer();
  return { ms: performance.now() - t, status: r.status };
};
for (const e of endpoints) {
  const first = await timeOf(svc.url + e);
  const warm: number[] = [];
  const computed: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    warm.push((await timeOf(svc.url + e)).ms);
    computed.push((await timeOf(`${svc.url}${e}${e.includes('?') ? '&' : '?'}_run=${i}`)).ms);
  }
  console.log(
    `${e.padEnd(60)} ${first.ms.toFixed(0).padStart(8)} ${pct(warm, 0.5).toFixed(1).padStart(9)} ${pct(warm, 0.95).toFixed(1).padStart(7)} ${pct(computed, 0.5).toFixed(1).padStart(13)} ${pct(computed, 0.95).toFixed(1).padStart(7)}  ${first.status}`,
  );
}

// Incremental upkeep: 100 000 further events of new customers (ids prefixed per run so nothing
// collides with the data set or an earlier run).
const tag = Date.now().toString(36);
const lines: string[] = [];
for (const chunk of generateNdjsonChunks({ size: 5000, seed: 99 })) {
  for (const l of chunk.split('\n')) if (l && lines.length < 100_000) lines.push(l.replace(/"customer_id":"/, `"customer_id":"INC${tag}-`).replace(/"event_id":"/, `"event_id":"inc${tag}-`));
  if (lines.length >= 100_000) break;
}
await ctx.engine.upkeep.settle();
const r = await ingest(ctx.db, [Buffer.from(lines.join('\n') + '\n')], 'application/x-ndjson', { afterIngest: ctx.afterIngest });
await ctx.engine.upkeep.settle();
const incremental = ctx.engine.upkeep.lastRun!;
const rebuild = await ctx.engine.upkeep.rebuildAll();
console.log(`\nincremental: ${r.accepted.toLocaleString('en')} further events (ingest ${Object.values(r.timings_ms).reduce((a, b) => a + b, 0)} ms); derived facts brought up to date in ${incremental.ms.toFixed(0)} ms (${incremental.batches} batch)`);
console.log(`full rebuild of the derived facts: ${rebuild.toFixed(0)} ms  → incremental / rebuild = ${(incremental.ms / rebuild).toFixed(3)}`);
await svc.close();
