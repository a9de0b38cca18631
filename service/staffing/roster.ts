/**
 * Named agents on the planned shifts. The shift plan says "3 agents 08:00–16:30 on phone on
 * Tuesday"; the roster says who. Hard rules, never broken: an agent works only channels they are
 * skilled for, not on their unavailable weekdays or dates, at most one shift a day, and no more
 * paid hours in a plan week (7 days from the plan's first day) than their contract. A shift nobody
 * can take is reported as unfilled rather than forced on someone. Soft rule, fairness: late shifts
 * (ending after 18:00) and weekend shifts rotate — the objective minimises the most late and the
 * most weekend shifts any agent has had so far, counted per full-time equivalent (a 20-hour contract
 * counts each one twice, so part-timers are not spared nor overloaded), and each such shift costs
 * more for an agent who already had more of them. One MIP per plan week with HiGHS (mip.ts), weeks
 * in order carrying the counts forward: the contract is weekly, so weeks only meet through
 * fairness, and a week of 60 agents is a few thousand binaries that solve in well under a second.
 * Filling hours comes first (its weight dwarfs the fairness terms); among full rosters the fairest.
 */
import type { ContactChannel } from './contact-history.ts';
import { dateToDay } from './local-time.ts';
import { INFINITY, solveMip, type MipRow, type MipStatus } from './mip.ts';
import type { PlannedShift } from './shift-plan.ts';

export interface Agent {
  agent_id: string;
  name: string;
  contracted_hours_per_week: number;
  skills: ContactChannel[];
  /** ISO weekdays, 1 = Monday. */
  unavailable_weekdays: number[];
  unavailable_dates: string[];
}

export interface Assignment extends Omit<PlannedShift, 'agents'> {
  agent_id: string;
  name: string;
}

const FULL_TIME_HOURS = 40;
const UNFILLED_WEIGHT = 1000;
const MAX_WEIGHT = 20;

export interface RosterOptions {
  startDay: number;
  weeks: number;
  timeLimitSeconds: number;
}

export function canWork(agent: Agent, shift: Pick<PlannedShift, 'channel' | 'date' | 'weekday'>): boolean {
  return agent.skills.includes(shift.channel) && !agent.unavailable_weekdays.includes(shift.weekday) && !agent.unavailable_dates.includes(shift.date);
}

export async function buildRoster(shifts: PlannedShift[], agents: Agent[], o: RosterOptions) {
  const assignments: Assignment[] = [];
  const unfilled: (PlannedShift & { unfilled: number })[] = [];
  const history = new Map(agents.map((a) => [a.agent_id, { late: 0, weekend: 0, shifts: 0, hours: 0, weekHours: [] as number[] }]));
  const fte = (a: Agent) => FULL_TIME_HOURS / Math.max(1, a.contracted_hours_per_week);
  const solver = { problems: 0, optimal: 0, maxGap: 0, columns: 0, rows: 0, seconds: 0, status: 'optimal' as MipStatus };

  for (let w = 0; w < o.weeks; w++) {
    const week = shifts.filter((s) => Math.floor((dateToDay(s.date) - o.startDay) / 7) === w);
    // Columns: y[agent, shift] for every allowed pair, unfilled[shift], then the two maxima.
    const pairs: { a: number; s: number }[] = [];
    week.forEach((s, si) => agents.forEach((a, ai) => canWork(a, s) && s.paid_hours <= a.contracted_hours_per_week && pairs.push({ a: ai, s: si })));
    const nY = pairs.length;
    const uCol = (si: number) => nY + si;
    const lateMax = nY + week.length;
    const weekendMax = lateMax + 1;
    const cols = weekendMax + 1;
    const cost = new Array<number>(cols).fill(0);
    const upper = new Array<number>(cols).fill(1);
    const integer = new Array<boolean>(cols).fill(true);
    pairs.forEach(({ a, s }, k) => {
      const h = history.get(agents[a].agent_id)!;
      const sh = week[s];
      cost[k] = (sh.late ? 1 + h.late * fte(agents[a]) : 0) + (sh.weekend ? 1 + h.weekend * fte(agents[a]) : 0);
    });
    week.forEach((s, si) => {
      cost[uCol(si)] = UNFILLED_WEIGHT * s.paid_hours;
      upper[uCol(si)] = s.agents;
    });
    cost[lateMax] = MAX_WEIGHT;
    cost[weekendMax] = MAX_WEIGHT;
    upper[lateMax] = INFINITY;
    upper[weekendMax] = INFINITY;
    integer[lateMax] = false;
    integer[weekendMax] = false;

    const rows: MipRow[] = [];
    const bySh = week.map(() => [] as number[]);
    const byAgentDay = new Map<string, number[]>();
    const byAgent = agents.map(() => [] as number[]);
    pairs.forEach(({ a, s }, k) => {
      bySh[s].push(k);
      const key = `${a}|${week[s].date}`;
      if (!byAgentDay.has(key)) byAgentDay.set(key, []);
      byAgentDay.get(key)!.push(k);
      byAgent[a].push(k);
    });
    week.forEach((s, si) => rows.push({ indices: [...bySh[si], uCol(si)], values: [...bySh[si].map(() => 1), 1], lower: s.agents, upper: s.agents }));
    for (const ks of byAgentDay.values()) if (ks.length > 1) rows.push({ indices: ks, values: ks.map(() => 1), lower: -INFINITY, upper: 1 });
    agents.forEach((a, ai) => {
      const ks = byAgent[ai];
      if (!ks.length) return;
      rows.push({ indices: ks, values: ks.map((k) => week[pairs[k].s].paid_hours), lower: -INFINITY, upper: a.contracted_hours_per_week });
      const h = history.get(a.agent_id)!;
      for (const [flag, col, past] of [['late', lateMax, h.late], ['weekend', weekendMax, h.weekend]] as const) {
        const mine = ks.filter((k) => week[pairs[k].s][flag]);
        if (!mine.length) continue;
        // fte × (past + this week's) ≤ max
        rows.push({ indices: [...mine, col], values: [...mine.map(() => fte(a)), -1], lower: -INFINITY, upper: -fte(a) * past });
      }
    });

    const r = await solveMip({ cost, lower: new Array<number>(cols).fill(0), upper, integer, rows }, { timeLimitSeconds: o.timeLimitSeconds / o.weeks, relativeGap: 1e-4 });
    solver.problems++;
    solver.columns = Math.max(solver.columns, cols);
    solver.rows = Math.max(solver.rows, rows.length);
    solver.seconds += r.seconds;
    if (r.status === 'optimal') solver.optimal++;
    else solver.status = 'time_limit';
    solver.maxGap = Math.max(solver.maxGap, r.gap ?? 0);
    const x = r.x.length ? r.x : new Array<number>(cols).fill(0).map((_, j) => (j >= nY && j < nY + week.length ? week[j - nY].agents : 0));

    for (const h of history.values()) h.weekHours.push(0);
    pairs.forEach(({ a, s }, k) => {
      if (x[k] < 0.5) return;
      const agent = agents[a];
      const { agents: _n, ...shift } = week[s];
      assignments.push({ ...shift, agent_id: agent.agent_id, name: agent.name });
      const h = history.get(agent.agent_id)!;
      h.shifts++;
      h.hours += shift.paid_hours;
      h.weekHours[w] += shift.paid_hours;
      if (shift.late) h.late++;
      if (shift.weekend) h.weekend++;
    });
    week.forEach((s, si) => x[uCol(si)] > 0.5 && unfilled.push({ ...s, unfilled: Math.round(x[uCol(si)]) }));
  }

  assignments.sort((p, q) => p.date.localeCompare(q.date) || p.start.localeCompare(q.start) || p.agent_id.localeCompare(q.agent_id));
  return {
    agents: agents.map((a) => {
      const h = history.get(a.agent_id)!;
      return {
        agent_id: a.agent_id,
        name: a.name,
        contracted_hours_per_week: a.contracted_hours_per_week,
        skills: a.skills,
        shifts: h.shifts,
        paid_hours: h.hours,
        paid_hours_by_week: h.weekHours,
        late_shifts: h.late,
        weekend_shifts: h.weekend,
      };
    }),
    assignments,
    unfilled: unfilled.map((u) => ({ date: u.date, weekday: u.weekday, channel: u.channel, start: u.start, end: u.end, paid_hours: u.paid_hours, agents: u.unfilled })),
    totals: {
      planned_shifts: shifts.reduce((s, x) => s + x.agents, 0),
      assigned_shifts: assignments.length,
      unfilled_shifts: unfilled.reduce((s, u) => s + u.unfilled, 0),
      unfilled_paid_hours: unfilled.reduce((s, u) => s + u.unfilled * u.paid_hours, 0),
    },
    solver: { problems: solver.problems, proven_optimal: solver.optimal, status: solver.status, max_mip_gap: solver.maxGap, max_columns: solver.columns, max_rows: solver.rows, solve_seconds: solver.seconds },
  };
}

export type Roster = Awaited<ReturnType<typeof buildRoster>>;
