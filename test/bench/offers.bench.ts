/**
 * Offers benchmark on the `large` sample (≥ 200 000 customers, ≥ 10 000 000 events), over loopback
 * HTTP against the real service: the recommendations endpoint cold (first request after start: the
 * analysis bases, offer facts, Cox fit, scores, candidates and best offers are all built) and warm
 * (median and p95 of several runs, unfiltered and filtered), the risk-model report with its
 * hold-out validation, and the time to stream the audience CSV of ≥ 100 000 customers (time to
 * first byte and to the last). For the CSV the bench temporarily adds a broad offer that every
 * active customer is eligible for (a campaign to everyone), then deletes that catalogue version so
 * the shared database is left as it was. The database is kept in $BENCH_DIR (default
 * /tmp/invoice-pulse-bench-large, shared with analytics.bench.ts) so later runs skip the load.
 * Run: npx tsx test/bench/offers.bench.ts [runs]
 */
import './thread-pool.ts';
import { offerEngineFor } from '../../service/offers/engine.ts';
import { percentile as pct, startLargeSetService } from './large-set.ts';

const RUNS = Number(process.argv[2] ?? 9);
const { ctx, svc } = await startLargeSetService();

async function time(path: string): Promise<{ ms: number; status: number; body: string }> {
  const t = performance.now();
  const res = await fetch(svc.url + path);
  const body = await res.text();
  return { ms: performance.now() - t, status: res.status, body };
}

console.log(`\n${'request'.padEnd(58)} ${'cold ms'.padStart(8)} ${'median'.padStart(8)} ${'p95'.padStart(8)}  status`);
const endpoints = ['/v1/offers/recommendations', '/v1/offers/recommendations?vertical=broadband&age_band=18-29', '/v1/offers/recommendations?by=vertical', '/v1/offers/audience?limit=50&offset=5000&sort=risk', '/v1/offers/performance?by=vertical', '/v1/offers/model'];
let recommendations: { customers_scored: number; customers_recommended: number; model: { n: number; events: number; concordance: number }; offers: { offer_id: string; audience_size: number; expected_saved_customers: number; expected_saved_revenue_monthly: number; status: string }[] } | null = null;
for (const e of endpoints) {
  const cold = await time(e);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await time(e)).ms);
  console.log(`${e.padEnd(58)} ${cold.ms.toFixed(0).padStart(8)} ${pct(times, 0.5).toFixed(1).padStart(8)} ${pct(times, 0.95).toFixed(1).padStart(8)}  ${cold.status}`);
  if (e === '/v1/offers/recommendations') recommendations = JSON.parse(cold.body);
  if (e === '/v1/offers/model' && cold.status === 200) {
    const m = JSON.parse(cold.body);
    console.log(
      `    model: in-sample C ${m.fit.concordance.toFixed(3)} (n ${m.fit.n}, ${m.fit.events} churned); hold-out C ${m.validation?.concordance?.toFixed(3)}, AUC ${m.validation?.auc?.toFixed(3)}, ` +
        `Brier ${m.validation?.brier?.toFixed(4)}, predicted ${m.validation?.mean_predicted?.toFixed(4)} vs observed ${m.validation?.observed_rate?.toFixed(4)}`,
    );
    console.log(`    calibration (predicted/observed %): ${m.validation?.calibration.map((d: { mean_predicted: number; observed: number }) => `${(100 * d.mean_predicted).toFixed(1)}/${(100 * d.observed).toFixed(1)}`).join(' ')}`);
  }
}
const state = await offerEngineFor(ctx.engine).state({ lookback_days: 180, horizon_days: 90 });
console.log(`\ncold build steps (ms): ${Object.entries(state.timings).map(([k, v]) => `${k} ${v}`).join(', ')}`);
if (recommendations) {
  console.log(`\nscored ${recommendations.customers_scored.toLocaleString('en')} active customers; ${recommendations.customers_recommended.toLocaleString('en')} get an offer`);
  for (const o of recommendations.offers) console.log(`    ${o.offer_id.padEnd(16)} ${o.status.padEnd(22)} audience ${String(o.audience_size).padStart(7)}  saved ${o.expected_saved_customers.toFixed(1).padStart(8)}  net/month ${o.expected_saved_revenue_monthly.toFixed(0).padStart(8)}`);
}

// CSV of ≥ 100 000 customers: add a broad offer every active customer is eligible for.
const before = await ctx.db.withConnection(async (c) => Number((await c.runAndReadAll(`SELECT coalesce(max(version), 0) AS v FROM offer_catalogue`)).getRowObjects()[0].v));
const catalogue = await (await fetch(`${svc.url}/v1/offers/catalogue`)).json();
const broad = {
  id: 'bench_everyone',
  name: 'Campaign to every active customer (benchmark)',
  channel: 'email',
  target: { all: [] },
  // Same group on both sides: no churn effect claimed; its (small) value is the saving it brings.
  behaviour: { description: 'everyone → everyone', exposed: { all: [] }, changed_to: { all: [] } },
  acceptance_rate: 0.05,
  monthly_cost: -0.1,
  reason: '{vertical} customer, risk {risk}',
  eligibility: { cooldown_days: 0, after_acceptance_days: 0, min_days_since_any_offer: 0 },
};
const put = await fetch(`${svc.url}/v1/offers/catalogue`, {
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ reporting_currency: catalogue.reporting_currency, exchange_rates: catalogue.exchange_rates, offers: [...catalogue.offers, broad] }),
});
if (put.status !== 200) throw new Error(`catalogue PUT: ${put.status} ${await put.text()}`);
try {
  let t = performance.now();
  const rec = await time('/v1/offers/recommendations');
  console.log(`\nrebuild with the broad offer (cold): ${rec.ms.toFixed(0)} ms; customers with an offer: ${JSON.parse(rec.body).customers_recommended.toLocaleString('en')}`);
  const rebuilt = await offerEngineFor(ctx.engine).state({ lookback_days: 180, horizon_days: 90 });
  console.log(`  steps (ms): ${Object.entries(rebuilt.timings).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (let run = 0; run < 3; run++) {
    t = performance.now();
    const res = await fetch(`${svc.url}/v1/offers/audience.csv`);
    const reader = res.body!.getReader();
    let first = 0;
    let bytes = 0;
    let lines = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!first) first = performance.now() - t;
      bytes += value.length;
      for (const b of value) if (b === 10) lines++;
    }
    const total = performance.now() - t;
    console.log(`audience.csv run ${run + 1}: ${(lines - 1).toLocaleString('en')} rows, ${(bytes / 1e6).toFixed(1)} MB, first byte ${first.toFixed(0)} ms, complete ${total.toFixed(0)} ms (${((lines - 1) / (total / 1000)).toFixed(0)} rows/s), RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  }
} finally {
  // Leave the shared database as it was: drop the benchmark's catalogue version.
  await ctx.db.transaction((c) => c.run(`DELETE FROM offer_catalogue WHERE version > $v`, { v: before }));
}
await svc.close();
