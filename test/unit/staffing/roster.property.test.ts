// Named-agent rosters over random teams (seeded, so a failure reproduces): whatever the agents'
// contracts, skills and unavailable days, no assignment breaks them, no agent works twice a day,
// every planned shift is either assigned or reported unfilled, and when the team is ample nothing
// is left unfilled. Fairness is checked on a team of identical agents, where late and weekend
// shifts must spread to within one of each other.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sample-data/rng.ts';
import type { ContactChannel } from '../../../service/staffing/contact-history.ts';
import { dateToDay, dayToDate, isoWeekday } from '../../../service/staffing/local-time.ts';
import { buildRoster, canWork, type Agent } from '../../../service/staffing/roster.ts';
import type { PlannedShift } from '../../../service/staffing/shift-plan.ts';

const CHANNELS: ContactChannel[] = ['phone', 'chat', 'email'];
const START = dateToDay('2026-11-02'); // a Monday

function randomShifts(rng: Rng, weeks: number, scale: number): PlannedShift[] {
  const out: PlannedShift[] = [];
  for (let d = 0; d < 7 * weeks; d++) {
    const weekday = isoWeekday(START + d);
    if (weekday === 7) continue;
    for (const channel of CHANNELS) {
      for (const [start, end, paid] of [
        ['08:00', '16:30', 8],
        ['12:00', '20:00', 7.5],
        ['16:00', '20:00', 4],
      ] as const) {
        const agents = rng.int(0, scale);
        if (agents) out.push({ date: dayToDate(START + d), weekday, channel, start, end, length_hours: paid === 4 ? 4 : 8, lunch_start: null, lunch_end: null, paid_hours: paid, agents, late: end > '18:00', weekend: weekday >= 6 });
      }
    }
  }
  return out;
}

function randomAgents(rng: Rng, n: number): Agent[] {
  return Array.from({ length: n }, (_, i) => {
    const skills = CHANNELS.filter(() => rng.chance(0.6));
    return {
      agent_id: `a${i}`,
      name: `Agent ${i}`,
      contracted_hours_per_week: [16, 20, 24, 30, 32, 37.5, 40][rng.int(0, 6)],
      skills: skills.length ? skills : [CHANNELS[rng.int(0, 2)]],
      unavailable_weekdays: [1, 2, 3, 4, 5, 6, 7].filter(() => rng.chance(0.15)),
      unavailable_dates: Array.from({ length: rng.int(0, 3) }, () => dayToDate(START + rng.int(0, 27))),
    };
  });
}

describe('roster, random teams', () => {
  for (let seed = 1; seed <= 12; seed++) {
    it(`respects every contract, skill and unavailable day (seed ${seed})`, async () => {
      const rng = new Rng(seed);
      const weeks = 1 + (seed % 3);
      const shifts = randomShifts(rng, weeks, 1 + (seed % 4));
      const agents = randomAgents(rng, 5 + rng.int(0, 30));
      const r = await buildRoster(shifts, agents, { startDay: START, weeks, timeLimitSeconds: 5 });
      const byId = new Map(agents.map((a) => [a.agent_id, a]));
      const perDay = new Set<string>();
      const hours = new Map<string, number>();
      for (const a of r.assignments) {
        const agent = byId.get(a.agent_id)!;
        expect(canWork(agent, a), `${a.agent_id} on ${a.date} ${a.channel}`).toBe(true);
        expect(agent.skills).toContain(a.channel);
        expect(agent.unavailable_weekdays).not.toContain(a.weekday);
        expect(agent.unavailable_dates).not.toContain(a.date);
        const key = `${a.agent_id}|${a.date}`;
        expect(perDay.has(key), `${key} twice`).toBe(false);
        perDay.add(key);
        const week = Math.floor((dateToDay(a.date) - START) / 7);
        hours.set(`${a.agent_id}|${week}`, (hours.get(`${a.agent_id}|${week}`) ?? 0) + a.paid_hours);
      }
      for (const [key, h] of hours) expect(h, key).toBeLessThanOrEqual(byId.get(key.split('|')[0])!.contracted_hours_per_week + 1e-9);
      for (const a of r.agents) a.paid_hours_by_week.forEach((h) => expect(h).toBeLessThanOrEqual(a.contracted_hours_per_week + 1e-9));
      // Every planned shift is assigned or unfilled, never both, never invented.
      const planned = new Map(shifts.map((s) => [`${s.date}|${s.channel}|${s.start}`, s.agents]));
      const taken = new Map<string, number>();
      for (const a of r.assignments) taken.set(`${a.date}|${a.channel}|${a.start}`, (taken.get(`${a.date}|${a.channel}|${a.start}`) ?? 0) + 1);
      for (const u of r.unfilled) taken.set(`${u.date}|${u.channel}|${u.start}`, (taken.get(`${u.date}|${u.channel}|${u.start}`) ?? 0) + u.agents);
      expect(taken).toEqual(planned);
      expect(r.totals.assigned_shifts + r.totals.unfilled_shifts).toBe(r.totals.planned_shifts);
    });
  }

  it('fills everything with an ample team and rotates late and weekend shifts evenly among equals', async () => {
    const weeks = 4;
    const shifts: PlannedShift[] = [];
    for (let d = 0; d < 7 * weeks; d++) {
      const weekday = isoWeekday(START + d);
      if (weekday === 7) continue;
      const date = dayToDate(START + d);
      shifts.push({ date, weekday, channel: 'phone', start: '08:00', end: '16:00', length_hours: 8, lunch_start: null, lunch_end: null, paid_hours: 8, agents: 3, late: false, weekend: weekday === 6 });
      shifts.push({ date, weekday, channel: 'phone', start: '12:00', end: '20:00', length_hours: 8, lunch_start: null, lunch_end: null, paid_hours: 8, agents: 2, late: true, weekend: weekday === 6 });
    }
    const agents: Agent[] = Array.from({ length: 8 }, (_, i) => ({ agent_id: `e${i}`, name: `Equal ${i}`, contracted_hours_per_week: 40, skills: ['phone'], unavailable_weekdays: [], unavailable_dates: [] }));
    const r = await buildRoster(shifts, agents, { startDay: START, weeks, timeLimitSeconds: 5 });
    expect(r.totals.unfilled_shifts).toBe(0);
    const late = r.agents.map((a) => a.late_shifts);
    const weekend = r.agents.map((a) => a.weekend_shifts);
    expect(Math.max(...late) - Math.min(...late)).toBeLessThanOrEqual(1);
    expect(Math.max(...weekend) - Math.min(...weekend)).toBeLessThanOrEqual(1);
    expect(late.reduce((a, b) => a + b, 0)).toBe(2 * 6 * weeks);
  });
});
