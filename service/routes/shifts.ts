/**
 * /v1/staffing/shifts, /v1/staffing/agents and /v1/staffing/roster (issue #16): the staffing
 * plan's agents per interval turned into shifts, the named agents (admin), and the roster that puts
 * them on the shifts, with CSV and one iCalendar file per agent. Kept apart from routes/staffing.ts
 * (mounted beside it under /staffing) because it is its own feature with its own inputs. Solving is
 * deterministic but not free, and the roster's CSV and .ics files must show the very roster the
 * JSON showed, so results are kept per data version and query (a few dozen entries). Domain errors
 * become HTTP here only: an infeasible shift design is 422 `shifts_infeasible` naming the
 * bottleneck intervals.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { requireRole } from '../http/auth.ts';
import { ApiError, zodDetails } from '../http/errors.ts';
import type { RouteDoc } from '../http/openapi.ts';
import { requestBody } from '../http/request-body.ts';
import { loadAgents, saveAgents } from '../staffing/agents.ts';
import { staffingEngine, type StaffingEngine } from '../staffing/engine.ts';
import { agentCalendar } from '../staffing/icalendar.ts';
import { buildRoster } from '../staffing/roster.ts';
import { parseScenarioList, scenarioEffects, type ScenarioEffect } from '../staffing/scenarios.ts';
import { AgentsBody, AgentsResponse, RosterQuery, RosterSchema, ShiftPlanSchema, ShiftsQuery } from '../staffing/shift-contracts.ts';
import { describeBottleneck, ShiftInfeasibleError } from '../staffing/shift-errors.ts';
import { buildShiftPlan, csv, SHIFT_CSV_COLUMNS, shiftsCsv, type ShiftPlan } from '../staffing/shift-plan.ts';
import { parseQuery } from '../http/query.ts';
import { checkResponseTarget, planParameters, sharesFrom } from '../staffing/scenario-report.ts';

/** The agents list is small (1 000 agents are ~200 kB); anything far larger is a mistake or an attack. */
const AGENTS_BODY_LIMIT = 1024 * 1024;
const KEEP = 32;
const RosterPath = z.object({ agent_id: z.string().describe('the agent’s agent_id') });

// Other staffing errors are mapped once in http/errors.ts; the infeasible plan's message is built here.
async function shiftGuarded<T>(fn: () => Promise<T>): Promise<T> {
  {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof ShiftInfeasibleError) {
        const shown = error.bottlenecks.slice(0, 5).map(describeBottleneck);
        const more = error.bottlenecks.length > 5 ? ` (and ${error.bottlenecks.length - 5} more intervals)` : '';
        throw new ApiError(422, error.code, error.bottlenecks.length ? `no shift plan meets these settings: ${shown.join('; ')}${more}` : error.message, error.bottlenecks.slice(0, 100));
      }
      throw error;
    }
  }
}

type Query = ReturnType<typeof ShiftsQuery.parse>;

async function planFor(engine: StaffingEngine, q: Query, scenario: ScenarioEffect | null, includeIntervals: boolean) {
  const { asOf, cutoffDay } = await engine.resolve(q.as_of);
  checkResponseTarget(q.response_target_hours, q.interval_minutes);
  if (q.start_step_minutes % q.interval_minutes !== 0) throw new ApiError(400, 'invalid_request', 'invalid query parameters', [{ path: 'start_step_minutes', message: `must be a multiple of interval_minutes (${q.interval_minutes})` }]);
  const offGrid = q.start_times?.find((m) => m % q.interval_minutes !== 0);
  if (offGrid !== undefined) throw new ApiError(400, 'invalid_request', 'invalid query parameters', [{ path: 'start_times', message: `${String(Math.floor(offGrid / 60)).padStart(2, '0')}:${String(offGrid % 60).padStart(2, '0')} is not on the ${q.interval_minutes}-minute interval grid` }]);
  const bad = q.shift_lengths.find((h) => (h * 60) % q.interval_minutes !== 0);
  if (bad !== undefined) throw new ApiError(400, 'invalid_request', 'invalid query parameters', [{ path: 'shift_lengths', message: `${bad} h is not a whole number of ${q.interval_minutes}-minute intervals` }]);
  const model = await engine.model(q.time_zone, cutoffDay, q.interval_minutes);
  return buildShiftPlan(model, {
    weeks: q.weeks,
    asOf,
    parameters: planParameters({ ...q, open_from: 0, open_to: 1440 }),
    channels: q.channel,
    opening: { phone: q.open_phone, chat: q.open_chat, email: q.open_email, invoice_message: q.open_invoice_message },
    rules: { lengthsHours: q.shift_lengths, startStepMinutes: q.start_step_minutes, startTimes: q.start_times ?? null, lunchMinutes: q.lunch_minutes, lunchFromHours: q.lunch_from_hours, lunchMarginHours: q.lunch_margin_hours, lunchPaid: q.lunch_paid },
    objective: q.objective,
    underWeight: q.under_weight,
    overWeight: q.over_weight,
    minAgents: q.min_agents,
    maxAgents: q.max_agents,
    hourlyRate: q.hourly_rate,
    timeLimitSeconds: q.time_limit_seconds,
    scenario,
    includeIntervals,
  });
}

async function shiftReport(engine: StaffingEngine, q: Query) {
  const { shares, errors } = parseScenarioList(q.scenario ?? []);
  if (errors.length) throw new ApiError(400, 'invalid_request', 'invalid query parameters', errors.map((message) => ({ path: 'scenario', message })));
  const { cutoffDay } = await engine.resolve(q.as_of);
  const effect = Object.keys(shares).length ? scenarioEffects(await engine.relationships(cutoffDay, q.evidence_days), shares).combined : null;
  const plan = await planFor(engine, q, effect, q.intervals);
  let scenarios = null;
  if (q.compare_scenarios) {
    const { each, combined } = scenarioEffects(await engine.relationships(cutoffDay, q.evidence_days), sharesFrom(q));
    // The comparisons run against the unscenario'd plan, whatever `scenario` applied to the main one.
    const baseline = effect ? await planFor(engine, q, null, false) : plan;
    scenarios = [];
    for (const e of [...each, ...(combined ? [combined] : [])]) {
      const t = (await planFor(engine, q, e, false)).totals;
      scenarios.push({
        scenario: e.scenario,
        label: e.label,
        share: e.share,
        shifts_per_week: t.shifts_per_week,
        paid_hours_per_week: t.paid_hours_per_week,
        weekly_cost: t.weekly_cost,
        change_shifts_per_week: t.shifts_per_week - baseline.totals.shifts_per_week,
        change_paid_hours_per_week: t.paid_hours_per_week - baseline.totals.paid_hours_per_week,
        change_weekly_cost: t.weekly_cost - baseline.totals.weekly_cost,
      });
    }
  }
  return {
    ...plan,
    scenario: effect ? { scenario: effect.scenario, label: effect.label } : null,
    scenarios,
    notes: [
      'Times are local wall-clock time in time_zone; a shift lies within its channel’s opening hours.',
      'Requirement = the staffing plan’s rostered agents (with shrinkage); the lunch is off the floor, so the shrinkage should hold only short breaks, training and absence.',
      'Deferred channels (e-mail, invoice messages) are worked only while open; their response target counts open hours.',
      'Service level per interval: Erlang C with rostered × (1 − shrinkage) agents, rounded down.',
      ...(plan.solver.status === 'time_limit' ? [`The solver stopped at its time limit on ${plan.solver.problems - plan.solver.proven_optimal} of ${plan.solver.problems} problems; the largest gap to the proven bound is ${(plan.solver.max_mip_gap * 100).toFixed(2)} %.`] : []),
    ],
  };
}

function memo() {
  const entries = new Map<string, Promise<unknown>>();
  return <T>(key: string, make: () => Promise<T>): Promise<T> => {
    const hit = entries.get(key);
    if (hit) {
      entries.delete(key);
      entries.set(key, hit);
      return hit as Promise<T>;
    }
    const value = make().catch((e) => {
      entries.delete(key);
      throw e;
    });
    entries.set(key, value);
    while (entries.size > KEEP) entries.delete(entries.keys().next().value!);
    return value;
  };
}

const cacheKey = (c: Context, version: number, kind: string) => {
  const u = new URL(c.req.url);
  u.searchParams.sort();
  return `${version}|${kind}|${u.searchParams}`;
};

const attachment = (body: string, type: string, filename: string) => new Response(body, { headers: { 'content-type': `${type}; charset=utf-8`, 'content-disposition': `attachment; filename="${filename}"` } });

export function shiftRoutes(ctx: AppContext) {
  const engine = staffingEngine(ctx.engine);
  const read = requireRole(ctx.config.tokens, 'read');
  const admin = requireRole(ctx.config.tokens, 'admin');
  const cached = memo();
  const doc = (d: Omit<RouteDoc, 'tag' | 'role' | 'method'> & Partial<Pick<RouteDoc, 'role' | 'method'>>) => ctx.openapi.add({ method: 'get', role: 'read', tag: 'staffing', ...d });
  const infeasible = { description: 'no shift plan meets the settings (`shifts_infeasible`, details name the bottleneck intervals), or not enough history to forecast' };

  doc({
    path: '/v1/staffing/shifts',
    summary: 'Shift plan: how many agents start which shift on each day per channel (HiGHS MIP), coverage against the requirement per interval, the service level reached, paid hours and weekly cost',
    description:
      'The staffing plan’s rostered agents per interval (opening hours per weekday and channel) are covered with shifts from the templates (lengths, start grid, lunch window). objective=cover: least paid hours with coverage ≥ requirement everywhere; objective=weighted: under_weight / over_weight per agent-hour below / above. One MIP per day and channel, solved by HiGHS within time_limit_seconds; the gap is reported. compare_scenarios=true adds the change in shifts and paid hours under each what-if scenario. format: /v1/staffing/shifts.csv for the shifts as CSV.',
    query: ShiftsQuery,
    responses: { 200: { description: 'shift plan', schema: ShiftPlanSchema }, 422: infeasible },
  });
  doc({ path: '/v1/staffing/shifts.csv', summary: 'The shift plan’s shifts as CSV: date, channel, start, end, lunch, paid hours, agents', query: ShiftsQuery.omit({ intervals: true, compare_scenarios: true }), responses: { 200: { description: 'CSV', contentType: 'text/csv' }, 422: infeasible } });
  doc({ path: '/v1/staffing/agents', summary: 'The named agents the roster assigns', responses: { 200: { description: 'agents', schema: AgentsResponse } } });
  doc({
    method: 'put',
    role: 'admin',
    path: '/v1/staffing/agents',
    summary: 'Replace the named agents: contracted hours per week, skills (phone, chat, email, invoice_message), unavailable weekdays and dates',
    description: `The whole list (at most 1 000 agents, ${AGENTS_BODY_LIMIT / 1024} KiB); an empty list removes every agent.`,
    body: { description: 'the agents', content: { 'application/json': AgentsBody } },
    responses: { 200: { description: 'the stored agents', schema: AgentsResponse }, 413: { description: 'body too large' } },
  });
  doc({
    path: '/v1/staffing/roster',
    summary: 'Roster: the shift plan’s shifts assigned to the named agents within their contracts, skills and availability, rotating late and weekend shifts fairly',
    description: 'Same parameters as /v1/staffing/shifts. Hard rules: skills, unavailable weekdays and dates, one shift a day, paid hours per plan week ≤ contract; shifts nobody can take are listed as unfilled. Fairness: the most late (ending after 18:00) and weekend shifts per full-time equivalent is minimised, week by week. Exports: /v1/staffing/roster.csv and /v1/staffing/roster/{agent_id}.ics.',
    query: RosterQuery,
    responses: { 200: { description: 'roster', schema: RosterSchema }, 422: infeasible },
  });
  doc({ path: '/v1/staffing/roster.csv', summary: 'The roster as CSV: one row per agent and shift', query: RosterQuery, responses: { 200: { description: 'CSV', contentType: 'text/csv' }, 422: infeasible } });
  doc({
    path: '/v1/staffing/roster/{agent_id}.ics',
    summary: 'One agent’s shifts as an iCalendar file (RFC 5545, times in UTC)',
    query: RosterQuery,
    pathParams: RosterPath,
    responses: { 200: { description: 'iCalendar', contentType: 'text/calendar' }, 404: { description: 'no such agent' }, 422: infeasible },
  });

  const plan = (c: Context, q: Query) => cached(cacheKey(c, ctx.db.analysisVersion, 'shifts'), () => shiftGuarded(() => shiftReport(engine, q)));
  const roster = (c: Context) => {
    const q = parseQuery(RosterQuery, c);
    const full: Query = { ...q, compare_scenarios: false, intervals: false };
    return cached(cacheKey(c, ctx.db.analysisVersion, 'roster'), () =>
      shiftGuarded(async () => {
        const [p, stored] = await Promise.all([shiftReport(engine, full), loadAgents(ctx.db)]);
        const r = await buildRoster(p.shifts, stored.agents, { startDay: Math.floor(Date.parse(`${p.start}T00:00:00Z`) / 86_400_000), weeks: p.weeks, timeLimitSeconds: q.time_limit_seconds });
        return {
          body: RosterSchema.parse({
            as_of: p.as_of,
            start: p.start,
            end: p.end,
            time_zone: p.time_zone,
            weeks: p.weeks,
            shift_plan: { totals: p.totals, solver: p.solver },
            ...r,
            notes: [
              stored.agents.length ? 'Unfilled shifts need more agents, wider skills or larger contracts.' : 'No named agents are stored (PUT /v1/staffing/agents); every shift is unfilled.',
              'Contracts are maxima per plan week (7 days from the first planned day).',
            ],
          }),
          savedAt: stored.savedAt,
        };
      }),
    );
  };

  return new Hono()
    .get('/shifts', read, async (c) => c.json(ShiftPlanSchema.parse(await plan(c, parseQuery(ShiftsQuery, c)))))
    .get('/shifts.csv', read, async (c) => {
      const q = parseQuery(ShiftsQuery, c);
      const p = (await plan(c, { ...q, intervals: false, compare_scenarios: false })) as ShiftPlan;
      return attachment(shiftsCsv(p), 'text/csv', `shifts-${p.start}-to-${p.end}.csv`);
    })
    .get('/agents', read, async (c) => {
      const s = await loadAgents(ctx.db);
      return c.json(AgentsResponse.parse({ agents: s.agents, saved_at: s.savedAt }));
    })
    .put('/agents', admin, async (c) => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of requestBody(c.req.raw, AGENTS_BODY_LIMIT)) chunks.push(chunk);
      let json: unknown;
      try {
        json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        throw new ApiError(400, 'invalid_request', 'the body is not JSON; expected {"agents": [...]}');
      }
      const body = AgentsBody.safeParse(json);
      if (!body.success) throw new ApiError(400, 'invalid_request', 'the agents are invalid; see details for each problem', zodDetails(body.error));
      const s = await saveAgents(ctx.db, body.data.agents);
      return c.json(AgentsResponse.parse({ agents: s.agents, saved_at: s.savedAt }));
    })
    .get('/roster', read, async (c) => c.json((await roster(c)).body))
    .get('/roster.csv', read, async (c) => {
      const { body } = await roster(c);
      return attachment(csv(['agent_id', 'name', ...SHIFT_CSV_COLUMNS.filter((k) => k !== 'agents')], body.assignments), 'text/csv', `roster-${body.start}-to-${body.end}.csv`);
    })
    .get('/roster/:file{[A-Za-z0-9._-]+\\.ics}', read, async (c) => {
      const id = c.req.param('file').slice(0, -4);
      const { body, savedAt } = await roster(c);
      const agent = body.agents.find((a) => a.agent_id === id);
      if (!agent) throw new ApiError(404, 'not_found', `no agent "${id}"`);
      return attachment(agentCalendar({ agentId: id, name: agent.name, timeZone: body.time_zone, savedAt, assignments: body.assignments.filter((a) => a.agent_id === id) }), 'text/calendar', `${id}.ics`);
    });
}
