/**
 * service/off-thread.ts with the drivers' model (analytics/drivers-model.ts): on the R reference
 * data set of test/unit/stats, the model coded from category codes gives R's coefficients, log
 * likelihood and concordance; in the worker thread it gives the in-thread result bit for bit; and a
 * refusal raised there comes back as the same domain error with its code and details, so the
 * routes map it exactly as before. The survival curves' task gives R's log-rank statistic and the
 * in-thread curves bit for bit. (The staffing forecast's round trip is in staffing/forecast.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { driversModel, type DriversInput } from '../../service/analytics/drivers-model.ts';
import { survivalModel } from '../../service/analytics/survival-model.ts';
import { AnalysisRefusedError } from '../../service/analytics/errors.ts';
import type { CodedColumn } from '../../service/db/coded-columns.ts';
import { offThread, offThreadRuns, revive, sent } from '../../service/off-thread.ts';
import { inBackground } from '../../service/background.ts';
import { RiskModelRefusedError } from '../../service/offers/errors.ts';
import { StaffingInputError, StaffingQueryError } from '../../service/staffing/errors.ts';
import { NotEnoughHistoryError } from '../../service/staffing/forecast.ts';
import { loadChurnReference, numeric, REFERENCE_TOLERANCE } from './stats/reference-data.ts';

/** Codes in sorted level order, as dense_rank gives them. */
function coded(values: string[]): CodedColumn {
  const levels = [...new Set(values)].sort();
  const at = new Map(levels.map((l, k) => [l, k]));
  return { codes: Int32Array.from(values, (v) => at.get(v)!), levels };
}

function referenceInput(): DriversInput {
  const { columns } = loadChurnReference();
  const time = numeric(columns.tenure_months);
  return {
    entry: new Float64Array(time.length),
    time,
    event: numeric(columns.churned),
    factors: [
      { name: 'payment_method_class', column: coded(columns.method_class) },
      { name: 'timeliness', column: coded(columns.late.map((v) => (v === '1' ? 'late_once' : 'on_time'))) },
      { name: 'fee_exposure', column: coded(columns.fee_exposed.map((v) => (v === '1' ? 'one' : 'none'))) },
      { name: 'age_band', column: coded(columns.age_band) },
    ],
    ties: 'efron',
  };
}

describe("the drivers' model", () => {
  it("gives R's coefficients for the exposures, its log likelihood and concordance, from category codes", () => {
    const { expected } = loadChurnReference();
    const m = driversModel(referenceInput());
    const coef = (term: string) => m.fit.terms.find((t) => t.name === term)!.coef;
    // R's age reference is 50-79, ours the largest band (30-49): the age terms differ by that
    // choice, the exposures' coefficients and the likelihood do not.
    expect(Math.abs(coef('payment_method_class=manual') - expected.cox_efron.coef[0])).toBeLessThan(REFERENCE_TOLERANCE);
    expect(Math.abs(coef('timeliness=late_once') - expected.cox_efron.coef[1])).toBeLessThan(REFERENCE_TOLERANCE);
    expect(Math.abs(coef('fee_exposure=one') - expected.cox_efron.coef[2])).toBeLessThan(REFERENCE_TOLERANCE);
    expect(Math.abs(m.fit.loglik[1] - expected.cox_efron.loglik[1])).toBeLessThan(REFERENCE_TOLERANCE);
    expect(Math.abs(m.concordance! - expected.cox_efron.concordance)).toBeLessThan(REFERENCE_TOLERANCE);
    expect(m.terms.map((t) => `${t.factor}=${t.level} vs ${t.reference}`)).toEqual([
      'payment_method_class=manual vs automatic',
      'timeliness=late_once vs on_time',
      'fee_exposure=one vs none',
      'age_band=18-29 vs 30-49',
      'age_band=50-79 vs 30-49',
    ]);
    expect(m.excluded).toBe(0);
  });

  it('runs in the worker thread with the same result, bit for bit', async () => {
    const input = referenceInput();
    const before = offThreadRuns.drivers ?? 0;
    const off = await offThread('drivers', input);
    expect(offThreadRuns.drivers).toBe(before + 1);
    expect(off).toEqual(driversModel(input));
  });

  it('returns a refusal as the same domain error, with its code and details', async () => {
    const input = referenceInput();
    const error = await offThread('drivers', { ...input, event: new Float64Array(input.time.length) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisRefusedError);
    expect((error as AnalysisRefusedError).code).toBe('model_refused');
    expect((error as AnalysisRefusedError).details).toEqual({ n: 3000, events: 0 });
  });
});

describe('the survival curves in the worker thread', () => {
  it("give R's log-rank statistic and the in-thread curves bit for bit", async () => {
    const { columns, expected } = loadChurnReference();
    const time = numeric(columns.tenure_months);
    const input = { entry: new Float64Array(time.length), time, event: numeric(columns.churned), key: coded(columns.method_class), minGroupSize: 30 };
    const before = offThreadRuns.survival ?? 0;
    const off = await offThread('survival', input);
    expect(offThreadRuns.survival).toBe(before + 1);
    expect(off).toEqual(survivalModel(input));
    expect(off.curves.map((c) => [c.key, c.n])).toEqual([['automatic', 1785], ['manual', 1215]]);
    expect(Math.abs(off.log_rank!.chi_square - expected.log_rank.chi_square)).toBeLessThan(REFERENCE_TOLERANCE);
  });
});

describe('scheduling between readers and background work', () => {
  /** The reference rows repeated `times` times: the same model, a fit of about 0.1 s per 100 000 rows. */
  const replicated = (times: number): DriversInput => {
    const r = referenceInput();
    const rep = (a: Float64Array) => Float64Array.from({ length: a.length * times }, (_, i) => a[i % a.length]);
    const repCodes = (c: CodedColumn) => ({ levels: c.levels, codes: Int32Array.from({ length: c.codes.length * times }, (_, i) => c.codes[i % c.codes.length]) });
    return { ...r, entry: rep(r.entry), time: rep(r.time), event: rep(r.event), factors: r.factors.map((f) => ({ name: f.name, column: repCodes(f.column) })) };
  };

  it("runs a reader's task on a free thread at once, while background tasks take one thread at a time", async () => {
    const slow = replicated(150); // 450 000 rows
    // Both threads started and warm (two at once, so each takes one).
    await Promise.all([offThread('drivers', referenceInput()), offThread('drivers', referenceInput())]);
    const done: string[] = [];
    const track = (name: string, p: Promise<unknown>) => p.then(() => done.push(name));
    const background = [track('background 1', inBackground(() => offThread('drivers', slow))), track('background 2', inBackground(() => offThread('drivers', slow)))];
    // Posted after both background fits: with each task sent to the thread with fewer waiting, it
    // queued behind the first of them; now the second waits and this one takes the other thread.
    const reader = track('reader', offThread('drivers', referenceInput()));
    await Promise.all([...background, reader]);
    expect(done).toEqual(['reader', 'background 1', 'background 2']);
  }, 60_000);
});

describe('errors across the thread boundary', () => {
  it('come back as the class the routes map to 4xx, with message, code and details', () => {
    const errors: Error[] = [
      new AnalysisRefusedError('group_too_small', 'too few', { n: 12, events: 1 }),
      new RiskModelRefusedError('no churn events', { events: 0 }),
      new NotEnoughHistoryError('only 12 days'),
      new StaffingInputError({ field: 'calls', value: 1e9, expected: 'a volume needing at most 10000 agents' }, 'calls 1000000000 need more than 10000 agents'),
      new StaffingQueryError([{ path: 'open_from', message: 'must be before open_to' }]),
    ];
    for (const error of errors) {
      // As postMessage carries it: structured clone of the plain fields.
      const back = revive('plan', structuredClone(sent(error)));
      expect(back, error.name).toBeInstanceOf(error.constructor);
      expect(back.message).toBe(error.message);
      expect((back as { code?: unknown }).code).toBe((error as { code?: unknown }).code);
      expect((back as { details?: unknown }).details).toEqual((error as { details?: unknown }).details);
    }
    // Anything else is an internal error: its message names the task, and the route answers 500.
    const other = revive('plan', structuredClone(sent(new RangeError('boom'))));
    expect(other.constructor).toBe(Error);
    expect(other.message).toBe('plan failed in the worker thread: boom');
  });
});
