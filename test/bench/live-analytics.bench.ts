/**
 * Analyses while data flows: every dashboard endpoint, with filter combinations never asked before,
 * while a trickle of 200 events/s in 1–20-event requests runs throughout (issue "Analyses that stay
 * fast while data flows"). Runs against a copy of a loaded bench database ($BENCH_DIR or
 * /tmp/invoice-pulse-bench-<set>: large 13 M events, default 3 M, xlarge about 100 M; built on
 * first use), so the base file is never changed. Phases: (1) open the copy and build the stored bases once,
 * (2) restart on it and time the first analysis, (3) trickle + readers: p95/p99 per endpoint and
 * the lag_seconds every answer reports, (4) one 1 000-event batch into every base against a full
 * rebuild. Prints peak RSS and the file size, with met/MISSED lines.
 * Run: npx tsx test/bench/live-analytics.bench.ts [large|default|xlarge] [seconds]
 */
import './thread-pool.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../service/config.ts';
import { openContext, startService } from '../../service/server.ts';
import { keepAlive, peakRss, post, startTrickle, verdict } from './bench-kit.ts';
import { ensureBenchDatabase, percentile as pct } from './large-set.ts';

const SET = (process.argv[2] ?? 'large') as 'default' | 'large' | 'xlarge';
const SECONDS = Number(process.argv[3] ?? 60);
// The issue's targets: p95 ≤ 300 ms on large (and default), ≤ 1 s on xlarge.
const TARGET_P95 = SET === 'xlarge' ? 1000 : 300;
// Built on first use (large: about 4 minutes; xlarge: its load time is printed).
const { dir: source } = await ensureBenchDatabase(SET);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'live-analytics-'));
fs.cpSync(source, dir, { recursive: true });
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
// DUCKDB_MEMORY_LIMIT passes through (xlarge on a 23 GiB machine: DuckDB's default of 80 % of RAM leaves too little for the rest).
const memoryLimit = process.env.DUCKDB_MEMORY_LIMIT ? { DUCKDB_MEMORY_LIMIT: process.env.DUCKDB_MEMORY_LIMIT } : {};
const config = () => loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, SAMPLE_DATA: 'off', ANALYSIS_MAX_LAG: '30', ...memoryLimit });
const latestDefault = async () => (await ctx.db.withConnection(async (c) => (await c.runAndReadAll(`SELECT value FROM analysis_defaults WHERE name = 'default_as_of'`)).getRowObjectsJson()))[0]?.value ?? null;
const timed = async (url: string) => {
  const t = performance.now();
  const r = await fetch(url);
  const body = await r.text();
  return { ms: performance.now() - t, status: r.status, body };
};

// (1) The stored bases of the default windows, built once (what a running service has anyway).
let t = performance.now();
let ctx = await openContext(config());
let svc = await startService(ctx);
await timed(`${svc.url}/v1/churn/summary`);
await timed(`${svc.url}/v1/offers/recommendations`);
console.log(`phase 1: opened the copy and built ${ctx.engine.cache.size} stored bases in ${((performance.now() - t) / 1000).toFixed(1)} s`);
await svc.close();

// (2) A restart on the existing file: the first analysis.
t = performance.now();
ctx = await openContext(config());
svc = await startService(ctx);
const opened = performance.now() - t;
const first = await timed(`${svc.url}/v1/churn/summary`);
console.log(`phase 2: restart ${opened.toFixed(0)} ms, first /v1/churn/summary ${first.ms.toFixed(0)} ms (status ${first.status}), bases built since the restart: ${ctx.engine.cache.counters.builds}`);
console.log(`  first analysis after a restart ≤ 1 s: ${verdict(first.ms <= 1000 && ctx.engine.cache.counters.builds === 0)}`);

// (3) The trickle and the readers.
const [{ n: customerCount }] = await ctx.db.withConnection(async (c) => (await c.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM customer_facts`)).getRowObjectsJson());
const customers = (await ctx.db.withConnection(async (c) => (await c.runAndReadAll(`SELECT customer_id FROM customer_facts USING SAMPLE 2000 ROWS`)).getRowObjectsJson())).map((r) => String(r.customer_id));
// The trickle's acknowledgement latencies while the readers run: an analysis that held the event
// loop (a model fit on the main thread) would show here as a producer's p99.
const trickle = startTrickle(`${svc.url}/v1/events`, customers);

// The trickle's events are dated now; when the loaded data ends on an earlier day, its first batch
// moves the default as-of date, and the catch-up builds the new day's default windows (once a day
// in a running service). That is timed here on its own, so the readers below measure the steady state.
{
  const before = await latestDefault();
  while (trickle.sent === 0) await new Promise((r) => setTimeout(r, 20));
  const t0 = performance.now();
  await ctx.engine.upkeep.settle();
  const settled = performance.now() - t0;
  // The new day's windows are built beside the catch-ups (base-cache.ts buildAhead); the date moves
  // with the first catch-up after they are registered, which is waited for here (at most 15 min).
  const today = new Date().toISOString().slice(0, 10);
  // Meanwhile a reader asks for summaries it never asked before: how long it waits, and how stale.
  let after = await latestDefault();
  const waits: number[] = [];
  let stalest = 0;
  while (before !== null && before < today && after === before && performance.now() - t0 < 900_000) {
    const r = await timed(`${svc.url}/v1/churn/summary?market=SE&_day=${waits.length}`);
    waits.push(r.ms);
    if (r.status === 200) stalest = Math.max(stalest, JSON.parse(r.body).lag_seconds);
    await new Promise((r) => setTimeout(r, 250));
    after = await latestDefault();
  }
  console.log(`phase 3a: the catch-up that published the trickle's first batch took ${settled.toFixed(0)} ms; ${before === after ? `the default as-of date stayed ${after}` : `the default as-of date moved ${before} → ${after} ${((performance.now() - t0) / 1000).toFixed(1)} s after that batch`}`);
  if (waits.length) console.log(`  a reader meanwhile: ${waits.length} summaries, p50 ${pct(waits, 0.5).toFixed(0)} ms, max ${Math.max(...waits).toFixed(0)} ms, lag_seconds max ${stalest}`);
}

const ENDPOINTS = [
  '/v1/churn/summary',
  '/v1/churn/by/payment_method_class',
  '/v1/churn/by/timeliness?view=landmark',
  '/v1/churn/by/fee_exposure?view=landmark',
  '/v1/churn/dose-response/late_invoices',
  '/v1/churn/survival?by=payment_method_class',
  '/v1/churn/drivers?view=lifetime&dimensions=vertical',
  '/v1/churn/cohorts',
  '/v1/churn/heatmap?rows=vertical&factor=fee_exposure',
  '/v1/churn/dimensions',
  '/v1/engagement',
  '/v1/fees/economics',
  '/v1/offers/recommendations',
  '/v1/staffing/plan',
];
const FILTERS = ['market=SE', 'market=NO', 'market=DK', 'market=FI', 'vertical=telecom', 'vertical=energy', 'vertical=broadband', 'vertical=alarm', 'age_band=18-29', 'age_band=50-79', 'tenure_band=%3C1y', 'invoice_channel=paper', 'payment_method_class=manual'];
// Each endpoint once as the dashboard first opens it: the offer models and the staffing forecast are
// built in memory on first use after a restart (seconds, JS on the event loop); that cold cost is
// printed here, and the measured loop below is the steady state of a running service.
{
  const cold: string[] = [];
  for (const e of ENDPOINTS) cold.push(`${e.split('?')[0].replace('/v1/', '')} ${(await timed(`${svc.url}${e}`)).ms.toFixed(0)}`);
  console.log(`phase 3b: first call of each endpoint after the restart (ms): ${cold.join(', ')}`);
}

const times = new Map<string, number[]>(ENDPOINTS.map((e) => [e, []]));
const trickleFrom = { sent: trickle.sent, at: performance.now() };
const buildsBefore = ctx.engine.cache.counters.builds;
const lags: number[] = [];
const failures: string[] = [];
const until = performance.now() + SECONDS * 1000;
trickle.measuring = true;
for (let i = 0; performance.now() < until; i++) {
  const e = ENDPOINTS[i % ENDPOINTS.length];
  // A combination never requested before: two filters and a parameter the cache has not seen.
  const f = `${FILTERS[i % FILTERS.length]}&${FILTERS[(i * 7 + 3) % FILTERS.length]}&_n=${i}`;
  const r = await timed(`${svc.url}${e}${e.includes('?') ? '&' : '?'}${f}`);
  times.get(e)!.push(r.ms);
  if (process.env.BENCH_TRACE && r.ms > TARGET_P95) console.log(`  slow: ${e} ${f} ${r.ms.toFixed(0)} ms, ${((performance.now() - until) / 1000 + SECONDS).toFixed(1)} s in`);
  if (r.status === 200 && r.body.startsWith('{"data_as_of"')) lags.push(JSON.parse(r.body).lag_seconds);
  else if (r.status !== 200 && r.status !== 422) failures.push(`${e} ${r.status} ${r.body.slice(0, 120)}`);
}
await trickle.stop();
const achieved = ((trickle.sent - trickleFrom.sent) / (performance.now() - trickleFrom.at)) * 1000;
console.log(`\nphase 3: ${SET} (${Number(customerCount).toLocaleString('en')} customers), trickle of 200 events/s in 1–20-event requests (${trickle.sent.toLocaleString('en')} events sent; ${achieved.toFixed(0)} events/s during the readers), ${SECONDS} s of readers`);
console.log(`${'endpoint (new filter combinations)'.padEnd(56)} ${'n'.padStart(4)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)}`);
let worst95 = 0;
let worstRatio = 0;
for (const [e, xs] of times) {
  if (!xs.length) continue;
  const p95 = pct(xs, 0.95);
  const p99 = pct(xs, 0.99);
  worst95 = Math.max(worst95, p95);
  worstRatio = Math.max(worstRatio, p99 / p95);
  console.log(`${e.padEnd(56)} ${String(xs.length).padStart(4)} ${pct(xs, 0.5).toFixed(0).padStart(7)} ${p95.toFixed(0).padStart(7)} ${p99.toFixed(0).padStart(7)}  ${verdict(p95 <= TARGET_P95)}`);
}
const all = [...times.values()].flat();
console.log(`all endpoints: p95 ${pct(all, 0.95).toFixed(0)} ms, p99 ${pct(all, 0.99).toFixed(0)} ms; worst endpoint p95 ${worst95.toFixed(0)} ms`);
console.log(`  p95 of every endpoint ≤ ${TARGET_P95} ms: ${verdict(worst95 <= TARGET_P95)}; p99 ≤ 3 × p95 on every endpoint: ${verdict(worstRatio <= 3)} (worst ${worstRatio.toFixed(2)})`);
console.log(`  the trickle's acknowledgements meanwhile (${trickle.acks.length} requests of 1–20 events): p50 ${pct(trickle.acks, 0.5).toFixed(1)} ms, p99 ${pct(trickle.acks, 0.99).toFixed(1)} ms, max ${Math.max(...trickle.acks).toFixed(0)} ms`);
console.log(`  freshness: lag_seconds p50 ${pct(lags, 0.5)}, p95 ${pct(lags, 0.95)}, max ${Math.max(...lags)} over ${lags.length} answers; p95 ≤ 30: ${verdict(pct(lags, 0.95) <= 30)}`);
console.log(`  bases built while the readers ran (new windows, or evicted ones asked again): ${ctx.engine.cache.counters.builds - buildsBefore}`);
console.log(`  staffing calendars: ${ctx.engine.calendars.counters.refreshes} catch-ups since the restart, last ${JSON.stringify(ctx.engine.calendars.counters.last_refresh)}; zones built since the restart: ${ctx.engine.calendars.counters.builds}`);
if (failures.length) console.log(`  failures: ${failures.length}, first: ${failures[0]}`);

// (4) One 1 000-event batch into every base, against a full rebuild of facts and bases.
await ctx.engine.upkeep.settle();
const batch = [];
const tag = Date.now().toString(36);
for (let i = 0; i < 1000; i++) {
  batch.push(JSON.stringify({ event_id: `batch-${tag}-${i}`, type: 'contact', occurred_at: new Date().toISOString(), customer_id: customers[i % customers.length], channel: 'phone', topic: 'fee' }));
}
await post(`${svc.url}/v1/events`, Buffer.from(batch.join('\n') + '\n'), 'application/x-ndjson', keepAlive);
await ctx.engine.upkeep.settle();
const incremental = ctx.engine.upkeep.lastRun!;
const bases = ctx.engine.cache.counters.last_refresh;
const calendars = ctx.engine.calendars.counters.last_refresh;
const rebuild = await ctx.engine.upkeep.rebuildAll();
console.log(
  `\nphase 4: one 1 000-event batch into the facts, ${ctx.engine.cache.size} bases and the staffing calendars: ${incremental.ms.toFixed(0)} ms (bases ${bases?.ms ?? '?'} ms, ${bases?.customers ?? '?'} customer rows recomputed; ` +
    `calendars ${calendars?.ms ?? '?'} ms, ${calendars?.customers ?? '?'} customers, ${calendars?.changes ?? '?'} rows of change); full rebuild: ${rebuild.toFixed(0)} ms → ratio ${(incremental.ms / rebuild).toFixed(4)}`,
);
console.log(`peak RSS ${(peakRss(process.pid) / 2 ** 20).toFixed(0)} MiB; database file ${(fs.statSync(path.join(dir, 'invoice-pulse.duckdb')).size / 2 ** 20).toFixed(0)} MiB`);
await svc.close();
process.exit(0);
