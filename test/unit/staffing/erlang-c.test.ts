// Closed forms, an independent factorial oracle for small teams and the Halfin–Whitt limit for huge
// ones pin the recursion down from both ends; the validation cases are what an API caller can send.
import { describe, expect, it } from 'vitest';
import {
  averageSpeedOfAnswer,
  erlangB,
  erlangC,
  MAX_AGENTS,
  occupancy,
  requiredAgents,
  serviceLevel,
  trafficErlangs,
  type ErlangCInput,
} from '../../../service/staffing/erlang-c.ts';
import { StaffingInputError } from '../../../service/staffing/errors.ts';

const textbook: ErlangCInput = {
  calls: 100,
  ahtSeconds: 180,
  intervalSeconds: 1800,
  targetSeconds: 20,
  serviceLevel: 0.8,
  maxOccupancy: 0.85,
  shrinkage: 0.3,
};

/** The textbook sums A^k / k!, built term by term; trustworthy only for the small A used here. */
function directErlangC(a: number, n: number): number {
  let term = 1;
  let below = 0;
  for (let k = 0; k < n; k++) {
    below += term;
    term *= a / (k + 1);
  }
  const top = (term * n) / (n - a);
  return top / (below + top);
}

describe('trafficErlangs', () => {
  it('is calls × AHT / interval', () => {
    expect(trafficErlangs(100, 180, 1800)).toBe(10);
    expect(trafficErlangs(0, 180, 1800)).toBe(0);
    expect(trafficErlangs(2.5, 240, 600)).toBe(1);
  });
});

describe('Erlang B and C', () => {
  it('agree with the factorial formula where it is still exact', () => {
    for (const a of [0.05, 0.7, 1, 3.3, 10, 24, 41.5]) {
      for (let n = Math.floor(a) + 1; n <= Math.floor(a) + 25; n++) {
        const direct = directErlangC(a, n);
        expect(Math.abs(erlangC(a, n) - direct) / direct, `A=${a} N=${n}`).toBeLessThan(1e-12);
      }
    }
  });

  it('has B(0) = 1 and the one-server closed forms', () => {
    expect(erlangB(5, 0)).toBe(1);
    expect(erlangB(2, 1)).toBeCloseTo(2 / 3, 15);
    expect(erlangC(0.5, 1)).toBeCloseTo(0.5, 15); // M/M/1: C = ρ
  });

  it('treats an unstable queue as everyone waiting and no traffic as nobody waiting', () => {
    expect(erlangC(10, 10)).toBe(1);
    expect(erlangC(10, 3)).toBe(1);
    expect(erlangC(0, 0)).toBe(0);
    expect(erlangC(0, 4)).toBe(0);
    expect(serviceLevel(10, 10, 180, 20)).toBe(0);
    expect(serviceLevel(0, 0, 180, 20)).toBe(1);
    expect(averageSpeedOfAnswer(10, 9, 180)).toBe(Number.POSITIVE_INFINITY);
    expect(averageSpeedOfAnswer(0, 1, 180)).toBe(0);
    expect(occupancy(10, 5)).toBe(1);
    expect(occupancy(10, 0)).toBe(1);
    expect(occupancy(0, 0)).toBe(0);
  });

  it('gives the textbook figures for 10 Erlangs and 14 agents', () => {
    expect(erlangC(10, 14)).toBeCloseTo(0.174131933595, 11);
    expect(serviceLevel(10, 14, 180, 20)).toBeCloseTo(0.888350019179, 11);
    expect(averageSpeedOfAnswer(10, 14, 180)).toBeCloseTo(7.835937011777, 10);
    expect(occupancy(10, 14)).toBeCloseTo(10 / 14, 15);
  });

  it.each([5000, 20000])('stays finite, in [0, 1] and monotone at %i Erlangs', (a) => {
    let previousB = Number.POSITIVE_INFINITY;
    let previousC = Number.POSITIVE_INFINITY;
    let previousSl = Number.NEGATIVE_INFINITY;
    const span = Math.ceil(8 * Math.sqrt(a));
    for (let n = a + 1; n <= a + span; n += 7) {
      const b = erlangB(a, n);
      const c = erlangC(a, n);
      const sl = serviceLevel(a, n, 180, 20);
      for (const x of [b, c, sl]) {
        expect(Number.isFinite(x), `A=${a} N=${n}`).toBe(true);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
      }
      expect(c).toBeGreaterThanOrEqual(b);
      expect(b).toBeLessThanOrEqual(previousB);
      expect(c).toBeLessThanOrEqual(previousC);
      expect(sl).toBeGreaterThanOrEqual(previousSl);
      [previousB, previousC, previousSl] = [b, c, sl];
    }
    expect(previousC).toBeLessThan(1e-6); // eight standard deviations of headroom leave almost nobody waiting
  });

  it('converges to the Halfin–Whitt limit C → 1 / (1 + βΦ(β)/φ(β)) at N = A + β√A', () => {
    const phiUpper: Record<number, number> = { 1: 0.8413447460685429, 2: 0.9772498680518208 }; // Φ(1), Φ(2)
    for (const beta of [1, 2]) {
      const density = Math.exp((-beta * beta) / 2) / Math.sqrt(2 * Math.PI);
      const limit = 1 / (1 + (beta * phiUpper[beta]) / density);
      const errors = [70, 141].map((root) => {
        const a = root * root; // 4 900 and 19 881 Erlangs, so that β√A is a whole number of agents
        const error = Math.abs(erlangC(a, a + beta * root) - limit) / limit;
        expect(error, `β=${beta} A=${a}`).toBeLessThan(3 / root); // the approximation error is O(1/√A)
        return error;
      });
      expect(errors[1]).toBeLessThan(errors[0]);
    }
  });
});

describe('requiredAgents', () => {
  it('staffs the textbook case: 10 Erlangs → 14 agents, 20 with 30 % shrinkage', () => {
    const got = requiredAgents(textbook);
    expect(got.traffic_erlangs).toBe(10);
    expect(got.agents).toBe(14);
    expect(got.agents_with_shrinkage).toBe(20); // ⌈14 / 0.7⌉
    expect(got.service_level).toBeCloseTo(0.88835, 5);
    expect(serviceLevel(10, 13, 180, 20)).toBeLessThan(0.8); // so 14 is the minimum

  });

  it('lets the occupancy cap bind when the service level alone would allow fewer agents', () => {
    const relaxed = requiredAgents({ ...textbook, serviceLevel: 0.5, maxOccupancy: 1 });
    const capped = requiredAgents({ ...textbook, serviceLevel: 0.5, maxOccupancy: 0.7 });
    expect(relaxed.agents).toBe(12);
    expect(capped.agents).toBe(15); // ⌈10 / 0.7⌉
    expect(capped.occupancy).toBeLessThanOrEqual(0.7);
  });

  it('accepts an occupancy cap met exactly despite floating-point traffic', () => {
    // 2.1 Erlangs on 3 agents is exactly 70 %, but 2.1 / 3 is 0.7000000000000001 in floating point.
    const got = requiredAgents({ ...textbook, calls: 7, ahtSeconds: 90, intervalSeconds: 300, serviceLevel: 0.01, maxOccupancy: 0.7 });
    expect(got.traffic_erlangs / 3).toBeGreaterThan(0.7);
    expect(got.agents).toBe(3);
  });

  it('needs no agents for no calls', () => {
    expect(requiredAgents({ ...textbook, calls: 0 })).toEqual({
      traffic_erlangs: 0,
      agents: 0,
      agents_with_shrinkage: 0,
      service_level: 1,
      probability_wait: 0,
      average_speed_of_answer_seconds: 0,
      occupancy: 0,
    });
  });

  it('needs at least one agent for a trickle of calls', () => {
    const got = requiredAgents({ ...textbook, calls: 0.01 });
    expect(got.agents).toBe(1);
    expect(got.agents_with_shrinkage).toBe(2);
  });

  it('with a target of 0 s asks for the share answered without waiting (1 − C)', () => {
    const got = requiredAgents({ ...textbook, targetSeconds: 0 });
    expect(got.service_level).toBeCloseTo(1 - got.probability_wait, 15);
    expect(1 - erlangC(10, got.agents - 1)).toBeLessThan(0.8);
  });

  it('staffs 20 000 Erlangs with agents just above the traffic', () => {
    const got = requiredAgents({ ...textbook, calls: 200_000, maxOccupancy: 1 });
    expect(got.traffic_erlangs).toBe(20_000);
    expect(got.agents).toBeGreaterThan(20_000);
    expect(got.agents).toBeLessThan(20_000 + 2 * Math.sqrt(20_000));
    expect(got.service_level).toBeGreaterThanOrEqual(0.8);
    expect(serviceLevel(20_000, got.agents - 1, 180, 20)).toBeLessThan(0.8);
  });
});

describe('input validation', () => {
  function rejects(run: () => unknown, field: string): void {
    let caught: unknown;
    try {
      run();
    } catch (error) {
      caught = error;
    }
    expect(caught, `expected ${field} to be rejected`).toBeInstanceOf(StaffingInputError);
    const error = caught as StaffingInputError;
    expect(error.code).toBe('invalid_staffing_input');
    expect(error.details.field).toBe(field);
    expect(error.message).toContain(field);
  }

  it.each<[string, Partial<Record<keyof ErlangCInput, unknown>>]>([
    ['calls', { calls: -1 }],
    ['calls', { calls: Number.NaN }],
    ['calls', { calls: '100' }],
    ['ahtSeconds', { ahtSeconds: 0 }],
    ['ahtSeconds', { ahtSeconds: Number.POSITIVE_INFINITY }],
    ['intervalSeconds', { intervalSeconds: -1800 }],
    ['targetSeconds', { targetSeconds: -5 }],
    ['serviceLevel', { serviceLevel: 0 }],
    ['serviceLevel', { serviceLevel: 1 }],
    ['serviceLevel', { serviceLevel: 80 }],
    ['maxOccupancy', { maxOccupancy: 0 }],
    ['maxOccupancy', { maxOccupancy: 1.01 }],
    ['shrinkage', { shrinkage: 1 }],
    ['shrinkage', { shrinkage: -0.1 }],
    ['shrinkage', { shrinkage: undefined }],
  ])('rejects a bad %s (%o)', (field, patch) => {
    rejects(() => requiredAgents({ ...textbook, ...patch } as ErlangCInput), field);
  });

  it('says what was wrong in plain words', () => {
    expect(() => requiredAgents({ ...textbook, serviceLevel: 1.2 })).toThrow(
      'serviceLevel must be a finite number > 0 and < 1; got 1.2',
    );
  });

  it('rejects requirements beyond the search limit instead of hanging', () => {
    rejects(() => requiredAgents({ ...textbook, calls: 1e6, maxOccupancy: 1e-6 }), 'calls');
    expect(MAX_AGENTS).toBeGreaterThan(1_000_000);
  });

  it('rejects a missing input object', () => {
    rejects(() => requiredAgents(null as unknown as ErlangCInput), 'input');
  });

  it('checks the helpers too', () => {
    rejects(() => trafficErlangs(10, 0, 1800), 'ahtSeconds');
    rejects(() => erlangC(-1, 3), 'trafficErlangs');
    rejects(() => erlangC(2, 2.5), 'agents');
    rejects(() => erlangB(2, -1), 'agents');
    rejects(() => serviceLevel(2, 3, 180, Number.NaN), 'targetSeconds');
    rejects(() => averageSpeedOfAnswer(2, 3, -1), 'ahtSeconds');
    rejects(() => occupancy(Number.POSITIVE_INFINITY, 3), 'trafficErlangs');
  });
});
