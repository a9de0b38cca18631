/**
 * Named agents on the planned shifts. The shift plan says "3 agents 08:00–16:30 on phone on
 * Tuesday"; the roster says who. Hard rules, never broken: an agent works only channels they are
 * skilled for, not on their unavailable weekdays or dates, at most one shift a day, and no more
 * paid hours in a plan week (7 days from the plan's first day) than their contract. A shift nobody
 * can take is reported as unfilled rather than forced on someone. Soft rule, fairness: late shifts
 * (ending after 18:00) and weekend shifts rotate — each one costs more for an agent who has had
 * more of them so far, counted per full-time equivalent (a 20-hour contract counts each one twice,
 * so part-timers are neither spared nor overloaded), and an agent who has used more of the week's
 * contract costs a little more, which spreads the hours. The roster is built day by day, each day
 * one assignment problem solved exactly with HiGHS (mip.ts), carrying the counts and the hours
 * used forward. Why not one MIP for the month: tried first, the weekly contract knapsacks and the
 * interchangeable agents made HiGHS stop at its time limit with large gaps on 30 agents, while a
 * day's assignment problem has an integral LP and solves in milliseconds; the price is that an
 * early day cannot leave hours for a later one on purpose, which the load term mitigates.
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
const LATE_WEIGHT = 10;
const LOAD_WEIGHT = 1;

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
  const history = new Map(agents.map((a) => [a.agent_id, { late: 0, weekend: 0, shifts: 0, hours: 0, weekHours: new Array<number>(o.weeks).fill(0) }]));
  const fte = (a: Agent) => FULL_TIME_HOURS / Math.max(1, a.contracted_hours_per_week);
  const solver = { problems: 0, optimal: 0, maxGap: 0, columns: 0, rows: 0, seconds: 0, status: 'optimal' as MipStatus };
  const days = [...new Set(shifts.map((s) => s.date))].sort();
  const perDaySeconds = o.timeLimitSeconds / Math.max(1, days.length);

  for (const date of days) {
    const day = shifts.filter((s) => s.date === date);
    const week = Math.floor((dateToDay(date) - o.startDay) / 7);
    // Columns: x[agent, shift] for every allowed pair (skill, availability, hours left this week), then unfilled[shift].
    const pairs: { a: number; s: number }[] = [];
    day.forEach((s, si) =>
      agents.forEach((a, ai) => {
        const left = a.contracted_hours_per_week - history.get(a.agent_id)!.weekHours[week];
        if (canWork(a, s) && s.paid_hours <= left + 1e-9) pairs.push({ a: ai, s: si });
      }),
    );
    const nX = pairs.length;
    const cols = nX + day.length;
    const cost = new Array<number>(cols).fill(0);
    const upper = new Array<number>(cols).fill(1);
    pairs.forEach(({ a, s }, k) => {
      const agent = agents[a];
      const h = history.get(agent.agent_id)!;
      const sh = day[s];
      cost[k] =
        (sh.late ? LATE_WEIGHT * (1 + h.late * fte(agent)) : 0) +
        (sh.weekend ? LATE_WEIGHT * (1 + h.weekend * fte(agent)) : 0) +
        // Spread the week's hours: an agent who has used more of their contract costs more.
        LOAD_WEIGHT * (h.weekHours[week] / agent.contracted_hours_per_week);
    });
    day.forEach((s, si) => {
      cost[nX + si] = UNFILLED_WEIGHT * s.paid_hours;
      upper[nX + si] = s.agents;
    });
    const rows: MipRow[] = [];
    const byShift = day.map(() => [] as number[]);
    const byAgent = agents.map(() => [] as number[]);
    pairs.forEach(({ a, s }, k) => {
      byShift[s].push(k);
      byAgent[a].push(k);
    });
    day.forEach((s, si) => rows.push({ indices: [...byShift[si], nX + si], values: [...byShift[si].map(() => 1), 1], lower: s.agents, upper: s.agents }));
    for (const ks of byAgent) if (ks.length > 1) rows.push({ indices: ks, values: ks.map(() => 1), lower: -INFINITY, upper: 1 });

    const r = await solveMip({ cost, lower: new Array<number>(cols).fill(0), upper, integer: new Array<boolean>(cols).fill(true), rows }, { timeLimitSeconds: perDaySeconds });
    solver.problems++;
    solver.columns = Math.max(solver.columns, cols);
    solver.rows = Math.max(solver.rows, rows.length);
    solver.seconds += r.seconds;
    if (r.status === 'optimal') solver.optimal++;
    else solver.status = 'time_limit';
    solver.maxGap = Math.max(solver.maxGap, r.gap ?? 0);
    // No solution in time (never seen: the problem is an assignment problem) leaves the day unfilled.
    const x = r.x.length === cols ? r.x : cost.map((_, j) => (j >= nX ? day[j - nX].agents : 0));

    pairs.forEach(({ a, s }, k) => {
      if (x[k] < 0.5) return;
      const agent = agents[a];
      const { agents: _n, ...shift } = day[s];
      assignments.push({ ...shift, agent_id: agent.agent_id, name: agent.name });
      const h = history.get(agent.agent_id)!;
      h.shifts++;
      h.hours += shift.paid_hours;
      h.weekHours[week] += shift.paid_hours;
      if (shift.late) h.late++;
      if (shift.weekend) h.weekend++;
    });
    day.forEach((s, si) => x[nX + si] > 0.5 && unfilled.push({ ...s, unfilled: Math.round(x[nX + si]) }));
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
