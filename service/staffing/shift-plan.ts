/**
 * From agents per interval to shifts: the staffing plan's requirement turned into how many agents
 * start which shift on each day, per channel, with what that achieves. The forecast is the plan's
 * (forecast.ts), but the opening hours are the shift design's, per weekday and channel; demand of
 * closed intervals waits for the next opening as in the plan. The requirement per interval is the
 * plan's rostered head-count (Erlang C for phone and chat, the workload model for e-mail and
 * invoice messages, both grossed up by the shrinkage). Deferred channels are worked only while
 * open, so their workload model runs on the open intervals strung together, and the response
 * target counts working time. One MIP per day and channel (shift-cover.ts): a day's shifts do not
 * interact with another day's, and small problems solve to proven optimality in milliseconds where
 * one month-long model would be slow for no better answer; the time limit is shared out among
 * them. Then, per interval, the service level the rostered agents actually reach is computed
 * forward with Erlang C: rostered × (1 − shrinkage) agents on the phones (the lunch is already off
 * the floor, so the shrinkage should hold only what is left: short breaks, training, absence).
 * Hours: paid hours are shift lengths less unpaid lunches; under- and over-staffed hours are
 * agent-hours below or above the requirement; the weekly cost is paid hours × the hourly rate.
 */
import type { ContactChannel } from './contact-history.ts';
import { serviceLevel, trafficErlangs } from './erlang-c.ts';
import { intervalForecast, type ForecastModel } from './forecast.ts';
import { dayToDate, isoWeekday, MINUTES_PER_DAY, minuteToLocal } from './local-time.ts';
import { deferClosedDemand, scenarioForecastFactor, staffChannel, STAFFING_MODE, type PlanParameters } from './plan.ts';
import { floorTolerant } from './rounding.ts';
import type { ScenarioEffect } from './scenarios.ts';
import { optimiseCover, type CoverObjective } from './shift-cover.ts';
import { dayPatterns, formatHours, type ShiftPattern, type ShiftRules, type WeekHours } from './shift-design.ts';
import { ShiftInfeasibleError, type Bottleneck } from './shift-errors.ts';

/** A shift ending after this local time counts as late (for the roster's rotation). */
export const LATE_AFTER_MINUTE = 18 * 60;

export interface ShiftPlanOptions {
  weeks: number;
  asOf: string;
  parameters: PlanParameters;
  channels: ContactChannel[];
  opening: Record<string, WeekHours>;
  rules: ShiftRules;
  objective: CoverObjective;
  underWeight: number;
  overWeight: number;
  minAgents: number;
  maxAgents: number;
  hourlyRate: number;
  timeLimitSeconds: number;
  scenario: ScenarioEffect | null;
  includeIntervals: boolean;
}

const hhmm = (minute: number) => (minute >= MINUTES_PER_DAY ? '24:00' : minuteToLocal(minute).slice(11));
const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

export interface PlannedShift {
  date: string;
  weekday: number;
  channel: ContactChannel;
  start: string;
  end: string;
  length_hours: number;
  lunch_start: string | null;
  lunch_end: string | null;
  paid_hours: number;
  agents: number;
  late: boolean;
  weekend: boolean;
}

interface ChannelShiftSummary {
  channel: ContactChannel;
  staffing: string;
  opening_hours: { weekday: number; hours: string | null }[];
  shifts_per_week: number;
  paid_hours_per_week: number;
  required_hours_per_week: number;
  rostered_hours_per_week: number;
  under_staffed_hours_per_week: number;
  over_staffed_hours_per_week: number;
  weekly_cost: number;
  min_service_level: number | null;
  intervals_below_target: number | null;
}

export async function buildShiftPlan(model: ForecastModel, o: ShiftPlanOptions) {
  const days = 7 * o.weeks;
  const im = model.intervalMinutes;
  const slots = MINUTES_PER_DAY / im;
  const intervalSeconds = im * 60;
  const hours = im / 60;
  const startDay = model.cutoffDay;
  const raw = intervalForecast(model, startDay, days);
  const aht = (ch: ContactChannel) => model.channels[ch].aht_seconds / (ch === 'chat' ? o.parameters.chatConcurrency : 1);
  const hoursOn = (ch: ContactChannel, d: number) => o.opening[ch][isoWeekday(startDay + d) - 1];
  const isOpen = (ch: ContactChannel, i: number) => {
    const h = hoursOn(ch, Math.floor(i / slots));
    const m = (i % slots) * im;
    return h !== null && m >= h[0] && m < h[1];
  };
  const problems = days * o.channels.length;
  // A problem may use what is left of the limit less a small reserve for each problem after it:
  // nearly all solve in milliseconds, and a hard one (or the first, while the WebAssembly is still
  // being compiled) then gets the time the easy ones did not need. One cut short keeps its best
  // plan so far (at worst the greedy start) and reports its gap.
  const RESERVE = 0.05;
  const started = performance.now();
  let remaining = problems;
  const budget = () => Math.max(RESERVE, o.timeLimitSeconds - (performance.now() - started) / 1000 - RESERVE * --remaining);
  const perProblemSeconds = o.timeLimitSeconds / Math.max(1, problems);

  const shifts: PlannedShift[] = [];
  const daily = [];
  const intervals = [];
  const channelSummaries: ChannelShiftSummary[] = [];
  const bottlenecks: Bottleneck[] = [];
  const solver = { problems: 0, optimal: 0, maxGap: 0, maxColumns: 0, maxRows: 0, integerColumns: 0, seconds: 0 };

  for (const ch of o.channels) {
    let forecast = deferClosedDemand(raw[ch], (i) => isOpen(ch, i));
    if (o.scenario) {
      const f = scenarioForecastFactor(o.scenario, ch, forecast.reduce((a, b) => a + b, 0), days);
      forecast = forecast.map((v) => v * f);
    }
    // The requirement on the open intervals strung together (see the header), then put back in place.
    const openIdx: number[] = [];
    for (let i = 0; i < days * slots; i++) if (isOpen(ch, i)) openIdx.push(i);
    const staffing = staffChannel(STAFFING_MODE[ch], openIdx.map((i) => forecast[i]), aht(ch), o.parameters, intervalSeconds);
    const required = new Array<number>(days * slots).fill(0);
    openIdx.forEach((i, k) => (required[i] = staffing.roster[k]));

    const coverage = new Array<number>(days * slots).fill(0);
    const sum = { shifts: 0, paid: 0, under: 0, over: 0, required: 0, rostered: 0, minSl: null as number | null, belowTarget: 0 };
    for (let d = 0; d < days; d++) {
      const date = dayToDate(startDay + d);
      const weekday = isoWeekday(startDay + d);
      const patterns: ShiftPattern[] = dayPatterns(hoursOn(ch, d), o.rules, im);
      const req = required.slice(d * slots, (d + 1) * slots);
      const open = req.map((_, s) => isOpen(ch, d * slots + s));
      let result;
      try {
        result = await optimiseCover({
          requirement: req,
          patterns: patterns.map((p) => ({ periods: p.slots, cost: p.paidHours })),
          objective: o.objective,
          maxPerPeriod: o.maxAgents,
          minPerPeriod: open.map((x) => (x ? o.minAgents : 0)),
          maxPerPattern: Number.POSITIVE_INFINITY,
          underWeight: o.underWeight,
          overWeight: o.overWeight,
          // A tie-breaker: among equally good coverings, the one with fewer paid hours.
          costWeight: 1e-3,
          timeLimitSeconds: budget(),
        });
      } catch (error) {
        if (!(error instanceof ShiftInfeasibleError)) throw error;
        for (const b of error.bottlenecks) bottlenecks.push({ ...b, channel: ch, interval_start: minuteToLocal((startDay + d) * MINUTES_PER_DAY + b.period * im) });
        if (!error.bottlenecks.length) throw error;
        continue;
      }
      solver.problems++;
      if (result.status === 'optimal') solver.optimal++;
      solver.maxGap = Math.max(solver.maxGap, result.gap);
      solver.maxColumns = Math.max(solver.maxColumns, result.columns);
      solver.maxRows = Math.max(solver.maxRows, result.rows);
      solver.integerColumns += patterns.length;
      solver.seconds += result.seconds;

      let dayShifts = 0;
      let dayPaid = 0;
      patterns.forEach((p, j) => {
        const n = result.counts[j];
        if (!n) return;
        dayShifts += n;
        dayPaid += n * p.paidHours;
        shifts.push({
          date,
          weekday,
          channel: ch,
          start: hhmm(p.start),
          end: hhmm(p.end),
          length_hours: p.lengthHours,
          lunch_start: p.lunchStart === null ? null : hhmm(p.lunchStart),
          lunch_end: p.lunchEnd === null ? null : hhmm(p.lunchEnd),
          paid_hours: p.paidHours,
          agents: n,
          late: p.end > LATE_AFTER_MINUTE,
          weekend: weekday >= 6,
        });
      });
      for (let s = 0; s < slots; s++) coverage[d * slots + s] = result.coverage[s];
      const under = result.under.reduce((a, b) => a + b, 0) * hours;
      const over = result.over.reduce((a, b) => a + b, 0) * hours;
      const reqHours = req.reduce((a, b) => a + b, 0) * hours;
      const rostered = result.coverage.reduce((a, b) => a + b, 0) * hours;
      Object.assign(sum, { shifts: sum.shifts + dayShifts, paid: sum.paid + dayPaid, under: sum.under + under, over: sum.over + over, required: sum.required + reqHours, rostered: sum.rostered + rostered });
      daily.push({ date, weekday, channel: ch, opening_hours: formatHours(hoursOn(ch, d)), shifts: dayShifts, paid_hours: dayPaid, required_hours: reqHours, rostered_hours: rostered, under_staffed_hours: under, over_staffed_hours: over, mip_gap: result.gap, status: result.status });
    }

    // Service level reached per interval (Erlang C forward) where the channel queues.
    for (let i = 0; i < days * slots; i++) {
      let sl: number | null = null;
      let onPhones: number | null = null;
      if (STAFFING_MODE[ch] === 'erlang_c' && isOpen(ch, i)) {
        onPhones = floorTolerant(coverage[i] * (1 - o.parameters.shrinkage));
        sl = serviceLevel(trafficErlangs(forecast[i], aht(ch), intervalSeconds), onPhones, aht(ch), o.parameters.targetSeconds);
        if (sum.minSl === null || sl < sum.minSl) sum.minSl = sl;
        if (sl < o.parameters.serviceLevel - 1e-12) sum.belowTarget++;
      }
      if (o.includeIntervals && isOpen(ch, i)) {
        const day = Math.floor(i / slots);
        intervals.push({
          interval_start: minuteToLocal((startDay + day) * MINUTES_PER_DAY + (i % slots) * im),
          weekday: isoWeekday(startDay + day),
          channel: ch,
          forecast_contacts: r4(forecast[i]),
          effective_aht_seconds: aht(ch),
          required_agents: required[i],
          rostered_agents: coverage[i],
          agents_on_contacts: onPhones,
          service_level: sl,
        });
      }
    }
    const perWeek = (v: number) => v / o.weeks;
    channelSummaries.push({
      channel: ch,
      staffing: STAFFING_MODE[ch],
      opening_hours: o.opening[ch].map((h, k) => ({ weekday: k + 1, hours: formatHours(h) })),
      shifts_per_week: perWeek(sum.shifts),
      paid_hours_per_week: perWeek(sum.paid),
      required_hours_per_week: perWeek(sum.required),
      rostered_hours_per_week: perWeek(sum.rostered),
      under_staffed_hours_per_week: perWeek(sum.under),
      over_staffed_hours_per_week: perWeek(sum.over),
      weekly_cost: perWeek(sum.paid) * o.hourlyRate,
      min_service_level: sum.minSl,
      intervals_below_target: STAFFING_MODE[ch] === 'erlang_c' ? sum.belowTarget : null,
    });
  }
  if (bottlenecks.length) throw new ShiftInfeasibleError(bottlenecks);

  const total = (k: 'shifts_per_week' | 'paid_hours_per_week' | 'under_staffed_hours_per_week' | 'over_staffed_hours_per_week' | 'weekly_cost' | 'required_hours_per_week') =>
    channelSummaries.reduce((s, c) => s + c[k], 0);
  const slValues = channelSummaries.map((c) => c.min_service_level).filter((v): v is number => v !== null);
  return {
    as_of: o.asOf,
    start: dayToDate(startDay),
    end: dayToDate(startDay + days - 1),
    time_zone: model.tz,
    interval_minutes: im,
    weeks: o.weeks,
    objective: o.objective,
    totals: {
      shifts_per_week: total('shifts_per_week'),
      paid_hours_per_week: total('paid_hours_per_week'),
      required_hours_per_week: total('required_hours_per_week'),
      under_staffed_hours_per_week: total('under_staffed_hours_per_week'),
      over_staffed_hours_per_week: total('over_staffed_hours_per_week'),
      hourly_rate: o.hourlyRate,
      weekly_cost: total('weekly_cost'),
      min_service_level: slValues.length ? Math.min(...slValues) : null,
    },
    solver: {
      engine: 'HiGHS (WebAssembly, npm package highs)',
      problems: solver.problems,
      proven_optimal: solver.optimal,
      status: solver.optimal === solver.problems ? ('optimal' as const) : ('time_limit' as const),
      max_mip_gap: solver.maxGap,
      time_limit_seconds: o.timeLimitSeconds,
      time_limit_per_problem_seconds: perProblemSeconds,
      max_columns: solver.maxColumns,
      max_rows: solver.maxRows,
      integer_columns: solver.integerColumns,
      solve_seconds: solver.seconds,
    },
    channels: channelSummaries,
    shifts,
    daily,
    intervals: o.includeIntervals ? intervals : null,
  };
}

export type ShiftPlan = Awaited<ReturnType<typeof buildShiftPlan>>;

export const SHIFT_CSV_COLUMNS = ['date', 'weekday', 'channel', 'start', 'end', 'length_hours', 'lunch_start', 'lunch_end', 'paid_hours', 'agents', 'late', 'weekend'] as const;

/** The shifts as CSV (RFC 4180, header row, local times; one row per day, channel and shift pattern). */
export function shiftsCsv(plan: ShiftPlan): string {
  return csv(SHIFT_CSV_COLUMNS, plan.shifts as unknown as Record<string, unknown>[]);
}

/** A header row and one line per row; the cells here are dates, times, names and numbers, so none needs quoting except names. */
export function csv(columns: readonly string[], rows: Record<string, unknown>[]): string {
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
