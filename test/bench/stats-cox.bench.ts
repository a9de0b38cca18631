/**
 * Micro benchmark of the Cox fit at production size: 250 000 customers × 12 covariates with
 * integer-day times (so heavy ties, the Efron worst case), which must fit well inside the 500 ms
 * budget of an HTTP request. Prints the median of 5 timed fits after one warm-up (the first call
 * pays for JIT compilation, which a long-running server pays once), plus the concordance on the
 * fitted risk score. Run: npx tsx test/bench/stats-cox.bench.ts
 */

import { performance } from 'node:perf_hooks';
import { concordance } from '../../service/stats/concordance.ts';
import { fitCox, type CoxCovariate } from '../../service/stats/cox.ts';

const ROWS = 250_000;
const RUNS = 5;

/** Deterministic generator so every run fits the same data. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
}

function simulate(): { time: Float64Array; event: Uint8Array; covariates: CoxCovariate[] } {
  const rand = lcg(2024);
  const names = [
    'manual',
    'late_once',
    'late_repeatedly',
    'fee_one',
    'fee_two_or_more',
    'age_18_29',
    'age_30_49',
    'broadband',
    'energy',
    'paper_invoice',
    'monthly_price',
    'satisfaction',
  ];
  const trueCoef = [0.7, 0.5, 1.0, 0.3, 0.6, 0.45, 0.05, 0.2, -0.1, 0.15, 0.004, -0.25];
  const columns = names.map(() => new Float64Array(ROWS));
  const time = new Float64Array(ROWS);
  const event = new Uint8Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    const late = rand();
    const fee = rand();
    const age = rand();
    const vertical = rand();
    const x = [
      rand() < 0.4 ? 1 : 0,
      late < 0.12 ? 1 : 0,
      late > 0.95 ? 1 : 0,
      fee < 0.1 ? 1 : 0,
      fee > 0.96 ? 1 : 0,
      age < 0.25 ? 1 : 0,
      age > 0.25 && age < 0.65 ? 1 : 0,
      vertical < 0.3 ? 1 : 0,
      vertical > 0.8 ? 1 : 0,
      rand() < 0.2 ? 1 : 0,
      199 + Math.round(400 * rand()),
      1 + Math.floor(5 * rand()),
    ];
    let eta = 0;
    for (let k = 0; k < x.length; k++) {
      columns[k][i] = x[k];
      eta += trueCoef[k] * x[k];
    }
    // Exponential churn time in days with rate ∝ exp(eta), administratively censored at 3 years.
    const churnDay = Math.ceil((-Math.log(rand()) / (0.0004 * Math.exp(eta))) * 1);
    const censorDay = Math.ceil(1095 * rand());
    time[i] = Math.min(churnDay, censorDay);
    event[i] = churnDay <= censorDay ? 1 : 0;
  }
  return { time, event, covariates: names.map((name, k) => ({ name, values: columns[k] })) };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const { time, event, covariates } = simulate();
const events = event.reduce((s, e) => s + e, 0);
const distinctTimes = new Set(time).size;
console.log(`rows ${ROWS}, covariates ${covariates.length}, events ${events}, distinct times ${distinctTimes}`);

for (const ties of ['efron', 'breslow'] as const) {
  fitCox(time, event, covariates, { ties }); // warm-up
  const fitTimes: number[] = [];
  const concordanceTimes: number[] = [];
  let iterations = 0;
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    const fit = fitCox(time, event, covariates, { ties });
    const t1 = performance.now();
    concordance(time, event, fit.linearPredictor);
    const t2 = performance.now();
    fitTimes.push(t1 - t0);
    concordanceTimes.push(t2 - t1);
    iterations = fit.iterations;
  }
  console.log(
    `${ties.padEnd(7)} fit: median ${median(fitTimes).toFixed(1)} ms over ${RUNS} runs ` +
      `(min ${Math.min(...fitTimes).toFixed(1)}, max ${Math.max(...fitTimes).toFixed(1)}; ${iterations} iterations); ` +
      `concordance: median ${median(concordanceTimes).toFixed(1)} ms`,
  );
}
