/**
 * The staffing plan: the forecast per channel and interval turned into agents. Live channels (phone,
 * chat) queue callers, so each interval is staffed with Erlang C (erlang-c.ts) for the service-level
 * target, the maximum occupancy and the shrinkage, using the channel's handle time measured over the
 * last 12 weeks (chat divided by the number of concurrent chats an agent handles). Deferred channels
 * (e-mail, invoice messages) are staffed with the workload model (workload.ts) against a response-time
 * target, so their work may wait within the target instead of demanding agents at the arrival peak.
 * SMS and social contacts are forecast but not staffed: they are usually worked by the teams above
 * in their spare capacity, and queueing models of them would mislead; the plan says so per channel.
 * Agent hours are intervals × agents × interval length: "agents" are on the phones (productive),
 * "rostered" include shrinkage. Workload hours (contacts × handle time) are reported too, because
 * with a few contacts per interval the integer minimum of one agent hides any change in demand.
 * Opening hours (default: always open): demand forecast for a closed interval is moved to the next
 * open one — callers try again when the lines open, e-mails wait in the inbox — so nothing is lost
 * and nobody is rostered at night for a sliver of expected demand. Deferred channels are staffed on
 * whole items: the expected arrivals are turned into items by cumulative rounding (an item arrives in
 * the interval where the cumulative forecast passes the next half), because a fraction of an e-mail
 * cannot be answered and fluid slivers would otherwise keep one agent on duty in every interval.
 * A scenario (scenarios.ts) scales each channel's forecast by its monthly contact change spread
 * evenly over the horizon, and the same staffing runs again on it.
 */
import { requiredAgents } from './erlang-c.ts';
import { CONTACT_CHANNELS, type ContactChannel } from './contact-history.ts';
import { describeModel, intervalForecast, type ForecastModel } from './forecast.ts';
import { dayToDate, isoWeekday, MINUTES_PER_DAY, minuteToLocal } from './local-time.ts';
import type { ScenarioEffect } from './scenarios.ts';
import { workloadStaffing } from './workload.ts';

function sumOf(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

export type StaffingMode = 'erlang_c' | 'workload' | 'not_staffed';
export const STAFFING_MODE: Record<ContactChannel, StaffingMode> = {
  phone: 'erlang_c',
  chat: 'erlang_c',
  email: 'workload',
  invoice_message: 'workload',
  sms: 'not_staffed',
  social: 'not_staffed',
};

export interface PlanParameters {
  serviceLevel: number;
  targetSeconds: number;
  maxOccupancy: number;
  shrinkage: number;
  responseTargetHours: number;
  chatConcurrency: number;
  /** Opening hours as minutes of the local day, [openFrom, openTo); 0 and 1440 = always open. */
  openFrom: number;
  openTo: number;
}

/** Moves the volume of closed intervals to the next open one (the last closed stretch to the last open interval). */
export function applyOpeningHours(series: ArrayLike<number>, intervalMinutes: number, openFrom: number, openTo: number): Float64Array {
  const slots = MINUTES_PER_DAY / intervalMinutes;
  if (openFrom <= 0 && openTo >= MINUTES_PER_DAY) return Float64Array.from(series);
  return deferClosedDemand(series, (i) => {
    const m = (i % slots) * intervalMinutes;
    return m >= openFrom && m < openTo;
  });
}

/** The same for any opening pattern (the shift planner's hours differ per weekday and channel). */
export function deferClosedDemand(series: ArrayLike<number>, open: (interval: number) => boolean): Float64Array {
  const out = Float64Array.from(series);
  let carry = 0;
  let lastOpen = -1;
  for (let i = 0; i < out.length; i++) {
    if (open(i)) {
      out[i] += carry;
      carry = 0;
      lastOpen = i;
    } else {
      carry += out[i];
      out[i] = 0;
    }
  }
  if (carry > 0 && lastOpen >= 0) out[lastOpen] += carry;
  return out;
}

/** A scenario's factor on one channel's forecast: its monthly contact change spread over the horizon. */
export function scenarioForecastFactor(effect: ScenarioEffect, channel: ContactChannel, total: number, days: number): number {
  const delta = (effect.contacts_per_month.by_channel[channel] * days) / 30.44;
  return total > 0 ? Math.max(0, 1 + delta / total) : 1;
}

/** Whole items per interval from expected arrivals: the cumulative forecast rounded half up, differenced. */
export function wholeItems(series: ArrayLike<number>): number[] {
  const out = new Array<number>(series.length);
  let cumulative = 0;
  let previous = 0;
  for (let i = 0; i < series.length; i++) {
    cumulative += series[i];
    const whole = Math.floor(cumulative + 0.5);
    out[i] = whole - previous;
    previous = whole;
  }
  return out;
}

export interface ChannelStaffing {
  agents: number[];
  roster: number[];
  serviceLevel: (number | null)[];
  occupancy: (number | null)[];
  asa: (number | null)[];
  backlogSeconds: (number | null)[];
  peakAgents: number;
  peakRoster: number;
  agentHours: number;
  rosterHours: number;
  workloadHours: number;
  minServiceLevel: number | null;
  drainIntervals: number;
}

/** Staffs one channel's interval forecast. */
export function staffChannel(mode: StaffingMode, forecast: ArrayLike<number>, ahtSeconds: number, p: PlanParameters, intervalSeconds: number): ChannelStaffing {
  const n = forecast.length;
  const hours = intervalSeconds / 3600;
  const totalContacts = sumOf(forecast);
  const out: ChannelStaffing = {
    agents: new Array<number>(n).fill(0),
    roster: new Array<number>(n).fill(0),
    serviceLevel: new Array(n).fill(null),
    occupancy: new Array(n).fill(null),
    asa: new Array(n).fill(null),
    backlogSeconds: new Array(n).fill(null),
    peakAgents: 0,
    peakRoster: 0,
    agentHours: 0,
    rosterHours: 0,
    workloadHours: (totalContacts * ahtSeconds) / 3600,
    minServiceLevel: null,
    drainIntervals: 0,
  };
  if (mode === 'erlang_c') {
    for (let i = 0; i < n; i++) {
      const r = requiredAgents({
        calls: forecast[i],
        ahtSeconds,
        intervalSeconds,
        targetSeconds: p.targetSeconds,
        serviceLevel: p.serviceLevel,
        maxOccupancy: p.maxOccupancy,
        shrinkage: p.shrinkage,
      });
      out.agents[i] = r.agents;
      out.roster[i] = r.agents_with_shrinkage;
      out.serviceLevel[i] = r.service_level;
      out.occupancy[i] = r.occupancy;
      out.asa[i] = r.average_speed_of_answer_seconds;
      if (out.minServiceLevel === null || r.service_level < out.minServiceLevel) out.minServiceLevel = r.service_level;
    }
  } else if (mode === 'workload') {
    const w = workloadStaffing({
      itemsPerInterval: wholeItems(forecast),
      intervalSeconds,
      handleSeconds: ahtSeconds,
      targetSeconds: p.responseTargetHours * 3600,
      maxOccupancy: p.maxOccupancy,
      shrinkage: p.shrinkage,
    });
    for (const row of w.intervals) {
      if (row.index < n) {
        out.agents[row.index] = row.agents;
        out.roster[row.index] = row.agents_with_shrinkage;
        out.backlogSeconds[row.index] = row.backlog_seconds;
        out.occupancy[row.index] = row.agents > 0 ? row.handled_seconds / (row.agents * intervalSeconds) : null;
      } else {
        // Work still queued at the end of the horizon is drained after it: counted, not dropped.
        out.drainIntervals++;
        out.agentHours += row.agents * hours;
        out.rosterHours += row.agents_with_shrinkage * hours;
      }
    }
  } else {
    return out;
  }
  for (let i = 0; i < n; i++) {
    out.agentHours += out.agents[i] * hours;
    out.rosterHours += out.roster[i] * hours;
    if (out.agents[i] > out.peakAgents) out.peakAgents = out.agents[i];
    if (out.roster[i] > out.peakRoster) out.peakRoster = out.roster[i];
  }
  return out;
}

export interface PlanOptions {
  weeks: number;
  asOf: string;
  parameters: PlanParameters;
  includeIntervals: boolean;
  scenario: ScenarioEffect | null;
}

const r4 = (v: number | null) => (v === null ? null : Math.round(v * 1e4) / 1e4);

export function buildPlan(model: ForecastModel, o: PlanOptions) {
  const days = 7 * o.weeks;
  const slots = MINUTES_PER_DAY / model.intervalMinutes;
  const intervalSeconds = model.intervalMinutes * 60;
  const startDay = model.cutoffDay;
  const raw = intervalForecast(model, startDay, days);
  const open = (series: ArrayLike<number>) => applyOpeningHours(series, model.intervalMinutes, o.parameters.openFrom, o.parameters.openTo);
  const forecast = Object.fromEntries(CONTACT_CHANNELS.map((ch) => [ch, open(raw[ch])])) as Record<ContactChannel, Float64Array>;
  const aht = (ch: ContactChannel) => model.channels[ch].aht_seconds / (ch === 'chat' ? o.parameters.chatConcurrency : 1);

  const sum = (a: ArrayLike<number>) => sumOf(a);
  const base = Object.fromEntries(CONTACT_CHANNELS.map((ch) => [ch, staffChannel(STAFFING_MODE[ch], forecast[ch], aht(ch), o.parameters, intervalSeconds)])) as Record<ContactChannel, ChannelStaffing>;

  // The scenario: each channel's forecast scaled by its contact change over the horizon.
  let scenarioForecast: Record<ContactChannel, Float64Array> | null = null;
  let scenarioStaff: Record<ContactChannel, ChannelStaffing> | null = null;
  const factor = {} as Record<ContactChannel, number>;
  if (o.scenario) {
    scenarioForecast = {} as Record<ContactChannel, Float64Array>;
    scenarioStaff = {} as Record<ContactChannel, ChannelStaffing>;
    for (const ch of CONTACT_CHANNELS) {
      factor[ch] = scenarioForecastFactor(o.scenario, ch, sum(forecast[ch]), days);
      scenarioForecast[ch] = forecast[ch].map((v) => v * factor[ch]);
      scenarioStaff[ch] = staffChannel(STAFFING_MODE[ch], scenarioForecast[ch], aht(ch), o.parameters, intervalSeconds);
    }
  }

  const perWeek = (v: number) => v / o.weeks;
  const channels = CONTACT_CHANNELS.map((ch) => {
    const s = base[ch];
    const m = model.channels[ch];
    const mode = STAFFING_MODE[ch];
    const sc = scenarioStaff?.[ch];
    return {
      channel: ch,
      staffing: mode,
      aht_seconds: m.aht_seconds,
      aht_measured_contacts: m.aht_measured_contacts,
      effective_aht_seconds: aht(ch),
      forecast_contacts: sum(forecast[ch]),
      forecast_contacts_per_week: perWeek(sum(forecast[ch])),
      workload_hours_per_week: perWeek(s.workloadHours),
      agent_hours_per_week: mode === 'not_staffed' ? null : perWeek(s.agentHours),
      rostered_hours_per_week: mode === 'not_staffed' ? null : perWeek(s.rosterHours),
      peak_agents: mode === 'not_staffed' ? null : s.peakAgents,
      peak_agents_with_shrinkage: mode === 'not_staffed' ? null : s.peakRoster,
      min_service_level: s.minServiceLevel,
      drain_intervals: s.drainIntervals,
      scenario: sc
        ? {
            forecast_factor: factor[ch],
            forecast_contacts: sum(scenarioForecast![ch]),
            workload_hours_per_week: perWeek(sc.workloadHours),
            agent_hours_per_week: mode === 'not_staffed' ? null : perWeek(sc.agentHours),
            rostered_hours_per_week: mode === 'not_staffed' ? null : perWeek(sc.rosterHours),
            peak_agents_with_shrinkage: mode === 'not_staffed' ? null : sc.peakRoster,
            rostered_hours_saved_per_week: mode === 'not_staffed' ? null : perWeek(s.rosterHours - sc.rosterHours),
            intervals_with_fewer_agents: mode === 'not_staffed' ? null : s.roster.filter((v, i) => sc.roster[i] < v).length,
            intervals_with_more_agents: mode === 'not_staffed' ? null : s.roster.filter((v, i) => sc.roster[i] > v).length,
          }
        : null,
      note:
        mode === 'erlang_c'
          ? `Erlang C per interval: ${Math.round(o.parameters.serviceLevel * 100)} % answered within ${o.parameters.targetSeconds} s, occupancy at most ${Math.round(o.parameters.maxOccupancy * 100)} %${ch === 'chat' ? `, ${o.parameters.chatConcurrency} concurrent chat(s) per agent` : ''}.`
          : mode === 'workload'
            ? `Workload model: every contact answered within ${o.parameters.responseTargetHours} h${s.drainIntervals ? `; ${s.drainIntervals} interval(s) after the horizon drain the last backlog and are counted in the hours` : ''}.`
            : 'Forecast only: not staffed by this plan (worked in spare capacity of the other teams).',
    };
  });

  const staffed = CONTACT_CHANNELS.filter((ch) => STAFFING_MODE[ch] !== 'not_staffed');
  /** The most agents rostered at the same time, all staffed channels together. */
  const simultaneousPeak = (staff: Record<ContactChannel, ChannelStaffing>) => {
    let peak = 0;
    for (let i = 0; i < days * slots; i++) peak = Math.max(peak, staffed.reduce((s, ch) => s + staff[ch].roster[i], 0));
    return peak;
  };
  const totals = {
    forecast_contacts_per_week: perWeek(CONTACT_CHANNELS.reduce((s, ch) => s + sum(forecast[ch]), 0)),
    workload_hours_per_week: perWeek(CONTACT_CHANNELS.reduce((s, ch) => s + base[ch].workloadHours, 0)),
    agent_hours_per_week: perWeek(staffed.reduce((s, ch) => s + base[ch].agentHours, 0)),
    rostered_hours_per_week: perWeek(staffed.reduce((s, ch) => s + base[ch].rosterHours, 0)),
    peak_rostered_agents: simultaneousPeak(base),
    scenario: scenarioStaff
      ? {
          forecast_contacts_per_week: perWeek(CONTACT_CHANNELS.reduce((s, ch) => s + sum(scenarioForecast![ch]), 0)),
          workload_hours_per_week: perWeek(CONTACT_CHANNELS.reduce((s, ch) => s + scenarioStaff![ch].workloadHours, 0)),
          agent_hours_per_week: perWeek(staffed.reduce((s, ch) => s + scenarioStaff![ch].agentHours, 0)),
          rostered_hours_per_week: perWeek(staffed.reduce((s, ch) => s + scenarioStaff![ch].rosterHours, 0)),
          peak_rostered_agents: simultaneousPeak(scenarioStaff),
        }
      : null,
  };

  // Heat map: rostered agents of the staffed channels, mean over the weeks, per weekday × slot.
  const heat = (staff: Record<ContactChannel, ChannelStaffing>) => {
    const cells: { weekday: number; slot: string; agents: number; contacts: number }[] = [];
    for (let w = 1; w <= 7; w++) {
      for (let s = 0; s < slots; s++) {
        let agents = 0;
        let contacts = 0;
        let count = 0;
        for (let d = 0; d < days; d++) {
          if (isoWeekday(startDay + d) !== w) continue;
          count++;
          for (const ch of staffed) agents += staff[ch].roster[d * slots + s];
          for (const ch of CONTACT_CHANNELS) contacts += forecast[ch][d * slots + s];
        }
        cells.push({ weekday: w, slot: minuteToLocal(s * model.intervalMinutes).slice(11), agents: count ? agents / count : 0, contacts: count ? contacts / count : 0 });
      }
    }
    return cells;
  };

  const daily = [];
  for (let d = 0; d < days; d++) {
    for (const ch of CONTACT_CHANNELS) {
      let f = 0;
      let hoursRostered = 0;
      for (let s = 0; s < slots; s++) {
        f += forecast[ch][d * slots + s];
        hoursRostered += (base[ch].roster[d * slots + s] * intervalSeconds) / 3600;
      }
      daily.push({ date: dayToDate(startDay + d), channel: ch, forecast_contacts: f, rostered_hours: STAFFING_MODE[ch] === 'not_staffed' ? null : hoursRostered });
    }
  }

  const intervals = o.includeIntervals
    ? Array.from({ length: days * slots }, (_, i) => i).flatMap((i) => {
        const minute = startDay * MINUTES_PER_DAY + i * model.intervalMinutes;
        const start = minuteToLocal(minute);
        const weekday = isoWeekday(startDay + Math.floor(i / slots));
        return CONTACT_CHANNELS.map((ch) => {
          const mode = STAFFING_MODE[ch];
          const s = base[ch];
          return {
            interval_start: start,
            weekday,
            channel: ch,
            forecast_contacts: r4(forecast[ch][i])!,
            agents: mode === 'not_staffed' ? null : s.agents[i],
            agents_with_shrinkage: mode === 'not_staffed' ? null : s.roster[i],
            service_level: r4(s.serviceLevel[i]),
            occupancy: r4(s.occupancy[i]),
            average_speed_of_answer_seconds: r4(s.asa[i]),
            backlog_seconds: r4(s.backlogSeconds[i]),
            scenario_forecast_contacts: scenarioForecast ? r4(scenarioForecast[ch][i]) : null,
            scenario_agents_with_shrinkage: scenarioStaff && mode !== 'not_staffed' ? scenarioStaff[ch].roster[i] : null,
          };
        });
      })
    : null;

  return {
    as_of: o.asOf,
    start: dayToDate(startDay),
    end: dayToDate(startDay + days - 1),
    time_zone: model.tz,
    interval_minutes: model.intervalMinutes,
    weeks: o.weeks,
    parameters: {
      service_level: o.parameters.serviceLevel,
      target_seconds: o.parameters.targetSeconds,
      max_occupancy: o.parameters.maxOccupancy,
      shrinkage: o.parameters.shrinkage,
      response_target_hours: o.parameters.responseTargetHours,
      chat_concurrency: o.parameters.chatConcurrency,
      open_from: minuteToLocal(o.parameters.openFrom).slice(11),
      open_to: o.parameters.openTo >= MINUTES_PER_DAY ? '24:00' : minuteToLocal(o.parameters.openTo).slice(11),
    },
    channels,
    totals,
    heatmap: { weekdays: [1, 2, 3, 4, 5, 6, 7], cells: heat(base), scenario_cells: scenarioStaff ? heat(scenarioStaff) : null },
    daily,
    intervals,
    scenario: o.scenario,
    model: describeModel(model),
    notes: [
      'Interval starts are local wall-clock time in time_zone.',
      'Agents = on the phones/keyboards; agents_with_shrinkage = rostered. Hours are per week, averaged over the horizon.',
      'SMS and social are forecast but not staffed.',
      ...(o.parameters.openFrom > 0 || o.parameters.openTo < MINUTES_PER_DAY ? ['Demand forecast outside the opening hours is moved to the next open interval.'] : []),
      ...(o.scenario ? ['Scenario contacts are the steady-state monthly change, spread evenly over the horizon.'] : []),
    ],
  };
}

export const PLAN_CSV_COLUMNS = [
  'interval_start',
  'weekday',
  'channel',
  'forecast_contacts',
  'agents',
  'agents_with_shrinkage',
  'service_level',
  'occupancy',
  'average_speed_of_answer_seconds',
  'backlog_seconds',
  'scenario_forecast_contacts',
  'scenario_agents_with_shrinkage',
] as const;

/** The plan's interval table as CSV (RFC 4180, header row, empty cell = not applicable; local times). */
export function planCsv(plan: ReturnType<typeof buildPlan>): string {
  const lines: string[] = [PLAN_CSV_COLUMNS.join(',')];
  for (const row of plan.intervals ?? []) {
    lines.push(
      PLAN_CSV_COLUMNS.map((c) => {
        const v = (row as Record<string, unknown>)[c];
        return v === null || v === undefined ? '' : String(v);
      }).join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
