/**
 * Queueing and workload models say how many agents must be answering; shrinkage (breaks,
 * training, meetings, absence) is the share of paid time in which a rostered agent is not, so the
 * roster is the productive head-count grossed up by 1 / (1 − shrinkage) and rounded up to whole
 * people. The rounding is tolerant because, for example, 21 agents at 30 % shrinkage come out as
 * 30.000000000000004 in floating point and must roster 30, not 31.
 */

import { requireNumberInRange } from './errors.ts';
import { ceilTolerant } from './rounding.ts';

export function agentsWithShrinkage(agents: number, shrinkage: number): number {
  requireNumberInRange('agents', agents, { min: 0 });
  requireNumberInRange('shrinkage', shrinkage, { min: 0, max: 1, maxExclusive: true });
  return ceilTolerant(agents / (1 - shrinkage));
}
