/**
 * /v1/staffing and /v1/operations: the support lead's API (docs/recommendations.md, issue #7). The Erlang C
 * calculator, the contact history and contact calendar, the forecast-driven staffing plan (JSON or
 * CSV), its back-test against the seasonal-naive baseline, the what-if scenarios, and the admin
 * time thieves. Queries are validated with the zod schemas of staffing/contracts.ts, which also
 * generate the OpenAPI entries registered here; the heavy lifting lives in service/staffing/.
 */
import { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import { respond } from '../http/arrow-response.ts';
import { requireRole } from '../http/auth.ts';
import { ApiError } from '../http/errors.ts';
import type { RouteDoc } from '../http/openapi.ts';
import { CONTACT_CHANNELS, contactCalendar, contactHistory } from '../staffing/contact-history.ts';
import {
  Backtest,
  BacktestQuery,
  ContactCalendar,
  ContactCalendarQuery,
  ErlangCQuery,
  ErlangCResult,
  History,
  HistoryQuery,
  Plan,
  PlanQuery,
  Scenarios,
  ScenariosQuery,
  TimeThieves,
  TimeThievesQuery,
} from '../staffing/contracts.ts';
import { staffingEngine } from '../staffing/engine.ts';
import { requiredAgents } from '../staffing/erlang-c.ts';
import { dateToDay } from '../staffing/local-time.ts';
import { planCsv } from '../staffing/plan.ts';
import { offThread } from '../off-thread.ts';
import { checkOpening, checkResponseTarget, planParameters, scenarioReport, sharesFrom, unitMinutesFrom } from '../staffing/scenario-report.ts';
import { evidence, parseScenarioList, scenarioEffects } from '../staffing/scenarios.ts';
import { timeThieves } from '../staffing/time-thieves.ts';
import { parseQuery } from '../http/query.ts';

export function staffingRoutes(ctx: AppContext) {
  const engine = staffingEngine(ctx.engine);
  const read = requireRole(ctx.config.tokens, 'read');
  const doc = (d: Omit<RouteDoc, 'role' | 'method' | 'tag'>) => ctx.openapi.add({ method: 'get', role: 'read', tag: 'staffing', ...d });

  doc({
    path: '/v1/staffing/erlang-c',
    summary: 'Erlang C calculator: agents for a service-level target, maximum occupancy and shrinkage',
    description: 'Minimal agents N > A (traffic in Erlangs) meeting both the service level and the occupancy cap; numerically stable for thousands of Erlangs (Erlang B recursion). Zero calls need zero agents.',
    query: ErlangCQuery,
    responses: { 200: { description: 'staffing', schema: ErlangCResult } },
  });
  doc({
    path: '/v1/staffing/history',
    summary: 'Inbound contacts per channel (and topic) and interval: arrivals, average wait, average handle time',
    query: HistoryQuery,
    responses: { 200: { description: 'history', schema: History } },
  });
  doc({
    path: '/v1/staffing/contact-calendar',
    summary: 'Contacts per 1 000 invoices by days since dispatch and days from the due date, first invoices apart',
    query: ContactCalendarQuery,
    responses: { 200: { description: 'curves', schema: ContactCalendar } },
  });
  doc({
    path: '/v1/staffing/plan',
    summary: 'Contact forecast and required agents per channel and interval (Erlang C for phone and chat, workload for e-mail and invoice messages)',
    description:
      'The forecast is a per-channel daily regression on the invoice calendar (invoices sent and falling due, split by first / first-year / other; reminders; failed debits; collections; active customers) with weekday factors and a weekday × interval profile, projected from the billing cycle. `scenario` applies what-if scenarios. `format=csv` (or /v1/staffing/plan.csv) exports the interval table.',
    query: PlanQuery,
    responses: { 200: { description: 'plan (Arrow IPC of the interval table with Accept: application/vnd.apache.arrow.stream)', schema: Plan }, 422: { description: 'not enough history to fit the forecast' } },
  });
  doc({
    path: '/v1/staffing/plan.csv',
    summary: 'The staffing plan’s interval table as CSV (same parameters as /v1/staffing/plan)',
    query: PlanQuery.omit({ format: true, intervals: true }),
    responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
  });
  doc({
    path: '/v1/staffing/backtest',
    summary: 'Forecast accuracy on held-out weeks (rolling origin) against the seasonal-naive baseline: WAPE, MAPE, bias, RMSE per channel',
    query: BacktestQuery,
    responses: { 200: { description: 'errors', schema: Backtest }, 422: { description: 'not enough history' } },
  });
  doc({
    path: '/v1/staffing/scenarios',
    summary: 'What-if scenarios side by side: contacts, agent hours, peak agents and admin hours saved, with the measured relationships they rest on',
    query: ScenariosQuery,
    responses: { 200: { description: 'scenarios', schema: Scenarios }, 422: { description: 'not enough history' } },
  });

  const plan = async (q: ReturnType<typeof PlanQuery.parse>) => {
    const { asOf, cutoffDay } = await engine.resolve(q.as_of);
    checkResponseTarget(q.response_target_hours, q.interval_minutes);
    checkOpening(q.open_from, q.open_to);
    const { shares, errors } = parseScenarioList(q.scenario ?? []);
    if (errors.length) throw new ApiError(400, 'invalid_request', 'invalid query parameters', errors.map((message) => ({ path: 'scenario', message })));
    const model = await engine.model(q.time_zone, cutoffDay, q.interval_minutes);
    const hasScenario = Object.keys(shares).length > 0;
    const rel = hasScenario ? await engine.relationships(cutoffDay, q.evidence_days) : null;
    const effect = rel ? scenarioEffects(rel, shares).combined : null;
    // In the worker thread: weeks of intervals through Erlang C took 150–330 ms of the event loop per plan.
    const body = await offThread('plan', { model, options: { weeks: q.weeks, asOf, parameters: planParameters(q), includeIntervals: q.intervals || q.format === 'csv', scenario: effect } });
    return { ...body, evidence: rel ? evidence(rel) : null };
  };
  const csvResponse = (body: Awaited<ReturnType<typeof plan>>) =>
    new Response(planCsv(body), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="staffing-plan-${body.start}-to-${body.end}-${body.interval_minutes}min.csv"`,
      },
    });

  return new Hono()
    .get('/erlang-c', read, async (c) => {
      const q = parseQuery(ErlangCQuery, c);
      const r = requiredAgents({ calls: q.calls, ahtSeconds: q.aht_seconds, intervalSeconds: q.interval_seconds, targetSeconds: q.target_seconds, serviceLevel: q.service_level, maxOccupancy: q.max_occupancy, shrinkage: q.shrinkage });
      return c.json(ErlangCResult.parse({ inputs: q, ...r }));
    })
    .get('/history', read, async (c) => {
      const q = parseQuery(HistoryQuery, c);
      const to = q.to ?? (await engine.resolve(undefined)).asOf;
      const from = q.from ?? new Date(Date.parse(to) - 27 * 86_400_000).toISOString().slice(0, 10);
      const fromDay = dateToDay(from);
      const toDay = dateToDay(to) + 1;
      if (toDay <= fromDay) throw new ApiError(400, 'invalid_request', 'invalid query parameters', [{ path: 'from', message: 'must not be after `to`' }]);
      if (toDay - fromDay > 366) throw new ApiError(400, 'invalid_request', 'invalid query parameters', [{ path: 'from', message: 'at most 366 days per request' }]);
      const body = History.parse(await contactHistory(ctx.db, { tz: q.time_zone, fromDay, toDay, intervalMinutes: q.interval_minutes, channels: q.channel?.length ? q.channel : CONTACT_CHANNELS, byTopic: q.by_topic }));
      return respond(c, body, (b) => ({
        rows: b.intervals,
        columns: { interval_start: 'string', weekday: 'int', channel: 'string', topic: 'string', arrivals: 'int', average_wait_seconds: 'float', average_handle_seconds: 'float' },
        metadata: { from: b.from, to: b.to, time_zone: b.time_zone, interval_minutes: b.interval_minutes },
      }));
    })
    .get('/contact-calendar', read, async (c) => {
      const q = parseQuery(ContactCalendarQuery, c);
      const to = q.to ?? (await engine.resolve(undefined)).asOf;
      const from = q.from ?? new Date(Date.parse(to) - 364 * 86_400_000).toISOString().slice(0, 10);
      if (dateToDay(to) < dateToDay(from)) throw new ApiError(400, 'invalid_request', 'invalid query parameters', [{ path: 'from', message: 'must not be after `to`' }]);
      await engine.settle();
      const body = await contactCalendar(ctx.db, { tz: q.time_zone, fromDay: dateToDay(from), toDay: dateToDay(to) + 1, topics: q.topic?.length ? q.topic : null });
      return c.json(ContactCalendar.parse(body));
    })
    .get('/plan.csv', read, async (c) => {
      const q = parseQuery(PlanQuery, c);
      return csvResponse(await plan({ ...q, format: 'csv' }));
    })
    .get('/plan', read, async (c) => {
      const q = parseQuery(PlanQuery, c);
      const body = await plan(q);
      if (q.format === 'csv') return csvResponse(body);
      return respond(c, Plan.parse(body), (b) => ({
        rows: b.intervals ?? [],
        columns: {
          interval_start: 'string',
          weekday: 'int',
          channel: 'string',
          forecast_contacts: 'float',
          agents: 'int',
          agents_with_shrinkage: 'int',
          service_level: 'float',
          occupancy: 'float',
          average_speed_of_answer_seconds: 'float',
          backlog_seconds: 'float',
          scenario_forecast_contacts: 'float',
          scenario_agents_with_shrinkage: 'int',
        },
        metadata: { as_of: b.as_of, start: b.start, end: b.end, time_zone: b.time_zone, interval_minutes: b.interval_minutes, parameters: b.parameters, totals: b.totals },
      }));
    })
    .get('/backtest', read, async (c) => {
      const q = parseQuery(BacktestQuery, c);
      const { cutoffDay } = await engine.resolve(q.as_of);
      const body = Backtest.parse(await engine.backtest(q.time_zone, cutoffDay, q.weeks, q.interval_minutes));
      return respond(c, body, (b) => ({
        rows: b.daily,
        columns: { date: 'string', channel: 'string', actual: 'float', forecast: 'float', seasonal_naive: 'float' },
        metadata: { held_out: b.held_out, errors: b.channels.map((x) => ({ channel: x.channel, model: x.model, seasonal_naive: x.seasonal_naive })) },
      }));
    })
    .get('/scenarios', read, async (c) => {
      const q = parseQuery(ScenariosQuery, c);
      return c.json(Scenarios.parse(await scenarioReport(engine, q)));
    });
}

export function operationsRoutes(ctx: AppContext) {
  const engine = staffingEngine(ctx.engine);
  ctx.openapi.add({
    method: 'get',
    path: '/v1/operations/time-thieves',
    tag: 'staffing',
    role: 'read',
    summary: 'Admin "time thieves" in hours per month (paper invoices, unmatched payments, reminders, late payments, direct-debit activations, failed transactions, disputed fees), their trend, and their change under each scenario',
    description: 'Hours = monthly count × unit minutes (parameters minutes_*, planning defaults documented per parameter). Scenario shares in percent; each scenario is shown alone and combined.',
    query: TimeThievesQuery,
    responses: { 200: { description: 'time thieves', schema: TimeThieves } },
  });
  return new Hono().get('/time-thieves', requireRole(ctx.config.tokens, 'read'), async (c) => {
    const q = parseQuery(TimeThievesQuery, c);
    const { asOf, cutoffDay } = await engine.resolve(q.as_of);
    const rel = await engine.relationships(cutoffDay, q.evidence_days);
    const { each, combined } = scenarioEffects(rel, sharesFrom(q));
    const t = await timeThieves(ctx.db, { tz: q.time_zone, cutoffDay, months: q.months, unitMinutes: unitMinutesFrom(q) }, [...each, ...(combined ? [combined] : [])], await engine.timeThiefCounts(q.time_zone, cutoffDay, q.months));
    const body = { as_of: asOf, ...t };
    return respond(c, TimeThieves.parse(body), (b) => ({
      rows: b.items.flatMap((i) => i.monthly.map((m) => ({ item: i.item, month: m.month, count: m.count, unit_minutes: i.unit_minutes, hours: m.hours }))),
      columns: { item: 'string', month: 'string', count: 'int', unit_minutes: 'float', hours: 'float' },
      metadata: { as_of: b.as_of, run_rate_hours_per_month: b.run_rate_hours_per_month, scenarios: b.scenarios.map((x) => ({ scenario: x.scenario, hours_per_month: x.hours_per_month })) },
    }));
  });
}
