/**
 * Delayed entry against R's `Surv(entry, exit, event)` figures, and the properties that pin down
 * the risk-set rule where the reference has no figure (log-rank): splitting a subject's follow-up
 * into consecutive pieces must change nothing, and with no ties the log-rank statistic is the Cox
 * score test.
 */

import { describe, expect, it } from 'vitest';
import { concordance } from '../../../service/stats/concordance.ts';
import { fitCox, type CoxCovariate } from '../../../service/stats/cox.ts';
import { alignNearlyEqualTimes, prepareDelayedEntry } from '../../../service/stats/delayed-entry.ts';
import { kaplanMeier, kaplanMeierByGroup } from '../../../service/stats/kaplan-meier.ts';
import { logRank } from '../../../service/stats/log-rank.ts';
import { REFERENCE_TOLERANCE, expectCurveMatches, expectMatchesReference, indicator, loadDelayedEntryReference, numeric } from './reference-data.ts';

const reference = loadDelayedEntryReference();

function referenceCovariates(): CoxCovariate[] {
  const c = reference.columns;
  // R names factor(late) and factor(fee_exposed) dummies late_f1 and fee_f1.
  const columnFor: Record<string, Float64Array> = {
    method_classmanual: indicator(c.method_class, 'manual'),
    late_f1: numeric(c.late),
    fee_f1: numeric(c.fee_exposed),
    'age_band18-29': indicator(c.age_band, '18-29'),
    'age_band30-49': indicator(c.age_band, '30-49'),
  };
  return reference.expected.cox.terms.map((name) => {
    if (!columnFor[name]) throw new Error(`no column for reference term ${name}`);
    return { name, values: columnFor[name] };
  });
}

describe('delayed entry against R survival 3.5 (Surv(entry, exit, event))', () => {
  const { expected, entry, exit, event, columns } = reference;

  it('applies the entry rule the file states', () => {
    expect(exit.length).toBe(expected.n);
    expect(entry.filter((e) => e > 0).length).toBe(expected.n_delayed);
  });

  it('Kaplan–Meier: survival, log(−log) 95 % limits and number at risk', () => {
    const km = expected.km;
    const times = [...new Set(km.times)].sort((a, b) => a - b);
    const curves = new Map(kaplanMeierByGroup(exit, event, columns.method_class, { times, entry }).map(({ level, fit }) => [level, fit.at]));
    expectCurveMatches(curves, km, REFERENCE_TOLERANCE, 'delayed entry');
  });

  it('Cox (Efron): coefficients, SEs, log-likelihoods and concordance', () => {
    const ref = expected.cox;
    const ev = Uint8Array.from(event);
    const fit = fitCox(exit, ev, referenceCovariates(), { entry });
    expect(fit.terms.map((t) => t.name)).toEqual(ref.terms);
    fit.terms.forEach((t, k) => {
      expectMatchesReference(t.coef, ref.coef[k], `${t.name} coef`);
      expectMatchesReference(t.se, ref.se[k], `${t.name} se`);
    });
    expectMatchesReference(fit.loglik[0], ref.loglik[0], 'loglik at 0');
    expectMatchesReference(fit.loglik[1], ref.loglik[1], 'loglik at estimate');
    // R's coxph compares each event only with those at risk at its time (entry before it).
    const c = concordance(exit, ev, fit.linearPredictor, { entry });
    expectMatchesReference(c.concordance, ref.concordance, 'concordance');
  });

  it('merges near-ties as R does: entries computed as exit − 24 sit a hair off other exits', () => {
    const aligned = prepareDelayedEntry(entry, exit, 'test');
    const moved = entry.filter((e, i) => e !== aligned.entry[i]);
    expect(moved.length).toBeGreaterThan(0);
    for (const e of moved) expect(Math.abs(e - Math.round(e * 100) / 100)).toBeLessThan(1e-12);
  });

  it('entry 0 for everyone gives exactly the results without entry times', () => {
    const zero = new Float64Array(exit.length);
    const ev = Uint8Array.from(event);
    expect(kaplanMeier(exit, event, { entry: zero, times: [6, 12, 24] })).toEqual(kaplanMeier(exit, event, { times: [6, 12, 24] }));
    expect(logRank(exit, event, columns.method_class, { entry: zero })).toEqual(logRank(exit, event, columns.method_class));
    const withZero = fitCox(exit, ev, referenceCovariates(), { entry: zero });
    const without = fitCox(exit, ev, referenceCovariates());
    expect(withZero).toEqual(without);
    expect(concordance(exit, ev, without.linearPredictor, { entry: zero })).toEqual(concordance(exit, ev, without.linearPredictor));
  });
});

describe('delayed entry by hand', () => {
  it('a subject is at risk on (entry, exit] only', () => {
    // Exits 1, 2, 3, 4 (events at 1 and 3); the last entered at 2, so it misses the event at 1
    // and, entering exactly at 2, is at risk from just after 2.
    const fit = kaplanMeier([1, 2, 3, 4], [1, 0, 1, 0], { entry: [0, 0, 0, 2], times: [1, 2, 2.5] });
    expect(fit.steps.map((s) => [s.time, s.atRisk, s.events])).toEqual([
      [1, 3, 1],
      [3, 2, 1],
    ]);
    expect(fit.steps[1].survival).toBeCloseTo((2 / 3) * (1 / 2), 15);
    // n.risk at t: exit ≥ t and entry < t (at 2 the one exiting at 2 counts, the one entering does not).
    expect(fit.at.map((p) => p.atRisk)).toEqual([3, 2, 2]);
  });

  it('an entry that equals an event time only up to rounding is not in its risk set', () => {
    const entryAt = 0.1 + 0.2; // 0.30000000000000004, meant as 0.3
    const fit = kaplanMeier([0.3, 0.5, 1], [1, 1, 0], { entry: [0, 0, entryAt] });
    expect(fit.steps[0]).toMatchObject({ time: 0.3, atRisk: 2 });
    const below = 0.7 - 0.4; // 0.29999999999999993: merged with 0.3 as well
    expect(kaplanMeier([0.3, 0.5, 1], [1, 1, 0], { entry: [0, 0, below] }).steps[0].atRisk).toBe(2);
    // Without the merge the subject would have counted at 0.3.
    expect(below < 0.3).toBe(true);
  });

  it('merges chains of near-equal times onto the first, and rejects intervals that vanish', () => {
    const { entry, exit } = alignNearlyEqualTimes([0, 1 - 1e-12], [1, 2], 'test');
    expect(Array.from(entry)).toEqual([0, 1 - 1e-12]);
    expect(Array.from(exit)).toEqual([1 - 1e-12, 2]);
    expect(() => prepareDelayedEntry([1 - 1e-12], [1], 'test')).toThrow(RangeError);
    expect(() => prepareDelayedEntry([2], [1], 'test')).toThrow(RangeError);
    expect(() => prepareDelayedEntry([1], [1], 'test')).toThrow(RangeError);
    expect(() => prepareDelayedEntry([Number.NaN], [1], 'test')).toThrow(RangeError);
    expect(() => prepareDelayedEntry([0, 0], [1], 'test')).toThrow(RangeError);
  });
});

/** Deterministic pseudo-random numbers, so the synthetic data are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Late-entering subjects in two groups, times on a coarse grid so ties are common. */
function synthetic(n: number, seed: number) {
  const rand = lcg(seed);
  const entry: number[] = [];
  const exit: number[] = [];
  const event: number[] = [];
  const group: string[] = [];
  const x: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = rand() < 0.5 ? 'a' : 'b';
    const start = rand() < 0.4 ? Math.floor(rand() * 10) : 0;
    exit.push(start + 1 + Math.floor(rand() * (g === 'a' ? 20 : 12)));
    entry.push(start);
    event.push(rand() < 0.7 ? 1 : 0);
    group.push(g);
    x.push(g === 'b' ? 1 : 0);
  }
  return { entry, exit, event, group, x };
}

/**
 * The same subjects with each follow-up cut at an interior grid point into (entry, cut], censored,
 * and (cut, exit] with the original outcome: counting-process statistics must not notice.
 */
function split(d: ReturnType<typeof synthetic>) {
  const out = { entry: [] as number[], exit: [] as number[], event: [] as number[], group: [] as string[], x: [] as number[] };
  d.exit.forEach((t, i) => {
    const cut = d.entry[i] + Math.floor((t - d.entry[i]) / 2);
    const pieces: Array<[number, number, number]> =
      cut > d.entry[i] ? [[d.entry[i], cut, 0], [cut, t, d.event[i]]] : [[d.entry[i], t, d.event[i]]];
    for (const [a, b, e] of pieces) {
      out.entry.push(a);
      out.exit.push(b);
      out.event.push(e);
      out.group.push(d.group[i]);
      out.x.push(d.x[i]);
    }
  });
  return out;
}

describe('delayed entry: counting-process properties', () => {
  const whole = synthetic(400, 7);
  const pieces = split(whole);

  it('the split data really are different rows', () => {
    expect(pieces.exit.length).toBeGreaterThan(whole.exit.length + 100);
  });

  it('splitting follow-up changes no Kaplan–Meier figure', () => {
    const a = kaplanMeier(whole.exit, whole.event, { entry: whole.entry, times: [3, 8, 15] });
    const b = kaplanMeier(pieces.exit, pieces.event, { entry: pieces.entry, times: [3, 8, 15] });
    expect(b.steps.map((s) => [s.time, s.atRisk, s.events])).toEqual(a.steps.map((s) => [s.time, s.atRisk, s.events]));
    b.steps.forEach((s, k) => expect(s.survival).toBeCloseTo(a.steps[k].survival, 14));
    expect(b.at.map((p) => p.atRisk)).toEqual(a.at.map((p) => p.atRisk));
  });

  it('splitting follow-up changes neither the log-rank test nor the Cox fit nor the concordance', () => {
    const lrA = logRank(whole.exit, whole.event, whole.group, { entry: whole.entry });
    const lrB = logRank(pieces.exit, pieces.event, pieces.group, { entry: pieces.entry });
    expect(lrB.chiSquare).toBeCloseTo(lrA.chiSquare!, 10);
    expect(lrB.groups.map((g) => g.expected)).toEqual(lrA.groups.map((g) => expect.closeTo(g.expected, 10)));

    const coxA = fitCox(Float64Array.from(whole.exit), Uint8Array.from(whole.event), [{ name: 'b', values: Float64Array.from(whole.x) }], {
      entry: whole.entry,
    });
    const coxB = fitCox(Float64Array.from(pieces.exit), Uint8Array.from(pieces.event), [{ name: 'b', values: Float64Array.from(pieces.x) }], {
      entry: pieces.entry,
    });
    expect(coxB.terms[0].coef).toBeCloseTo(coxA.terms[0].coef, 9);
    expect(coxB.terms[0].se).toBeCloseTo(coxA.terms[0].se, 9);
    expect(coxB.loglik[1]).toBeCloseTo(coxA.loglik[1], 8);

    const cA = concordance(whole.exit, whole.event, whole.x, { entry: whole.entry });
    const cB = concordance(pieces.exit, pieces.event, pieces.x, { entry: pieces.entry });
    expect([cB.concordant, cB.discordant, cB.tiedScore]).toEqual([cA.concordant, cA.discordant, cA.tiedScore]);
  });

  it('ignoring entry would change the answer (the data do truncate)', () => {
    const withEntry = kaplanMeier(whole.exit, whole.event, { entry: whole.entry });
    const without = kaplanMeier(whole.exit, whole.event);
    expect(withEntry.steps[0].atRisk).toBeLessThan(without.steps[0].atRisk);
  });

  it('without tied times the log-rank statistic equals the Cox score test', () => {
    const rand = lcg(11);
    const n = 300;
    const entry: number[] = [];
    const exit: number[] = [];
    const event: number[] = [];
    const x: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = rand() < 0.5 ? rand() * 5 : 0;
      const b = rand() < 0.5 ? 1 : 0;
      entry.push(start);
      exit.push(start + 0.01 + rand() * (b ? 6 : 10));
      event.push(rand() < 0.8 ? 1 : 0);
      x.push(b);
    }
    const lr = logRank(exit, event, x, { entry });
    const cox = fitCox(Float64Array.from(exit), Uint8Array.from(event), [{ name: 'x', values: Float64Array.from(x) }], { entry, ties: 'breslow' });
    expect(lr.chiSquare).toBeCloseTo(cox.tests.score.statistic, 9);
    const ignoringEntry = logRank(exit, event, x);
    expect(Math.abs(ignoringEntry.chiSquare! - lr.chiSquare!)).toBeGreaterThan(1e-3);
  });

  it('concordance agrees with the all-pairs count over risk sets (entry < t ≤ exit)', () => {
    const d = synthetic(300, 23);
    const score = d.exit.map((_, i) => Math.floor(lcg(i + 1)() * 5));
    let concordant = 0;
    let discordant = 0;
    let tiedScore = 0;
    for (let i = 0; i < d.exit.length; i++) {
      if (d.event[i] !== 1) continue;
      const t = d.exit[i];
      for (let j = 0; j < d.exit.length; j++) {
        if (j === i || !(d.entry[j] < t)) continue;
        if (!(d.exit[j] > t || (d.exit[j] === t && d.event[j] === 0))) continue;
        if (score[i] > score[j]) concordant++;
        else if (score[i] < score[j]) discordant++;
        else tiedScore++;
      }
    }
    const fast = concordance(d.exit, d.event, score, { entry: d.entry });
    expect([fast.concordant, fast.discordant, fast.tiedScore]).toEqual([concordant, discordant, tiedScore]);
  });
});
