/**
 * Measures what the planted model produces, so that planted-effects.json can state the population
 * truths an analysis should recover rather than hoping the betas translate. The hazard acts on the
 * landmark covariates, but the surveys (and the brief) speak in lifetime terms, where exposure time,
 * confounding (manual payers are late more often) and reverse causation all blur the betas; the
 * only honest truth is a big Monte Carlo run of the same generator, read back through the docs/definitions.md
 * lifetime definitions. `--fit` first tunes the baseline hazard, the manual and late betas and the
 * contact multipliers towards the brief's targets; the default run measures the truths and writes
 * both into parameters.json.
 *
 *   npx tsx sample-data/calibrate.ts [--fit] [--customers 400000] [--seed 20261031]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { VERTICALS, type Vertical } from './catalog.ts';
import { DEFAULT_END, DEFAULT_MONTHS, SampleRun } from './generate.ts';
import { LifetimeAnalyzer } from './lifetime.ts';
import { PARAMETERS_URL, loadParameters, type Parameters, type PopulationTruths } from './model.ts';

/** What the brief asks the lifetime view to show. */
export const TARGETS = {
  manual_vs_automatic: 2.0,
  ever_late_vs_on_time: 2.8,
  churn_rate: 0.27,
  no_contact_in_last_year: { telecom: 0.67, broadband: 0.8, energy: 0.83, alarm: 0.8 } as Record<Vertical, number>,
};

export const REFERENCE_SEED = 20261031;

/** Generates a clean sample with the given parameters and reads it back through the lifetime view. */
export function measure(params: Parameters, customers: number, seed: number, log = false): PopulationTruths {
  const t0 = performance.now();
  const run = new SampleRun({ size: customers, seed, months: DEFAULT_MONTHS, end: DEFAULT_END }, params);
  const la = new LifetimeAnalyzer();
  for (const chunk of run.chunks()) {
    const text = chunk.toString('latin1');
    let s = 0;
    for (let e = text.indexOf('\n'); e >= 0; e = text.indexOf('\n', s)) {
      la.add(text.slice(s, e));
      s = e + 1;
    }
    if (log && process.stderr.isTTY) process.stderr.write(`\r  ${run.stepsDone}/${run.stepsTotal} steps, ${la.events} events`);
  }
  if (log) process.stderr.write(`\n  ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return la.result({ customers, seed, months: DEFAULT_MONTHS, end: DEFAULT_END, events: la.events });
}

function fit(params: Parameters, customers: number, seed: number, iterations: number): void {
  for (let it = 0; it < iterations; it++) {
    const t = measure(params, customers, seed);
    const rrManual = t.relative_risks.manual_vs_automatic.rr;
    const rrLate = t.relative_risks.ever_late_vs_on_time.rr;
    const quiet = t.contact_facts.no_contact_in_last_year_by_vertical as Record<string, { share: number }>;
    console.log(
      `fit ${it}: churn ${t.churn_rate.toFixed(3)} manual ${rrManual.toFixed(2)} late ${rrLate.toFixed(2)} ` +
        VERTICALS.map((v) => `${v} quiet ${quiet[v]?.share.toFixed(3)}`).join(' '),
    );
    const m = params.model;
    m.beta.late_in_lookback = r4(m.beta.late_in_lookback + 1.4 * Math.log(TARGETS.ever_late_vs_on_time / rrLate));
    m.beta.manual_payment = r4(m.beta.manual_payment + 1.1 * Math.log(TARGETS.manual_vs_automatic / rrManual));
    const scale = Math.pow(TARGETS.churn_rate / t.churn_rate, 1.3);
    for (const v of VERTICALS) m.h0[v] = r6(m.h0[v] * scale);
    for (const v of VERTICALS) {
      const got = quiet[v]?.share;
      if (got > 0 && got < 1) {
        const mul = params.behaviour.contact_multiplier;
        mul[v] = r4(mul[v] * Math.log(TARGETS.no_contact_in_last_year[v]) / Math.log(got));
      }
    }
  }
}

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
const r6 = (v: number) => Math.round(v * 1e6) / 1e6;

function main(): void {
  const { values } = parseArgs({
    options: {
      fit: { type: 'boolean', default: false },
      iterations: { type: 'string', default: '6' },
      'fit-customers': { type: 'string', default: '60000' },
      customers: { type: 'string', default: '400000' },
      seed: { type: 'string', default: String(REFERENCE_SEED) },
    },
  });
  const params = structuredClone(loadParameters());
  const seed = Number(values.seed);
  if (values.fit) fit(params, Number(values['fit-customers']), seed + 1, Number(values.iterations));
  const customers = Number(values.customers);
  console.log(`reference run: ${customers} customers, seed ${seed}`);
  const truths = measure(params, customers, seed, true);
  params.population_truths = truths;
  writeFileSync(PARAMETERS_URL, JSON.stringify(params, null, 2) + '\n');
  const rr = truths.relative_risks;
  console.log(`churn ${truths.churn_rate}`);
  for (const [k, v] of Object.entries(rr)) console.log(`${k}: ${v.rr} [${v.ci95.join(', ')}]`);
  for (const [k, v] of Object.entries(truths.fee_relative_risks_by_vertical)) console.log(`fees ${k}: any ${v.any_vs_none.rr} one ${v.one_vs_none.rr} two+ ${v.two_or_more_vs_none.rr}`);
  console.log(JSON.stringify(truths.contact_facts));
  console.log(`wrote ${PARAMETERS_URL.pathname}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
