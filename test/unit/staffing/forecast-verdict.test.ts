// The rule that decides what the Staffing page may say about the forecast (forecast-verdict.ts):
// "beats" only when the bootstrap interval of the WAPE difference lies below zero, "too uncertain"
// above 30 % daily WAPE, nothing at all on too few contacts.
import { describe, expect, it } from 'vitest';
import { forecastVerdict, wapeDifference } from '../../../service/staffing/forecast-verdict.ts';

const days = (n: number, f: (i: number) => [number, number, number]) => Array.from({ length: n }, (_, i) => ({ actual: f(i)[0], forecast: f(i)[1], naive: f(i)[2] }));

describe('wapeDifference', () => {
  it('gives the exact point estimate and an interval around it', () => {
    // Model off by 1 every day, naive off by 3: WAPE 1/10 vs 3/10, difference −0.2 on every resample.
    const d = wapeDifference(days(28, () => [10, 11, 7]));
    expect(d.estimate).toBeCloseTo(-0.2, 12);
    expect(d.lower).toBeCloseTo(-0.2, 12);
    expect(d.upper).toBeCloseTo(-0.2, 12);
    expect(d.days).toBe(28);
  });

  it('has an interval that straddles zero when the two forecasts trade wins', () => {
    const d = wapeDifference(days(28, (i) => (i % 2 ? [10, 13, 10] : [10, 10, 13])));
    expect(d.estimate).toBeCloseTo(0, 12);
    expect(d.lower!).toBeLessThan(0);
    expect(d.upper!).toBeGreaterThan(0);
  });

  it('is deterministic', () => {
    const data = days(28, (i) => [5 + (i % 3), 5 + (i % 5) / 2, 4 + (i % 7)]);
    expect(wapeDifference(data)).toEqual(wapeDifference(data));
  });

  it('is undefined without contacts', () => {
    expect(wapeDifference(days(7, () => [0, 1, 0])).estimate).toBeNull();
  });
});

describe('forecastVerdict', () => {
  it('says beats only when the interval excludes zero', () => {
    const clear = forecastVerdict(280, 0.1, 0.3, { estimate: -0.2, lower: -0.25, upper: -0.15, days: 28, method: '' });
    expect(clear.comparison).toBe('beats');
    expect(clear.statement).toBe('the forecast beats the seasonal-naive baseline — daily error 10 % vs 30 % (difference −20 %, 95 % CI −25 % to −15 %)');
    const unclear = forecastVerdict(280, 0.1, 0.12, { estimate: -0.02, lower: -0.06, upper: 0.01, days: 28, method: '' });
    expect(unclear.comparison).toBe('no_clear_difference');
    expect(unclear.statement).not.toMatch(/beats/);
    expect(unclear.statement).toMatch(/^no clear difference/);
    expect(forecastVerdict(280, 0.2, 0.1, { estimate: 0.1, lower: 0.05, upper: 0.15, days: 28, method: '' }).comparison).toBe('worse');
  });

  it('says too uncertain to plan on above 30 % daily WAPE, even when it beats the baseline', () => {
    const v = forecastVerdict(280, 0.94, 0.97, { estimate: -0.03, lower: -0.05, upper: -0.01, days: 28, method: '' });
    expect(v.plannable).toBe(false);
    expect(v.statement).toBe("the forecast is too uncertain to plan on — daily error 94 %, above 30 %; better than the seasonal-naive baseline's 97 % (difference −3 %, 95 % CI −5 % to −1 %)");
    expect(forecastVerdict(280, 0.3, 0.5, { estimate: -0.2, lower: -0.3, upper: -0.1, days: 28, method: '' }).plannable).toBe(true);
  });

  it('judges nothing on too few contacts', () => {
    const v = forecastVerdict(12, 0.1, 0.3, { estimate: -0.2, lower: -0.3, upper: -0.1, days: 28, method: '' });
    expect(v.comparison).toBe('not_judged');
    expect(v.statement).toBe('too few contacts in the held-out weeks (12) to judge the forecast');
  });
});
