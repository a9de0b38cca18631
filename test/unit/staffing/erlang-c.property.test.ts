// Seeded so that a failure reproduces exactly; the cases span 0.1 to 20 000 Erlangs log-uniformly
// because small teams and huge ones fail in different ways (integer effects versus precision).
import { describe, expect, it } from 'vitest';
import { occupancy, requiredAgents, serviceLevel, type ErlangCInput } from '../../../service/staffing/erlang-c.ts';
import { mulberry32 } from '../../helpers/random.ts';


const CASES = 3000;

function randomCase(random: () => number): ErlangCInput {
  const traffic = 0.1 * Math.pow(200_000, random()); // 0.1 … 20 000 Erlangs
  const ahtSeconds = 30 + random() * 870;
  const intervalSeconds = [900, 1800, 3600][Math.floor(random() * 3)];
  return {
    calls: (traffic * intervalSeconds) / ahtSeconds,
    ahtSeconds,
    intervalSeconds,
    targetSeconds: random() < 0.05 ? 0 : random() * 120,
    serviceLevel: 0.5 + random() * 0.49,
    maxOccupancy: 0.6 + random() * 0.4,
    shrinkage: random() * 0.5,
  };
}

/** The textbook acceptance rule, restated here rather than imported. */
function acceptable(input: ErlangCInput, traffic: number, agents: number): boolean {
  return (
    agents > traffic &&
    occupancy(traffic, agents) <= input.maxOccupancy * (1 + 1e-12) &&
    serviceLevel(traffic, agents, input.ahtSeconds, input.targetSeconds) >= input.serviceLevel
  );
}

describe('Erlang C staffing properties (seeded)', () => {
  it(`meets both targets minimally in ${CASES} random cases`, () => {
    const random = mulberry32(0x1f0e5);
    const failures: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const input = randomCase(random);
      const got = requiredAgents(input);
      const a = got.traffic_erlangs;
      const n = got.agents;
      const label = `case ${i} ${JSON.stringify(input)} → ${n}`;
      if (!Number.isInteger(n) || n < 1) failures.push(`${label}: not a positive integer`);
      if (!acceptable(input, a, n)) failures.push(`${label}: misses a target`);
      if (acceptable(input, a, n - 1)) failures.push(`${label}: ${n - 1} agents would do`);
      if (got.service_level < input.serviceLevel) failures.push(`${label}: reported SL below target`);
      if (got.occupancy > input.maxOccupancy * (1 + 1e-12)) failures.push(`${label}: reported occupancy above cap`);
      if (!(got.probability_wait >= 0 && got.probability_wait <= 1)) failures.push(`${label}: C outside [0, 1]`);
      const roster = got.agents_with_shrinkage;
      const net = roster * (1 - input.shrinkage);
      if (net < n * (1 - 1e-9) || (roster - 1) * (1 - input.shrinkage) >= n) failures.push(`${label}: roster ${roster}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it(`never needs fewer agents for more traffic in ${CASES} random pairs`, () => {
    const random = mulberry32(0xca11);
    const failures: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const input = randomCase(random);
      const busier = { ...input, calls: input.calls * (1 + random() * 0.2) };
      const [low, high] = [requiredAgents(input), requiredAgents(busier)];
      if (high.agents < low.agents || high.agents_with_shrinkage < low.agents_with_shrinkage) {
        failures.push(`case ${i} ${JSON.stringify(input)}: ${low.agents} then ${high.agents} for ${busier.calls} calls`);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('rises step by step along a fine traffic sweep up to 20 000 Erlangs', () => {
    const base: ErlangCInput = {
      calls: 0,
      ahtSeconds: 300,
      intervalSeconds: 1800,
      targetSeconds: 20,
      serviceLevel: 0.8,
      maxOccupancy: 0.95,
      shrinkage: 0.3,
    };
    let previous = 0;
    for (let traffic = 0.1; traffic <= 20_000; traffic *= 1.01) {
      const got = requiredAgents({ ...base, calls: (traffic * base.intervalSeconds) / base.ahtSeconds });
      expect(got.agents, `at ${traffic} Erlangs`).toBeGreaterThanOrEqual(previous);
      previous = got.agents;
    }
    expect(previous).toBeGreaterThan(20_000);
  });
});
