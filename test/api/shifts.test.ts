// Shifts, named agents and the roster against the real service on the small sample (real HTTP,
// real DuckDB, HiGHS): with objective "cover" no open interval is below its requirement; every
// interval's service level, recomputed here with Erlang C from the interval's own forecast and
// agents, is the one reported, and the requirement is what the Erlang C calculator endpoint asks
// for; shifts lie inside the opening hours and the hours add up; infeasible settings answer 422
// naming the bottleneck; the agents are stored (admin only, bounded body) and the roster keeps
// every contract and unavailability; each agent's .ics parses with ical.js and holds their shifts.
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { serviceLevel, trafficErlangs } from '../../service/staffing/erlang-c.ts';
import type { RosterResponse, ShiftPlanResponse } from '../../service/staffing/shift-contracts.ts';
import { serviceForTests } from '../helpers/service-hooks.ts';
import { expectRefusedNaming } from '../helpers/refused.ts';

const ADMIN = 'shift-admin-token';
const READ = 'shift-read-token';
const svc = serviceForTests({ SAMPLE_DATA: 'small', AUTH_TOKENS: `admin:${ADMIN},read:${READ}` });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const get = async (p: string): Promise<{ status: number; body: Json; text: string; headers: Headers }> => {
  const res = await svc.call(p, { token: READ });
  const text = await res.text();
  let body: Json = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* CSV or iCalendar */
  }
  return { status: res.status, body, text, headers: res.headers };
};
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

describe('GET /v1/staffing/shifts', () => {
  let plan: ShiftPlanResponse;
  beforeAll(async () => {
    // A generous time limit: the machine may be busy, and this test asserts proven optimality.
    const r = await get('/v1/staffing/shifts?weeks=1&time_limit_seconds=30');
    expect(r.status).toBe(200);
    plan = r.body;
  });

  it('covers every open interval at least at its requirement, with proven optimal day problems', () => {
    expect(plan.objective).toBe('cover');
    expect(plan.intervals!.length).toBeGreaterThan(100);
    for (const i of plan.intervals!) expect(i.rostered_agents, `${i.channel} ${i.interval_start}`).toBeGreaterThanOrEqual(i.required_agents);
    for (const i of plan.intervals!) expect(i.rostered_agents).toBeGreaterThanOrEqual(1); // min_agents
    expect(plan.totals.under_staffed_hours_per_week).toBe(0);
    expect(plan.solver.problems).toBe(7 * 3);
    expect(plan.solver.status).toBe('optimal');
    expect(plan.solver.max_mip_gap).toBeLessThanOrEqual(1e-6);
  });

  it('reports the service level Erlang C gives the rostered agents, and the requirement the calculator gives', async () => {
    const live = plan.intervals!.filter((i) => i.channel === 'phone' || i.channel === 'chat');
    for (const i of live) {
      expect(i.agents_on_contacts).toBe(Math.floor(i.rostered_agents * 0.7 + 1e-9));
      const sl = serviceLevel(trafficErlangs(i.forecast_contacts, i.effective_aht_seconds, 1800), i.agents_on_contacts!, i.effective_aht_seconds, 20);
      expect(Math.abs(sl - i.service_level!), `${i.channel} ${i.interval_start}`).toBeLessThan(1e-4);
      // Coverage at or above the requirement reaches the target wherever a contact is expected.
      if (i.forecast_contacts > 0) expect(i.service_level!).toBeGreaterThanOrEqual(0.8 - 1e-4);
    }
    // The calculator endpoint, asked with an interval's forecast, rosters what the shift plan required.
    const busy = [...live].sort((a, b) => b.forecast_contacts - a.forecast_contacts).slice(0, 12);
    for (const i of busy) {
      const calc = await get(`/v1/staffing/erlang-c?calls=${i.forecast_contacts}&aht_seconds=${i.effective_aht_seconds}`);
      expect(calc.status).toBe(200);
      expect(calc.body.agents_with_shrinkage, `${i.channel} ${i.interval_start}`).toBe(i.required_agents);
    }
    const phone = plan.channels.find((c) => c.channel === 'phone')!;
    expect(phone.min_service_level).toBeCloseTo(Math.min(...live.filter((i) => i.channel === 'phone').map((i) => i.service_level!)), 12);
    expect(phone.intervals_below_target).toBe(0);
  });

  it('puts shifts inside the opening hours and adds up hours and cost', () => {
    const weekday = new Map([[1, 'mon'], [6, 'sat'], [7, 'sun']]);
    for (const s of plan.shifts) {
      const hours = plan.channels.find((c) => c.channel === s.channel)!.opening_hours[s.weekday - 1].hours;
      expect(hours, `${s.channel} ${weekday.get(s.weekday) ?? s.weekday}`).not.toBeNull();
      expect(minutes(s.start)).toBeGreaterThanOrEqual(minutes(hours!.slice(0, 5)));
      expect(minutes(s.end)).toBeLessThanOrEqual(minutes(hours!.slice(6)));
      expect([4, 6, 8]).toContain(s.length_hours);
      expect(s.paid_hours).toBe(s.length_hours - (s.lunch_start ? 0.5 : 0));
      if (s.lunch_start) expect(minutes(s.lunch_start) - minutes(s.start)).toBeGreaterThanOrEqual(120);
    }
    // Default opening: phone and chat closed on Sundays, e-mail at weekends.
    expect(plan.shifts.some((s) => s.weekday === 7)).toBe(false);
    expect(plan.shifts.some((s) => s.channel === 'email' && s.weekday >= 6)).toBe(false);
    const paid = plan.shifts.reduce((a, s) => a + s.agents * s.paid_hours, 0);
    expect(plan.totals.paid_hours_per_week).toBeCloseTo(paid, 9);
    expect(plan.totals.shifts_per_week).toBe(plan.shifts.reduce((a, s) => a + s.agents, 0));
    expect(plan.totals.weekly_cost).toBeCloseTo(paid * 30, 9);
    const over = plan.intervals!.reduce((a, i) => a + (i.rostered_agents - i.required_agents) * 0.5, 0);
    expect(plan.totals.over_staffed_hours_per_week).toBeCloseTo(over, 9);
  });

  it('exports the shifts as CSV, one row per day, channel and shift', async () => {
    const r = await get('/v1/staffing/shifts.csv?weeks=1&time_limit_seconds=30');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = r.text.trim().split('\r\n');
    expect(lines[0]).toBe('date,weekday,channel,start,end,length_hours,lunch_start,lunch_end,paid_hours,agents,late,weekend');
    expect(lines).toHaveLength(1 + plan.shifts.length);
    const first = plan.shifts[0];
    expect(lines[1]).toBe([first.date, first.weekday, first.channel, first.start, first.end, first.length_hours, first.lunch_start ?? '', first.lunch_end ?? '', first.paid_hours, first.agents, first.late, first.weekend].join(','));
  });

  it('trades under- against over-staffing with the weighted objective', async () => {
    const cheap = (await get('/v1/staffing/shifts?weeks=1&objective=weighted&under_weight=0.5&over_weight=5&intervals=false')).body as ShiftPlanResponse;
    expect(cheap.objective).toBe('weighted');
    expect(cheap.totals.paid_hours_per_week).toBeLessThan(plan.totals.paid_hours_per_week);
    expect(cheap.totals.under_staffed_hours_per_week).toBeGreaterThan(0);
    expect(cheap.totals.over_staffed_hours_per_week).toBeLessThan(plan.totals.over_staffed_hours_per_week);
  });

  it('shows the change in shifts and paid hours under each scenario', async () => {
    const r = (await get('/v1/staffing/shifts?weeks=1&intervals=false&compare_scenarios=true&direct_debit=60')).body as ShiftPlanResponse;
    expect(r.scenarios!.map((s) => s.scenario)).toEqual(['direct_debit', 'soft_reminders', 'paper_to_digital', 'waive_disputed_fees', 'combined']);
    expect(r.scenarios![0].share).toBe(0.6);
    for (const s of r.scenarios!) {
      expect(s.change_shifts_per_week).toBeCloseTo(s.shifts_per_week - r.totals.shifts_per_week, 9);
      expect(s.change_paid_hours_per_week).toBeCloseTo(s.paid_hours_per_week - r.totals.paid_hours_per_week, 9);
    }
    const one = (await get('/v1/staffing/shifts?weeks=1&intervals=false&scenario=direct_debit:60')).body as ShiftPlanResponse;
    expect(one.scenario!.scenario).toBe('combined');
    expect(one.totals.paid_hours_per_week).toBeCloseTo(r.scenarios![0].paid_hours_per_week, 9);
  });

  it('answers 422 naming the bottleneck when the settings allow no shift plan', async () => {
    const cap = await get('/v1/staffing/shifts?weeks=1&max_agents=2');
    expect(cap.status).toBe(422);
    expect(cap.body.error.code).toBe('shifts_infeasible');
    expect(cap.body.error.message).toMatch(/(phone|chat) 2026-\d\d-\d\dT\d\d:\d\d: \d+ agents required, more than max_agents \(2\)/);
    expect(cap.body.error.details[0]).toMatchObject({ kind: 'above_max_agents', available: 2 });
    const short = await get('/v1/staffing/shifts?weeks=1&open_phone=mon-fri%2008:00-10:00');
    expect(short.status).toBe(422);
    expect(short.body.error.message).toMatch(/phone 2026-11-02T08:00: \d+ agents required, but no shift template fits the opening hours/);
  });

  it('starts shifts only at the allowed start times, and documents every endpoint', async () => {
    const r = await get('/v1/staffing/shifts?weeks=1&intervals=false&start_times=08:00,10:00,12:00,16:00&channel=phone');
    expect(r.status).toBe(200);
    const plan = r.body as ShiftPlanResponse;
    expect(plan.shifts.length).toBeGreaterThan(0);
    for (const s of plan.shifts) expect(['08:00', '10:00', '12:00', '16:00']).toContain(s.start);
    // Saturday is open 10:00–16:00: a shift starting at 12:00 at the latest, nobody before 10:00 opens.
    const saturday = await get('/v1/staffing/shifts?weeks=1&intervals=false&start_times=08:00,12:00&channel=phone');
    expect(saturday.status).toBe(422);
    expect(saturday.body.error.message).toMatch(/phone 2026-11-07T10:00: \d+ agents required, but no shift template fits/);
    const doc = (await get('/v1/openapi.json')).body;
    for (const [p, m] of [['/v1/staffing/shifts', 'get'], ['/v1/staffing/shifts.csv', 'get'], ['/v1/staffing/agents', 'get'], ['/v1/staffing/agents', 'put'], ['/v1/staffing/roster', 'get'], ['/v1/staffing/roster.csv', 'get'], ['/v1/staffing/roster/{agent_id}.ics', 'get']]) {
      expect(doc.paths[p]?.[m], `${m} ${p}`).toBeDefined();
    }
    const names = doc.paths['/v1/staffing/shifts'].get.parameters.map((x: { name: string }) => x.name);
    for (const n of ['objective', 'under_weight', 'over_weight', 'min_agents', 'max_agents', 'hourly_rate', 'time_limit_seconds', 'shift_lengths', 'start_times', 'lunch_minutes', 'open_phone', 'compare_scenarios']) expect(names).toContain(n);
  });

  it('validates the shift design parameters', async () => {
    await expectRefusedNaming((q) => get(`/v1/staffing/shifts?${q}`), [
      ['open_phone=weekdays%209-5', 'open_phone'],
      ['open_chat=mon-fri%2020:00-08:00', 'open_chat'],
      ['shift_lengths=4.25', 'shift_lengths'],
      ['start_step_minutes=45', 'start_step_minutes'],
      ['start_times=08:15', 'start_times'],
      ['start_times=8am', 'start_times'],
      ['objective=cheapest', 'objective'],
      ['channel=sms', 'channel'],
      ['time_limit_seconds=0', 'time_limit_seconds'],
    ]);
  });
});

describe('named agents and the roster', () => {
  const agents = [
    { agent_id: 'anna', name: 'Anna Berg', contracted_hours_per_week: 40, skills: ['phone', 'chat'], unavailable_weekdays: [], unavailable_dates: [] },
    { agent_id: 'bo', name: 'Bo Ek', contracted_hours_per_week: 20, skills: ['phone'], unavailable_weekdays: [1, 2], unavailable_dates: [] },
    { agent_id: 'cia', name: 'Cia Lund, Jr.', contracted_hours_per_week: 32, skills: ['email', 'chat'], unavailable_weekdays: [], unavailable_dates: ['2026-11-04'] },
    ...Array.from({ length: 12 }, (_, i) => ({ agent_id: `agent-${i}`, name: `Agent ${i}`, contracted_hours_per_week: [40, 30, 24][i % 3], skills: [['phone'], ['chat'], ['email', 'phone']][i % 3], unavailable_weekdays: i % 4 === 0 ? [6] : [], unavailable_dates: [] })),
  ];
  const put = (body: unknown, token = ADMIN) => svc.call('/v1/staffing/agents', { method: 'PUT', token, headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('stores agents for admins only, validates them and bounds the body', async () => {
    expect((await put({ agents }, READ)).status).toBe(403);
    const dup = await put({ agents: [agents[0], agents[0]] });
    expect(dup.status).toBe(400);
    expect(JSON.stringify((await dup.json()).error.details)).toContain('duplicate agent_id');
    const bad = await put({ agents: [{ ...agents[0], skills: ['telepathy'] }] });
    expect(bad.status).toBe(400);
    expect((await put('x'.repeat(2 * 1024 * 1024))).status).toBe(413);
    const ok = await put({ agents });
    expect(ok.status).toBe(200);
    expect((await ok.json()).agents).toHaveLength(agents.length);
    const rows = await svc.query<{ n: number }>(`SELECT count(*)::INT AS n FROM staffing_agents`);
    expect(rows[0].n).toBe(agents.length);
    const back = (await get('/v1/staffing/agents')).body;
    expect(back.agents.map((a: { agent_id: string }) => a.agent_id)).toEqual(agents.map((a) => a.agent_id));
  });

  let roster: RosterResponse;
  it('assigns shifts within every contract, skill and unavailable day', async () => {
    const r = await get('/v1/staffing/roster?weeks=2');
    expect(r.status).toBe(200);
    roster = r.body;
    const byId = new Map(agents.map((a) => [a.agent_id, a]));
    const seen = new Set<string>();
    for (const a of roster.assignments) {
      const agent = byId.get(a.agent_id)!;
      expect(agent.skills).toContain(a.channel);
      expect(agent.unavailable_weekdays).not.toContain(a.weekday);
      expect(agent.unavailable_dates).not.toContain(a.date);
      expect(seen.has(`${a.agent_id}${a.date}`)).toBe(false);
      seen.add(`${a.agent_id}${a.date}`);
    }
    for (const a of roster.agents) for (const h of a.paid_hours_by_week) expect(h).toBeLessThanOrEqual(a.contracted_hours_per_week);
    expect(roster.totals.assigned_shifts + roster.totals.unfilled_shifts).toBe(roster.totals.planned_shifts);
    expect(roster.totals.planned_shifts).toBe(roster.shift_plan.totals.shifts_per_week * 2);
    expect(roster.totals.assigned_shifts).toBeGreaterThan(0);
  });

  it('exports the roster as CSV and each agent’s shifts as iCalendar that ical.js reads', async () => {
    const csv = await get('/v1/staffing/roster.csv?weeks=2');
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines).toHaveLength(1 + roster.assignments.length);
    expect(csv.text).toContain('"Cia Lund, Jr."');
    for (const agent of roster.agents.filter((a) => a.shifts > 0).slice(0, 4)) {
      const r = await get(`/v1/staffing/roster/${agent.agent_id}.ics?weeks=2`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/text\/calendar/);
      const cal = new ICAL.Component(ICAL.parse(r.text));
      const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
      const mine = roster.assignments.filter((a) => a.agent_id === agent.agent_id);
      expect(events).toHaveLength(mine.length);
      for (const [k, e] of events.entries()) {
        expect(e.startDate.toJSDate().toISOString()).toBe(`${mine[k].date}T${mine[k].start}:00.000Z`);
        expect(e.endDate.toJSDate().toISOString()).toBe(`${mine[k].date}T${mine[k].end}:00.000Z`);
        expect(e.summary).toContain(mine[k].start);
        expect(new Set(events.map((x) => x.uid)).size).toBe(events.length);
      }
    }
    expect((await get('/v1/staffing/roster/nobody.ics?weeks=2')).status).toBe(404);
  });

  it('gives local shift times in UTC in the .ics of a roster in another time zone', async () => {
    const r = await get('/v1/staffing/roster?weeks=1&time_zone=Europe/Stockholm');
    const body = r.body as RosterResponse;
    const a = body.assignments[0];
    const ics = await get(`/v1/staffing/roster/${a.agent_id}.ics?weeks=1&time_zone=Europe/Stockholm`);
    const first = new ICAL.Event(new ICAL.Component(ICAL.parse(ics.text)).getFirstSubcomponent('vevent')!);
    // November: Stockholm is UTC+1.
    const expected = new Date(Date.parse(`${a.date}T${a.start}:00Z`) - 3_600_000).toISOString();
    expect(first.startDate.toJSDate().toISOString()).toBe(expected);
  });
});
