/**
 * The live path's Bloom filter of stored ids (service/events/id-filter.ts): never a false miss
 * (that would store a duplicate), few false hits at capacity (each costs an index look-up), and
 * "maybe" for everything until the start-up scan has filled it.
 */
import { describe, expect, it } from 'vitest';
import { IdFilter } from '../../../service/events/id-filter.ts';

describe('IdFilter', () => {
  it('answers "maybe" for every id until it is complete', () => {
    const filter = new IdFilter(1000);
    expect(filter.mayHave('never-added')).toBe(true);
    filter.complete = true;
    expect(filter.mayHave('never-added')).toBe(false);
  });

  it('never misses an added id, and at capacity has under 0.2 % false hits', () => {
    const capacity = 200_000;
    const filter = new IdFilter(capacity);
    filter.complete = true;
    // Ids shaped like producers' (a common prefix and a counter), the hardest case for a weak hash.
    for (let i = 0; i < capacity; i++) filter.add(`evt-2026-${i}`);
    let misses = 0;
    for (let i = 0; i < capacity; i++) if (!filter.mayHave(`evt-2026-${i}`)) misses++;
    expect(misses).toBe(0);
    let falseHits = 0;
    const probes = 200_000;
    for (let i = 0; i < probes; i++) if (filter.mayHave(`evt-2027-${i}`)) falseHits++;
    expect(falseHits / probes).toBeLessThan(0.002);
    // Not vacuous: the filter is not empty of bits, and a smaller one overfilled has many false hits.
    const small = new IdFilter(1000);
    small.complete = true;
    for (let i = 0; i < capacity; i++) small.add(`evt-2026-${i}`);
    let smallHits = 0;
    for (let i = 0; i < 10_000; i++) if (small.mayHave(`evt-2027-${i}`)) smallHits++;
    expect(smallHits).toBeGreaterThan(5_000);
  });
});
