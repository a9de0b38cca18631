/**
 * Browser benchmark of the dashboard on the `default` sample data set (~50 000 customers): for
 * every page, the time from navigation until the page is interactive — every request answered and
 * every chart in or near the viewport drawn, which the app signals with `<main data-ready="true">`
 * — and until every chart is drawn, below the fold too (`data-complete`; they draw in idle time).
 *
 *   npx tsx test/bench/dashboard.bench.ts            # loads the default data set into a temp dir
 *   BENCH_DATA_DIR=/tmp/ip-bench npx tsx test/bench/dashboard.bench.ts   # reuse a loaded data dir
 *   BENCH_RUNS=7 BENCH_SIZE=small …                  # more runs / another data set
 *
 * Per page it reports the first (cold: server caches empty) full load, the median of the further
 * full loads, and the median in-app navigation (clicking the nav link from another page). Needs
 * `npm run build:web` first. Not part of `npm test`: timings on shared machines are too noisy.
 *
 * Live is the normal case, so a producer's trickle runs throughout (BENCH_TRICKLE events/s, default
 * 200, in 1–20-event requests; 0 turns it off) and the service runs with the production staleness
 * bound (ANALYSIS_MAX_LAG=30). The target (issue "Analyses that stay fast while data flows"): every
 * page interactive in ≤ 1 s, judged on the median full load and the median in-app navigation.
 */
import './thread-pool.ts';
import fs from 'node:fs';
import { assertWebBuilt, launchBrowser, newContext, waitComplete, waitReady, watch } from '../helpers/browser.ts';
import { startTestService, tempDir } from '../helpers/service.ts';
import { startTrickle, verdict, type Trickle } from './bench-kit.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TIMEOUT = Number(process.env.BENCH_TIMEOUT_MS ?? 120_000);
const SIZE = process.env.BENCH_SIZE ?? 'default';
const TRICKLE = Number(process.env.BENCH_TRICKLE ?? 200);
// BENCH_TRACE=1: per page and endpoint, when the request starts after navigation and how long it takes in the browser and in the service.
const TRACE = process.env.BENCH_TRACE === '1';
const PAGES: { name: string; path: string; nav: string }[] = [
  { name: 'Overview', path: '/', nav: 'Overview' },
  { name: 'Drivers', path: '/drivers', nav: 'Drivers' },
  { name: 'Segments', path: '/segments', nav: 'Segments' },
  { name: 'Cohorts', path: '/cohorts', nav: 'Cohorts' },
  { name: 'Fees', path: '/fees', nav: 'Fees' },
  { name: 'Data', path: '/data', nav: 'Data' },
];

const median = (xs: number[]) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x).toLocaleString('en')} ms` : '–');

async function main() {
  assertWebBuilt();
  const dataDir = process.env.BENCH_DATA_DIR ?? tempDir('invoice-pulse-bench-');
  fs.mkdirSync(dataDir, { recursive: true });
  console.log(`data set: ${SIZE} in ${dataDir} (loaded on first start; set BENCH_DATA_DIR to reuse it)`);
  const t0 = performance.now();
  const svc = await startTestService({ SAMPLE_DATA: SIZE, ANALYSIS_MAX_LAG: '30' }, dataDir);
  const health = (await (await svc.call('/v1/health')).json()) as { counts: { events: number; customers: number } };
  console.log(`service ready in ${ms(performance.now() - t0)}: ${health.counts.events.toLocaleString('en')} events, ${health.counts.customers.toLocaleString('en')} customers`);

  let trickle: Trickle | null = null;
  if (TRICKLE > 0) {
    const customers = (await svc.query<{ customer_id: string }>(`SELECT customer_id FROM customer_facts USING SAMPLE 2000 ROWS`)).map((r) => r.customer_id);
    trickle = startTrickle(`${svc.url}/v1/events`, customers, TRICKLE);
    trickle.measuring = true;
    console.log(`trickle: ${TRICKLE} events/s in 1–20-event requests, running throughout`);
  }
  const browser = await launchBrowser();
  const results: { page: string; cold: number; load: number; complete: number; nav: number; requests: number; slowest: string; problems: string[] }[] = [];
  try {
    for (const p of PAGES) {
      const loads: number[] = [];
      const completes: number[] = [];
      const navs: number[] = [];
      let requests = 0;
      const problems: string[] = [];
      const apiTimes = new Map<string, number[]>();
      // The service's own time of each (Server-Timing: total); the rest of a request's time is the browser's queue and the wire.
      const serverTimes = new Map<string, number[]>();
      const startTimes = new Map<string, number[]>();
      for (let run = 0; run < RUNS; run++) {
        const context = await newContext(browser);
        const page = await context.newPage();
        const w = watch(page);
        w.allow({ status: 422, url: /\/v1\/churn\/drivers/ }); // a refusing Cox model is a valid, rendered state
        let apiCalls = 0;
        page.on('request', (r) => {
          if (new URL(r.url()).pathname.startsWith('/v1/')) apiCalls++;
        });
        // Server time per endpoint (request start → response end), to tell server from browser time.
        let measuring = true;
        let navStart = Date.now();
        page.on('requestfinished', (r) => {
          const u = new URL(r.url());
          if (!measuring || !u.pathname.startsWith('/v1/')) return;
          const t = r.timing();
          const key = u.pathname + (u.searchParams.get('by') ? `?by=${u.searchParams.get('by')}` : '');
          apiTimes.set(key, [...(apiTimes.get(key) ?? []), t.responseEnd]);
          startTimes.set(key, [...(startTimes.get(key) ?? []), t.startTime - navStart]);
          void r.response().then(async (res) => {
            const total = /total;dur=([\d.]+)/.exec((await res?.allHeaders())?.['server-timing'] ?? '');
            if (total) serverTimes.set(key, [...(serverTimes.get(key) ?? []), Number(total[1])]);
          });
        });
        // Full load: navigation start → data-ready.
        navStart = Date.now();
        await page.goto(svc.url + p.path);
        await waitReady(page, TIMEOUT).catch(async (e) => {
          const state = await page.evaluate(() => ({ ready: document.querySelector('main')?.dataset.ready, cards: [...document.querySelectorAll('[data-card]')].map((c) => `${c.getAttribute('data-card')}:${c.getAttribute('data-state')}`) }));
          throw new Error(`${p.name} not ready: ${JSON.stringify(state)}; ${(e as Error).message.split('\n')[0]}`);
        });
        loads.push(await page.evaluate(() => performance.now()));
        // Every chart drawn, those below the fold too (they draw in idle time after data-ready).
        await waitComplete(page, TIMEOUT);
        completes.push(await page.evaluate(() => performance.now()));
        requests = apiCalls;
        // In-app navigation: from another page, click the nav link.
        const from = p.path === '/fees' ? '/' : '/fees';
        measuring = false;
        await page.goto(svc.url + from);
        await waitReady(page, TIMEOUT);
        measuring = true;
        navStart = Date.now();
        const start = await page.evaluate(() => performance.now());
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: p.nav, exact: true }).click();
        await page.waitForURL((u) => u.pathname === p.path);
        await waitReady(page, TIMEOUT);
        navs.push((await page.evaluate(() => performance.now())) - start);
        problems.push(...w.problems);
        await context.close();
      }
      const slow = [...apiTimes.entries()].map(([k, v]) => [k, median(v)] as const).sort((a, b) => b[1] - a[1])[0];
      const served = slow && serverTimes.get(slow[0]);
      const slowest = slow ? `${slow[0]} ${ms(slow[1])}${served ? ` (service ${ms(median(served))})` : ''}` : '–';
      const r = { page: p.name, cold: loads[0], load: median(loads.slice(1)), complete: median(completes.slice(1)), nav: median(navs.slice(1)), requests, slowest, problems: [...new Set(problems)] };
      results.push(r);
      if (TRACE) {
        for (const [k, v] of [...apiTimes.entries()].sort((a, b) => median(startTimes.get(a[0]) ?? []) - median(startTimes.get(b[0]) ?? []))) {
          console.log(`    ${k.padEnd(40)} starts +${ms(median(startTimes.get(k) ?? [])).padStart(7)}  browser ${ms(median(v)).padStart(7)}  service ${ms(median(serverTimes.get(k) ?? [])).padStart(7)}`);
        }
      }
      console.log(`${r.page.padEnd(9)} first ${ms(r.cold).padStart(9)}  median load ${ms(r.load).padStart(9)}  every chart ${ms(r.complete).padStart(9)}  median in-app ${ms(r.nav).padStart(9)}  (${r.requests} API requests; slowest ${slowest})`);
    }
  } finally {
    await trickle?.stop();
    await browser.close();
    await svc.stop();
  }

  const live = trickle ? `, with a trickle of ${TRICKLE} events/s (${trickle.sent.toLocaleString('en')} events sent; acknowledgements p50 ${ms(median(trickle.acks))}, max ${ms(Math.max(...trickle.acks))})` : ', no trickle';
  console.log(`\nTime until interactive (all requests answered, every chart in view drawn), and until every chart is drawn (below the fold too), ${SIZE} data${live}, ${RUNS} runs per page, chromium headless, 1280×800:`);
  console.log('| page | first load (cold) | median full load | every chart drawn, median | median in-app navigation | API requests | slowest request in the browser, median (service time, median) |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const r of results) console.log(`| ${r.page} | ${ms(r.cold)} | ${ms(r.load)} | ${ms(r.complete)} | ${ms(r.nav)} | ${r.requests} | ${r.slowest} |`);
  const slow = results.filter((r) => !(r.load <= 1000 && r.nav <= 1000));
  console.log(`\nevery page interactive in ≤ 1 s (median full load and median in-app navigation): ${verdict(!slow.length)}${slow.length ? ` (over: ${slow.map((r) => r.page).join(', ')})` : ''}`);
  const problems = results.flatMap((r) => r.problems.map((x) => `${r.page}: ${x}`));
  if (problems.length) {
    console.log('\nProblems seen:');
    for (const p of problems) console.log('  ' + p);
    process.exitCode = 1;
  }
}

// Exits explicitly: the trickle's keep-alive sockets would otherwise hold the process open after the report.
main().then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
