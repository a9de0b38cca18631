import { describe, expect, it } from 'vitest';
import { kaplanMeier, kaplanMeierByGroup } from '../../../service/stats/kaplan-meier.ts';
import { expectMatchesReference, loadChurnReference, numeric } from './reference-data.ts';

describe('kaplanMeier against R survfit(conf.type = "log-log")', () => {
  const { columns, expected } = loadChurnReference();
  const km = expected.kaplan_meier;
  const time = numeric(columns.tenure_months);
  const event = numeric(columns.churned);
  const times = [...new Set(km.times)].sort((a, b) => a - b);
  const curves = new Map(
    kaplanMeierByGroup(time, event, columns.method_class, { times }).map(({ level, fit }) => [`method_class=${level}`, fit]),
  );

  it('uses the reference confidence scale and strata', () => {
    expect(km.conf_type).toBe('log-log');
    expect([...curves.keys()].sort()).toEqual([...new Set(km.strata)].sort());
  });

  it('reproduces survival, 95 % limits and n.risk at every reference time', () => {
    km.strata.forEach((stratum, i) => {
      const fit = curves.get(stratum)!;
      const point = fit.at.find((p) => p.time === km.times[i])!;
      const label = `${stratum} t=${km.times[i]}`;
      expectMatchesReference(point.survival, km.survival[i], `${label} survival`);
      expectMatchesReference(point.lower, km.lower95[i], `${label} lower95`);
      expectMatchesReference(point.upper, km.upper95[i], `${label} upper95`);
      expect(point.atRisk, `${label} n.risk`).toBe(km.n_risk[i]);
    });
  });

  it('reproduces the medians, including "not reached"', () => {
    for (const [stratum, median] of Object.entries(km.median)) {
      expectMatchesReference(curves.get(stratum)!.median, median, `${stratum} median`);
    }
  });

  it('accounts for every customer in the steps', () => {
    for (const fit of curves.values()) {
      const events = fit.steps.reduce((s, x) => s + x.events, 0);
      const censored = fit.steps.reduce((s, x) => s + x.censored, 0);
      expect(events).toBe(fit.events);
      expect(events + censored + fit.censoredBeforeFirstEvent).toBe(fit.n);
      for (let k = 1; k < fit.steps.length; k++) {
        const prev = fit.steps[k - 1];
        expect(fit.steps[k].atRisk).toBe(prev.atRisk - prev.events - prev.censored);
      }
    }
  });
});

describe('kaplanMeier by hand', () => {
  it('computes the product-limit, Greenwood and log(−log) limits', () => {
    // times 1, 2+, 3, 3, 4+, 5: S(1) = 5/6, S(3) = 5/6 · 2/4 = 5/12, S(5) = 0
    const fit = kaplanMeier([1, 2, 3, 3, 4, 5], [1, 0, 1, 1, 0, 1]);
    expect(fit.steps.map((s) => [s.time, s.atRisk, s.events, s.censored])).toEqual([
      [1, 6, 1, 1],
      [3, 4, 2, 1],
      [5, 1, 1, 0],
    ]);
    expect(fit.steps[1].survival).toBeCloseTo(5 / 12, 15);
    const se = Math.sqrt(1 / (6 * 5) + 2 / (4 * 2));
    expect(fit.steps[1].stdErr).toBeCloseTo(se, 15);
    const s = 5 / 12;
    const z = 1.959963984540054;
    expect(fit.steps[1].lower).toBeCloseTo(Math.exp(-Math.exp(Math.log(-Math.log(s)) - (z * se) / Math.log(s))), 12);
    expect(fit.steps[1].upper).toBeCloseTo(Math.exp(-Math.exp(Math.log(-Math.log(s)) + (z * se) / Math.log(s))), 12);
    // The last subject dies: S = 0, the variance and the log(−log) limits are undefined, not NaN.
    expect(fit.steps[2]).toMatchObject({ survival: 0, stdErr: null, lower: null, upper: null });
    expect(fit.median).toBe(3);
  });

  it('takes the midpoint when the curve sits exactly on 0.5 (R rule)', () => {
    expect(kaplanMeier([1, 2, 3, 4], [1, 1, 1, 1]).median).toBe(2.5);
    // ... but not when the flat at 0.5 runs to the end of follow-up
    expect(kaplanMeier([1, 2, 3, 4], [1, 1, 0, 0]).median).toBe(2);
  });

  it('reads the curve at arbitrary times as summary(fit, times =) does', () => {
    const fit = kaplanMeier([1, 2, 3, 3, 4, 5], [1, 0, 1, 1, 0, 1], { times: [0, 1, 2.5, 3, 4.5, 9] });
    expect(fit.at.map((p) => [p.time, p.atRisk, p.survival, p.beyondFollowUp])).toEqual([
      [0, 6, 1, false],
      [1, 6, 5 / 6, false],
      [2.5, 4, 5 / 6, false],
      [3, 4, fit.steps[1].survival, false],
      [4.5, 1, fit.steps[1].survival, false],
      [9, 0, 0, true],
    ]);
    expect(fit.at[0]).toMatchObject({ stdErr: 0, lower: 1, upper: 1 });
  });

  it('with everyone censored: a flat curve at 1, no steps, median not reached', () => {
    const fit = kaplanMeier([3, 1, 2], [0, 0, 0], { times: [2] });
    expect(fit.steps).toEqual([]);
    expect(fit.events).toBe(0);
    expect(fit.censoredBeforeFirstEvent).toBe(3);
    expect(fit.median).toBeNull();
    expect(fit.at[0]).toMatchObject({ atRisk: 2, survival: 1, lower: 1, upper: 1 });
  });

  it('rejects empty or malformed input', () => {
    expect(() => kaplanMeier([], [])).toThrow(RangeError);
    expect(() => kaplanMeier([1, 2], [1])).toThrow(RangeError);
    expect(() => kaplanMeier([1, Number.NaN], [1, 0])).toThrow(RangeError);
    expect(() => kaplanMeier([1, 2], [1, 2])).toThrow(RangeError);
  });
});
