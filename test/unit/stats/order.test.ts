import { describe, expect, it } from 'vitest';
import { compareLevels, orderAscending } from '../../../service/stats/order.ts';

describe('orderAscending', () => {
  it('sorts like a numeric comparator sort, stably, across signs, zeros and infinities', () => {
    let s = 99;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const values: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const u = rand();
      if (u < 0.3) values.push(Math.floor(rand() * 50) - 25); // integer ties, both signs
      else if (u < 0.6) values.push((rand() - 0.5) * 1e6);
      else if (u < 0.7) values.push((rand() - 0.5) * 1e-300);
      else if (u < 0.75) values.push(rand() < 0.5 ? 0 : -0);
      else if (u < 0.78) values.push(rand() < 0.5 ? Infinity : -Infinity);
      else values.push(rand() * 3);
    }
    const order = Array.from(orderAscending(values));
    const expected = values.map((_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
    expect(order.map((i) => values[i])).toEqual(expected.map((i) => values[i]));
    expect(order).toEqual(expected);
  });

  it('handles empty input and rejects NaN', () => {
    expect(orderAscending([])).toEqual(new Uint32Array(0));
    expect(() => orderAscending([1, Number.NaN])).toThrow(RangeError);
  });
});

describe('compareLevels', () => {
  it('puts numbers first, numerically, then strings', () => {
    expect(['b', 10, 'a', 2].sort(compareLevels)).toEqual([2, 10, 'a', 'b']);
  });
});
