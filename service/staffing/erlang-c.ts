/**
 * Erlang C (M/M/N queue) staffing for live channels such as the phone. The textbook formula uses
 * A^N / N!, which overflows a double beyond roughly 170 agents and loses all precision well
 * before that; invoice runs can push a contact centre into thousands of Erlangs. So the blocking
 * probability is built with the Erlang B recursion B(n) = A·B(n−1) / (n + A·B(n−1)), whose terms
 * stay in (0, 1], and the waiting probability follows as C = N·B / (N − A·(1 − B)). Because B(N)
 * can only be reached by walking the recursion from 0 to N, any single evaluation already costs N
 * steps; the agent search therefore walks N upwards from ⌊A⌋ + 1 carrying B along, which costs no
 * more than one evaluation, needs no bracketing and returns the minimal N by construction (the
 * service level rises and the occupancy falls monotonically in N). Zero calls need zero agents:
 * that is reported as 0 agents with service level 1, waiting probability 0, speed of answer 0 and
 * occupancy 0, rather than the one idle agent the N > A rule would otherwise demand.
 */

import { requireNumberInRange, StaffingInputError } from './errors.ts';
import { agentsWithShrinkage } from './shrinkage.ts';

/**
 * Beyond this the O(N) search stops being "instant"; no single interval of a real operation gets
 * near it, so reaching it means the inputs are wrong (say a maximum occupancy of 0.000001).
 */
export const MAX_AGENTS = 10_000_000;

/** A/N computed from decimal inputs may sit an ulp above a cap it meets exactly (8.5 Erlangs, 10 agents, 85 %). */
const OCCUPANCY_TOLERANCE = 1e-12;

export interface ErlangCInput {
  /** Calls offered in the interval (a forecast, so fractional values are fine). */
  calls: number;
  ahtSeconds: number;
  intervalSeconds: number;
  /** Answer-time threshold of the service level, e.g. 20 for "80 % in 20 s". 0 means "answered without waiting". */
  targetSeconds: number;
  /** Share to be answered within targetSeconds, strictly between 0 and 1. */
  serviceLevel: number;
  /** Highest acceptable A / N, in (0, 1]. */
  maxOccupancy: number;
  /** Share of paid time not available for contacts, in [0, 1). */
  shrinkage: number;
}

export interface ErlangCStaffing {
  traffic_erlangs: number;
  agents: number;
  agents_with_shrinkage: number;
  service_level: number;
  probability_wait: number;
  average_speed_of_answer_seconds: number;
  occupancy: number;
}

export function trafficErlangs(calls: number, ahtSeconds: number, intervalSeconds: number): number {
  requireNumberInRange('calls', calls, { min: 0 });
  requireNumberInRange('ahtSeconds', ahtSeconds, { min: 0, minExclusive: true });
  requireNumberInRange('intervalSeconds', intervalSeconds, { min: 0, minExclusive: true });
  return (calls * ahtSeconds) / intervalSeconds;
}

/** Erlang B blocking probability for `agents` servers and no queue. */
export function erlangB(trafficErlangs: number, agents: number): number {
  checkTrafficAndAgents(trafficErlangs, agents);
  return blocking(trafficErlangs, agents);
}

/**
 * Erlang C probability that a call has to wait. With N ≤ A the queue grows without bound and
 * every caller waits, so the answer is 1; with no traffic nobody waits.
 */
export function erlangC(trafficErlangs: number, agents: number): number {
  checkTrafficAndAgents(trafficErlangs, agents);
  if (trafficErlangs === 0) return 0;
  if (agents <= trafficErlangs) return 1;
  return waitingFromBlocking(trafficErlangs, agents, blocking(trafficErlangs, agents));
}

/** Share of calls answered within `targetSeconds`: 1 − C·exp(−(N − A)·T / AHT); 0 when N ≤ A. */
export function serviceLevel(trafficErlangs: number, agents: number, ahtSeconds: number, targetSeconds: number): number {
  requireNumberInRange('ahtSeconds', ahtSeconds, { min: 0, minExclusive: true });
  requireNumberInRange('targetSeconds', targetSeconds, { min: 0 });
  const c = erlangC(trafficErlangs, agents);
  if (trafficErlangs === 0) return 1;
  if (agents <= trafficErlangs) return 0;
  return serviceLevelFromWaiting(c, trafficErlangs, agents, ahtSeconds, targetSeconds);
}

/** Mean wait over all calls, C·AHT / (N − A); infinite when N ≤ A. */
export function averageSpeedOfAnswer(trafficErlangs: number, agents: number, ahtSeconds: number): number {
  requireNumberInRange('ahtSeconds', ahtSeconds, { min: 0, minExclusive: true });
  const c = erlangC(trafficErlangs, agents);
  if (trafficErlangs === 0) return 0;
  if (agents <= trafficErlangs) return Number.POSITIVE_INFINITY;
  return (c * ahtSeconds) / (agents - trafficErlangs);
}

/** Share of agent time spent on calls, A / N, capped at 1 (an overloaded team is simply always busy). */
export function occupancy(trafficErlangs: number, agents: number): number {
  checkTrafficAndAgents(trafficErlangs, agents);
  if (trafficErlangs === 0) return 0;
  if (agents === 0) return 1;
  return Math.min(1, trafficErlangs / agents);
}

/**
 * The smallest N > A (N ≥ 1) that meets both the service-level target and the occupancy cap,
 * with its figures and the roster after shrinkage. Runs in O(N) time and O(1) memory.
 */
export function requiredAgents(input: ErlangCInput): ErlangCStaffing {
  if (typeof input !== 'object' || input === null) {
    throw new StaffingInputError({ field: 'input', value: input, expected: 'an object' });
  }
  const traffic = trafficErlangs(input.calls, input.ahtSeconds, input.intervalSeconds);
  const aht = input.ahtSeconds;
  const target = requireNumberInRange('targetSeconds', input.targetSeconds, { min: 0 });
  const slTarget = requireNumberInRange('serviceLevel', input.serviceLevel, {
    min: 0,
    max: 1,
    minExclusive: true,
    maxExclusive: true,
  });
  const maxOcc = requireNumberInRange('maxOccupancy', input.maxOccupancy, { min: 0, max: 1, minExclusive: true });
  const shrinkage = requireNumberInRange('shrinkage', input.shrinkage, { min: 0, max: 1, maxExclusive: true });

  if (traffic === 0) {
    return {
      traffic_erlangs: 0,
      agents: 0,
      agents_with_shrinkage: 0,
      service_level: 1,
      probability_wait: 0,
      average_speed_of_answer_seconds: 0,
      occupancy: 0,
    };
  }
  if (traffic / maxOcc > MAX_AGENTS) {
    throw new StaffingInputError(
      { field: 'calls', value: input.calls, expected: `a volume needing at most ${MAX_AGENTS} agents` },
      `calls ${input.calls} at AHT ${aht} s and maximum occupancy ${maxOcc} need more than ${MAX_AGENTS} agents in one interval; check the inputs`,
    );
  }

  let n = Math.floor(traffic) + 1;
  let b = blocking(traffic, n);
  for (;;) {
    if (traffic / n <= maxOcc * (1 + OCCUPANCY_TOLERANCE)) {
      const c = waitingFromBlocking(traffic, n, b);
      const sl = serviceLevelFromWaiting(c, traffic, n, aht, target);
      if (sl >= slTarget) {
        return {
          traffic_erlangs: traffic,
          agents: n,
          agents_with_shrinkage: agentsWithShrinkage(n, shrinkage),
          service_level: sl,
          probability_wait: c,
          average_speed_of_answer_seconds: (c * aht) / (n - traffic),
          occupancy: traffic / n,
        };
      }
    }
    n += 1;
    const ab = traffic * b;
    b = ab / (n + ab);
    // Unreachable for valid inputs (SL → 1 as N grows); kept so a logic slip cannot hang a request.
    if (n > MAX_AGENTS) throw new Error(`Erlang C search passed ${MAX_AGENTS} agents at ${traffic} Erlangs`);
  }
}

function checkTrafficAndAgents(trafficErlangs: number, agents: number): void {
  requireNumberInRange('trafficErlangs', trafficErlangs, { min: 0 });
  requireNumberInRange('agents', agents, { min: 0, integer: true });
}

function blocking(traffic: number, agents: number): number {
  let b = 1;
  for (let n = 1; n <= agents; n++) {
    const ab = traffic * b;
    b = ab / (n + ab);
  }
  return b;
}

/** Valid only for N > A, where the denominator N − A + A·B is positive. */
function waitingFromBlocking(traffic: number, agents: number, b: number): number {
  return Math.min(1, (agents * b) / (agents - traffic * (1 - b)));
}

function serviceLevelFromWaiting(c: number, traffic: number, agents: number, aht: number, target: number): number {
  return 1 - c * Math.exp((-(agents - traffic) * target) / aht);
}
