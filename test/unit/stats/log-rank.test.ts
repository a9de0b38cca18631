import { describe, expect, it } from 'vitest';
import { logRank } from '../../../service/stats/log-rank.ts';
import { expectMatchesReference, loadChurnReference, numeric } from './reference-data.ts';

describe('logRank against R survdiff', () => {
  const { columns, expected } = loadChurnReference();
  const time = numeric(columns.tenure_months);
  const event = numeric(columns.churned);

  for (const ref of [expected.log_rank, expected.log_rank_age]) {
    it(`reproduces the test across ${ref.groups}`, () => {
      const r = logRank(time, event, columns[ref.groups]);
      expectMatchesReference(r.chiSquare, ref.chi_square, 'chi-square');
      expect(r.df).toBe(ref.df);
      expectMatchesReference(r.pValue, ref.p_value, 'p-value');
      // Observed and expected both add up to the number of events.
      const events = event.reduce((s, e) => s + e, 0);
      expect(r.groups.reduce((s, g) => s + g.observed, 0)).toBe(events);
      expect(r.groups.reduce((s, g) => s + g.expected, 0)).toBeCloseTo(events, 9);
      // Each variance row sums to zero: O − E sums to zero across groups.
      for (const row of r.variance) expect(Math.abs(row.reduce((s, v) => s + v, 0))).toBeLessThan(1e-9);
    });
  }
});

describe('logRank by hand', () => {
  it('two groups, no censoring', () => {
    // A dies at 1 and 2, B at 3 and 4. E_A = 2/4 + 1/3, V = 1·3·2·2/(16·3) + 1·2·1·2/(9·2) = 1/4 + 2/9,
    // chi = (2 − 5/6)² / (17/36) = 49/17.
    const r = logRank([1, 2, 3, 4], [1, 1, 1, 1], ['A', 'A', 'B', 'B']);
    expect(r.groups.map((g) => g.level)).toEqual(['A', 'B']);
    expect(r.groups[0].expected).toBeCloseTo(5 / 6, 15);
    expect(r.variance[0][0]).toBeCloseTo(17 / 36, 15);
    expect(r.chiSquare).toBeCloseTo(49 / 17, 14);
    expect(r.df).toBe(1);
  });

  it('one group: no test, a reason instead of a chi-square of 0', () => {
    const r = logRank([1, 2, 3], [1, 0, 1], ['only', 'only', 'only']);
    expect(r.chiSquare).toBeNull();
    expect(r.pValue).toBeNull();
    expect(r.df).toBe(0);
    expect(r.reason).toBe('fewer_than_two_groups');
  });

  it('a group never at risk at an event time is left out of the test, as R does', () => {
    // C's only member leaves (censored) before the first death.
    const r = logRank([1, 2, 3, 4, 0.5], [1, 1, 1, 1, 0], ['A', 'A', 'B', 'B', 'C']);
    expect(r.groups.find((g) => g.level === 'C')!.expected).toBe(0);
    expect(r.df).toBe(1);
    expect(r.chiSquare).toBeCloseTo(49 / 17, 14);
  });

  it('no events at all: no test', () => {
    const r = logRank([1, 2, 3, 4], [0, 0, 0, 0], [1, 1, 2, 2]);
    expect(r.chiSquare).toBeNull();
    expect(r.reason).toBe('fewer_than_two_groups');
  });

  it('rejects mismatched input', () => {
    expect(() => logRank([1, 2], [1, 0], ['A'])).toThrow(RangeError);
  });
});
