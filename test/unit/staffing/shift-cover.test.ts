// The shift optimiser (HiGHS through shift-cover.ts) against optima known by hand and published
// ones: a flat requirement has an exact answer, and pyworkforce's documented two-day example (its
// scheduling tutorial, 24 hourly periods, four shifts, period cap 27, shift cap 25) has published
// objective values for both of its models — 113 resources for MinRequiredResources (cover) and a
// total absolute difference of 157 for MinAbsDifference (weighted 1:1, no cost term). The
// infeasible cases must name the interval that makes them so.
import { describe, expect, it } from 'vitest';
import { optimiseCover, type CoverProblem } from '../../../service/staffing/shift-cover.ts';
import { dayPatterns } from '../../../service/staffing/shift-design.ts';
import { ShiftInfeasibleError } from '../../../service/staffing/shift-errors.ts';

const base = (p: Partial<CoverProblem> & Pick<CoverProblem, 'requirement' | 'patterns'>): CoverProblem => ({
  objective: 'cover',
  maxPerPeriod: Number.POSITIVE_INFINITY,
  minPerPeriod: p.requirement.map(() => 0),
  maxPerPattern: Number.POSITIVE_INFINITY,
  underWeight: 1,
  overWeight: 1,
  costWeight: 0,
  timeLimitSeconds: 10,
  ...p,
});
const rules = { lengthsHours: [8], startStepMinutes: 30, startTimes: null, lunchMinutes: 0, lunchFromHours: 6, lunchMarginHours: 2, lunchPaid: false };

describe('shift optimiser, known optima', () => {
  it('covers a flat 10 agents over 8 hours with exactly 10 eight-hour shifts', async () => {
    const patterns = dayPatterns([8 * 60, 16 * 60], rules, 30);
    expect(patterns).toHaveLength(1);
    const requirement = new Array(48).fill(0).map((_, i) => (i >= 16 && i < 32 ? 10 : 0));
    const r = await optimiseCover(base({ requirement, patterns: patterns.map((p) => ({ periods: p.slots, cost: p.paidHours })) }));
    expect(r.counts).toEqual([10]);
    expect(r.objective).toBe(80);
    expect(r.status).toBe('optimal');
    expect(r.gap).toBe(0);
  });

  it('staggers lunches: 10 agents over 8.5 hours with one 8.5-hour shift and a 30-minute lunch need 12 shifts', async () => {
    // One start time, lunch in one of 9 intervals (10:00–14:00). With n agents at most n − 10 may
    // lunch in the same interval, and n lunches must fit in 9 intervals: 9 (n − 10) ≥ n, so n = 12.
    const patterns = dayPatterns([8 * 60, 16.5 * 60], { ...rules, lengthsHours: [8.5], lunchMinutes: 30 }, 30);
    expect(patterns).toHaveLength(9);
    const requirement = new Array(48).fill(0).map((_, i) => (i >= 16 && i < 33 ? 10 : 0));
    const r = await optimiseCover(base({ requirement, patterns: patterns.map((p) => ({ periods: p.slots, cost: p.paidHours })) }));
    expect(r.counts.reduce((a, b) => a + b, 0)).toBe(12);
    for (let i = 16; i < 33; i++) expect(r.coverage[i]).toBeGreaterThanOrEqual(10);
  });

  const required = [
    [9, 11, 17, 9, 7, 12, 5, 11, 8, 9, 18, 17, 8, 12, 16, 8, 7, 12, 11, 10, 13, 19, 16, 7],
    [13, 13, 12, 15, 18, 20, 13, 16, 17, 8, 13, 11, 6, 19, 11, 20, 19, 17, 10, 13, 14, 23, 16, 8],
  ].flat();
  const coverage = {
    Morning: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    Afternoon: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0],
    Night: [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1],
    Mixed: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
  };
  const patterns = [0, 1].flatMap((day) => Object.values(coverage).map((c) => ({ periods: c.flatMap((v, i) => (v ? [day * 24 + i] : [])), cost: 1 })));
  const pyworkforce = base({ requirement: required, patterns, maxPerPeriod: 27, maxPerPattern: 25 });

  it('gives pyworkforce’s published MinRequiredResources total (113) for its tutorial example', async () => {
    const r = await optimiseCover(pyworkforce);
    expect(r.objective).toBe(113);
    expect(r.counts.reduce((a, b) => a + b, 0)).toBe(113);
    r.coverage.forEach((c, i) => expect(c).toBeGreaterThanOrEqual(required[i]));
    r.coverage.forEach((c) => expect(c).toBeLessThanOrEqual(27));
    r.counts.forEach((n) => expect(n).toBeLessThanOrEqual(25));
  });

  it('gives pyworkforce’s published MinAbsDifference cost (157) with equal under/over weights', async () => {
    const r = await optimiseCover({ ...pyworkforce, objective: 'weighted' });
    const absolute = r.coverage.reduce((s, c, i) => s + Math.abs(c - required[i]), 0);
    expect(absolute).toBe(157);
    expect(r.objective).toBeCloseTo(157, 9);
  });

  it('weights under-staffing against over-staffing', async () => {
    // One 8-hour pattern, requirement 2 for 2 hours and 1 for the other 6: weighted 10:1 it takes 2 agents, 1:10 it takes 1.
    const pats = [{ periods: [0, 1, 2, 3, 4, 5, 6, 7], cost: 8 }];
    const requirement = [2, 2, 1, 1, 1, 1, 1, 1];
    expect((await optimiseCover(base({ requirement, patterns: pats, objective: 'weighted', underWeight: 10, overWeight: 1 }))).counts).toEqual([2]);
    expect((await optimiseCover(base({ requirement, patterns: pats, objective: 'weighted', underWeight: 1, overWeight: 10 }))).counts).toEqual([1]);
  });
});

describe('shift optimiser, infeasible settings', () => {
  const patterns = [{ periods: [0, 1, 2, 3], cost: 2 }];
  const reject = async (p: CoverProblem) => {
    try {
      await optimiseCover(p);
    } catch (e) {
      expect(e).toBeInstanceOf(ShiftInfeasibleError);
      return (e as ShiftInfeasibleError).bottlenecks;
    }
    throw new Error('expected ShiftInfeasibleError');
  };

  it('names the interval whose requirement is above max_agents', async () => {
    const b = await reject(base({ requirement: [1, 5, 1, 1], patterns, maxPerPeriod: 3 }));
    expect(b).toEqual([{ period: 1, kind: 'above_max_agents', required: 5, available: 3 }]);
  });

  it('names the interval no shift covers', async () => {
    const b = await reject(base({ requirement: [1, 1, 1, 1, 2], patterns }));
    expect(b).toEqual([{ period: 4, kind: 'no_shift_covers', required: 2, available: 0 }]);
  });

  it('names the lunch interval the cap leaves uncovered', async () => {
    // Two patterns with lunches in periods 1 and 2; 2 agents needed everywhere and at most 2 at once.
    const withLunch = [
      { periods: [0, 2, 3], cost: 1.5 },
      { periods: [0, 1, 3], cost: 1.5 },
    ];
    const b = await reject(base({ requirement: [2, 2, 2, 2], patterns: withLunch, maxPerPeriod: 2 }));
    expect(b.length).toBeGreaterThan(0);
    expect(b.every((x) => x.kind === 'caps_and_breaks' && (x.period === 1 || x.period === 2))).toBe(true);
  });
});
