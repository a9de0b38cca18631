/**
 * What the back-test lets a page say about the forecast. A title that says the forecast "beats the
 * seasonal-naive baseline" must rest on more than one number being smaller than another: four
 * held-out weeks are 28 days, and one unusual day can decide the comparison. The difference in daily
 * WAPE (model − seasonal naive, Σ(|a − f| − |a − n|) / Σ a over the held-out days) gets a 95 %
 * interval from a paired, circular moving-block bootstrap over those days (blocks of 7 days, so a
 * week's correlated errors stay together; 2 000 resamples; a fixed seed, so the same data give the
 * same interval). Only the daily differences are resampled; the denominator stays the observed mean
 * daily actual, which keeps the interval finite when one day holds most of the contacts. "Beats" only when the whole interval lies below zero, "worse" only when above;
 * anything else is "no clear difference". Independently of the comparison, a daily WAPE above
 * PLANNABLE_WAPE means the forecast is too uncertain to plan on, and fewer than MIN_JUDGED_CONTACTS
 * actual contacts mean neither forecast can be judged at all. Pure functions, so the rule is tested
 * on its own (test/unit/staffing/forecast-verdict.test.ts).
 */
import { mulberry32 } from '../stats/seeded-random.ts';

export const PLANNABLE_WAPE = 0.3;
export const MIN_JUDGED_CONTACTS = 30;
export const BOOTSTRAP_RESAMPLES = 2000;
export const BOOTSTRAP_BLOCK_DAYS = 7;
const SEED = 20_251_202;

export interface DayErrors {
  actual: number;
  forecast: number;
  naive: number;
}

export interface WapeDifference {
  /** Daily WAPE(model) − daily WAPE(seasonal naive); negative = the model errs less. */
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  days: number;
  method: string;
}

const quantile = (sorted: Float64Array, q: number) => {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
};

export const WAPE_DIFFERENCE_METHOD = `paired circular moving-block bootstrap over the held-out days (blocks of ${BOOTSTRAP_BLOCK_DAYS} days, ${BOOTSTRAP_RESAMPLES} resamples, fixed seed), 95 % percentile interval of the mean daily difference |actual − forecast| − |actual − naive| over the mean daily actual (the observed one: only the differences are resampled)`;

export function wapeDifference(days: readonly DayErrors[]): WapeDifference {
  const n = days.length;
  const total = days.reduce((s, d) => s + d.actual, 0);
  if (n === 0 || total <= 0) return { estimate: null, lower: null, upper: null, days: n, method: WAPE_DIFFERENCE_METHOD };
  const diff = days.map((d) => Math.abs(d.actual - d.forecast) - Math.abs(d.actual - d.naive));
  const estimate = diff.reduce((s, v) => s + v, 0) / total;
  const random = mulberry32(SEED);
  const block = Math.min(BOOTSTRAP_BLOCK_DAYS, n);
  const blocks = Math.ceil(n / block);
  const stats = new Float64Array(BOOTSTRAP_RESAMPLES);
  let filled = 0;
  for (let b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
    let d = 0;
    let m = 0;
    for (let k = 0; k < blocks; k++) {
      const start = Math.floor(random() * n);
      for (let i = 0; i < block; i++) {
        d += diff[(start + i) % n];
        m++;
      }
    }
    // The denominator stays the observed Σ actual (scaled to the resample's length): resampling it
    // too makes the ratio explode whenever a resample misses the busiest days.
    stats[filled++] = (d / m) * (n / total);
  }
  const s = stats.slice(0, filled).sort();
  if (!filled) return { estimate, lower: null, upper: null, days: n, method: WAPE_DIFFERENCE_METHOD };
  return { estimate, lower: quantile(s, 0.025), upper: quantile(s, 0.975), days: n, method: WAPE_DIFFERENCE_METHOD };
}

export type Comparison = 'beats' | 'worse' | 'no_clear_difference' | 'not_judged';

export interface Verdict {
  comparison: Comparison;
  plannable: boolean | null;
  /** The sentence a page may use about this channel (the page adds its own subject). */
  statement: string;
}

const pct = (x: number) => {
  const v = Math.abs(x * 100).toFixed(0);
  return `${x < 0 && v !== '0' ? '−' : ''}${v} %`;
};

/** The rule of the header, in one place: the Staffing page's title is this statement. */
export function forecastVerdict(actualContacts: number, modelWape: number | null, naiveWape: number | null, d: WapeDifference): Verdict {
  if (actualContacts < MIN_JUDGED_CONTACTS || modelWape === null || naiveWape === null || d.lower === null || d.upper === null) {
    return { comparison: 'not_judged', plannable: null, statement: `too few contacts in the held-out weeks (${actualContacts}) to judge the forecast` };
  }
  const comparison: Comparison = d.upper < 0 ? 'beats' : d.lower > 0 ? 'worse' : 'no_clear_difference';
  const plannable = modelWape <= PLANNABLE_WAPE;
  const interval = `difference ${pct(d.estimate!)}, 95 % CI ${pct(d.lower)} to ${pct(d.upper)}`;
  const versus = `daily error ${pct(modelWape)} vs ${pct(naiveWape)} (${interval})`;
  if (!plannable) {
    const against = comparison === 'beats' ? 'better than' : comparison === 'worse' ? 'worse than' : 'no clearly different from';
    return { comparison, plannable, statement: `the forecast is too uncertain to plan on — daily error ${pct(modelWape)}, above ${pct(PLANNABLE_WAPE)}; ${against.replace('no clearly', 'not clearly')} the seasonal-naive baseline's ${pct(naiveWape)} (${interval})` };
  }
  const compared =
    comparison === 'beats'
      ? `the forecast beats the seasonal-naive baseline — ${versus}`
      : comparison === 'worse'
        ? `the forecast does worse than the seasonal-naive baseline — ${versus}`
        : `no clear difference between the forecast and the seasonal-naive baseline — ${versus}`;
  return { comparison, plannable, statement: compared };
}
