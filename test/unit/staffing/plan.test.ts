// The plan's own arithmetic around the existing Erlang C and workload maths: opening hours keep
// every contact, whole items keep the total and never run ahead of the forecast, and channel staffing
// agrees with the calculators interval by interval.
import { describe, expect, it } from 'vitest';
import { requiredAgents } from '../../../service/staffing/erlang-c.ts';
import { applyOpeningHours, staffChannel, wholeItems, type PlanParameters } from '../../../service/staffing/plan.ts';
import { workloadStaffing } from '../../../service/staffing/workload.ts';

const params: PlanParameters = { serviceLevel: 0.8, targetSeconds: 20, maxOccupancy: 0.85, shrinkage: 0.3, responseTargetHours: 4, chatConcurrency: 1, openFrom: 0, openTo: 1440 };

describe('applyOpeningHours', () => {
  it('moves closed-interval demand to the next opening and keeps the total', () => {
    // 60-minute intervals, open 08:00–18:00, two days.
    const series = Array.from({ length: 48 }, (_, i) => (i % 24) + 1);
    const out = applyOpeningHours(series, 60, 8 * 60, 18 * 60);
    const total = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
    expect(total(out)).toBeCloseTo(total(series), 12);
    for (let i = 0; i < 48; i++) if (i % 24 < 8 || i % 24 >= 18) expect(out[i]).toBe(0);
    // Day 1 08:00 collects 00:00–07:59 (1+…+8 = 36 incl. its own 9); day 2 08:00 also the evening before (19…24).
    expect(out[8]).toBe(1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9);
    expect(out[32]).toBe(19 + 20 + 21 + 22 + 23 + 24 + 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9);
    // The last evening has no next opening inside the horizon: it lands on the last open interval.
    expect(out[41]).toBe(18 + 19 + 20 + 21 + 22 + 23 + 24);
  });

  it('is the identity when always open', () => {
    expect(Array.from(applyOpeningHours([0.5, 1, 2], 30, 0, 1440))).toEqual([0.5, 1, 2]);
  });
});

describe('wholeItems', () => {
  it('turns expected arrivals into whole items that track the cumulative forecast', () => {
    const f = [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 2.6, 0, 0.05, 0.45];
    const items = wholeItems(f);
    expect(items.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    let cum = 0;
    let got = 0;
    items.forEach((v, i) => {
      cum += f[i];
      got += v;
      expect(Math.abs(got - cum)).toBeLessThanOrEqual(0.5 + 1e-12);
    });
    expect(got).toBe(Math.round(f.reduce((s, v) => s + v, 0)));
  });
});

describe('staffChannel', () => {
  const forecast = [0, 0.4, 3, 12.5, 30, 18, 6, 1, 0, 0];

  it('Erlang C: every interval is the calculator’s answer, hours add up', () => {
    const s = staffChannel('erlang_c', forecast, 300, params, 1800);
    forecast.forEach((calls, i) => {
      const r = requiredAgents({ calls, ahtSeconds: 300, intervalSeconds: 1800, targetSeconds: 20, serviceLevel: 0.8, maxOccupancy: 0.85, shrinkage: 0.3 });
      expect(s.agents[i]).toBe(r.agents);
      expect(s.roster[i]).toBe(r.agents_with_shrinkage);
      if (calls > 0) expect(s.serviceLevel[i]).toBeGreaterThanOrEqual(0.8);
    });
    expect(s.agentHours).toBe(s.agents.reduce((a, b) => a + b, 0) / 2);
    expect(s.rosterHours).toBe(s.roster.reduce((a, b) => a + b, 0) / 2);
    expect(s.peakAgents).toBe(Math.max(...s.agents));
    expect(s.workloadHours).toBeCloseTo((forecast.reduce((a, b) => a + b, 0) * 300) / 3600, 12);
  });

  it('workload: the backlog model on whole items, drain intervals counted', () => {
    const s = staffChannel('workload', forecast, 600, params, 1800);
    const w = workloadStaffing({ itemsPerInterval: wholeItems(forecast), intervalSeconds: 1800, handleSeconds: 600, targetSeconds: 4 * 3600, maxOccupancy: 0.85, shrinkage: 0.3 });
    expect(s.peakAgents).toBe(w.peak_agents);
    expect(s.agentHours).toBeCloseTo(w.agent_hours, 12);
    expect(s.rosterHours).toBeCloseTo(w.agent_hours_with_shrinkage, 12);
    expect(s.drainIntervals).toBe(w.intervals.length - forecast.length);
  });

  it('not staffed: forecast only', () => {
    const s = staffChannel('not_staffed', forecast, 120, params, 1800);
    expect(s.agentHours).toBe(0);
    expect(s.serviceLevel.every((v) => v === null)).toBe(true);
  });

  it('more traffic never needs fewer agents in any interval (Erlang C)', () => {
    const a = staffChannel('erlang_c', forecast, 300, params, 1800);
    const b = staffChannel('erlang_c', forecast.map((v) => v * 1.1), 300, params, 1800);
    a.agents.forEach((n, i) => expect(b.agents[i]).toBeGreaterThanOrEqual(n));
  });
});
