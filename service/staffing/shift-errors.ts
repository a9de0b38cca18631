/**
 * A shift plan that cannot exist is a planning fact, not a server fault: the requirement in some
 * interval is above the allowed agents, the opening hours are shorter than any shift, or the caps
 * leave no room for the lunch breaks. The optimiser raises this error with the bottleneck intervals
 * so the route can answer 422 with a message a support lead can act on ("phone, Tue 2026-11-03
 * 10:00: 14 agents required, max_agents 10") instead of a bare "infeasible". Periods are indices of
 * the sub-problem; the shift planner translates them into dates, times and channels.
 */

export type BottleneckKind = 'above_max_agents' | 'min_above_max' | 'no_shift_covers' | 'caps_and_breaks';

export interface Bottleneck {
  period: number;
  kind: BottleneckKind;
  required: number;
  available: number;
  /** Filled in by the shift planner. */
  channel?: string;
  interval_start?: string;
}

export class ShiftInfeasibleError extends Error {
  override readonly name = 'ShiftInfeasibleError';
  readonly code = 'shifts_infeasible';
  readonly bottlenecks: Bottleneck[];

  constructor(bottlenecks: Bottleneck[], message?: string) {
    super(message ?? 'no shift plan satisfies these settings');
    this.bottlenecks = bottlenecks;
  }
}

const REASON: Record<BottleneckKind, string> = {
  above_max_agents: 'agents required, more than max_agents',
  min_above_max: 'min_agents is above max_agents',
  no_shift_covers: 'agents required, but no shift template fits the opening hours around this interval',
  caps_and_breaks: 'agents required, but max_agents and the lunch breaks leave room for only',
};

/** One line per bottleneck, for the error message. */
export function describeBottleneck(b: Bottleneck): string {
  const where = `${b.channel ?? ''}${b.interval_start ? ` ${b.interval_start}` : ''}`.trim();
  const what =
    b.kind === 'caps_and_breaks'
      ? `${b.required} ${REASON[b.kind]} ${b.available}`
      : b.kind === 'min_above_max'
        ? `${REASON[b.kind]} (${b.required} > ${b.available})`
        : b.kind === 'above_max_agents'
          ? `${b.required} ${REASON[b.kind]} (${b.available})`
          : `${b.required} ${REASON[b.kind]}`;
  return `${where}: ${what}`;
}
