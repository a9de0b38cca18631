// The merging of thin levels before the Cox model (service/analytics/level-merging.ts): ordered
// scales merge into the smaller neighbour with readable names, unordered levels into `other`, a
// factor merged into one level is constant, and every changed level is listed with its counts.
import { describe, expect, it } from 'vitest';
import { mergeSparseLevels } from '../../../service/analytics/level-merging.ts';

const counts = (o: Record<string, [number, number]>) => new Map(Object.entries(o).map(([k, [n, events]]) => [k, { n, events }]));

describe('mergeSparseLevels', () => {
  it('merges two_or_more fees into one_or_more', () => {
    const { mapping, merges } = mergeSparseLevels('fee_exposure', counts({ none: [900, 60], one: [64, 15], two_or_more: [7, 1] }));
    expect(Object.fromEntries(mapping)).toEqual({ none: 'none', one: 'one_or_more', two_or_more: 'one_or_more' });
    expect(merges).toEqual([
      { dimension: 'fee_exposure', from: 'one', into: 'one_or_more', n: 64, events: 15 },
      { dimension: 'fee_exposure', from: 'two_or_more', into: 'one_or_more', n: 7, events: 1 },
    ]);
  });

  it('merges an ordered level into its smaller neighbour, the thinnest first', () => {
    // 30-49 is thin by events; its neighbours 18-29 (40) and 50-79 (300): it joins 18-29.
    const { mapping } = mergeSparseLevels('age_band', counts({ '18-29': [40, 6], '30-49': [50, 2], '50-79': [300, 30], '80+': [96, 3] }));
    expect(Object.fromEntries(mapping)).toEqual({ '18-29': '18-49', '30-49': '18-49', '50-79': '50+', '80+': '50+' });
  });

  it('sends rare unordered levels into other, and grows other until it passes', () => {
    const { mapping, merges } = mergeSparseLevels('plan', counts({ a: [500, 50], b: [200, 20], c: [20, 2], d: [5, 1], e: [40, 4] }));
    // c, d and e are thin: other = 65 customers, 7 events, passes.
    expect(Object.fromEntries(mapping)).toEqual({ a: 'a', b: 'b', c: 'other', d: 'other', e: 'other' });
    expect(merges.map((m) => [m.from, m.into, m.n])).toEqual([['c', 'other', 20], ['d', 'other', 5], ['e', 'other', 40]]);
    // A thin other takes the next smallest level.
    const grown = mergeSparseLevels('plan', counts({ a: [500, 50], b: [100, 10], c: [10, 1] }));
    expect(Object.fromEntries(grown.mapping)).toEqual({ a: 'a', b: 'other', c: 'other' });
  });

  it('keeps an existing other level and adds the thin ones to it', () => {
    const { mapping } = mergeSparseLevels('vertical', counts({ telecom: [500, 50], other: [80, 9], alarm: [10, 1] }));
    expect(Object.fromEntries(mapping)).toEqual({ telecom: 'telecom', other: 'other', alarm: 'other' });
  });

  it('puts a thin off-scale level (unknown age) into the largest band', () => {
    const { mapping } = mergeSparseLevels('age_band', counts({ '18-29': [100, 10], '30-49': [300, 30], unknown: [4, 0] }));
    expect(mapping.get('unknown')).toBe('30-49');
  });

  it('lists no merge for a factor that collapses into one level', () => {
    const { mapping, merges } = mergeSparseLevels('payment_method_class', counts({ automatic: [155, 4], manual: [51, 7] }));
    expect(new Set(mapping.values()).size).toBe(1);
    expect(merges).toEqual([]);
  });

  it('leaves levels that pass alone', () => {
    const { merges } = mergeSparseLevels('timeliness', counts({ on_time: [900, 60], late_once: [100, 15], late_repeatedly: [50, 9] }));
    expect(merges).toEqual([]);
  });
});
