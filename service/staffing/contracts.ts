/**
 * Request and response schemas of the staffing and operations API (docs/recommendations.md, staffing, issue #7).
 * The routes validate their query with these, the OpenAPI document is generated from them, and the
 * dashboard imports the inferred types (type-only). Every staffing parameter is a query parameter
 * with a documented default, so a plan is reproducible from its URL alone.
 */
import { z } from 'zod';
import { CONTACT_CHANNELS, CONTACT_TOPICS } from './contact-history.ts';
import { isTimeZone } from './local-time.ts';
import { EFFECT_ITEMS, SCENARIOS } from './scenarios.ts';
import { TIME_THIEVES } from './time-thief-items.ts';
import { DEFAULT_UNIT_MINUTES } from './time-thieves.ts';

// A range, so no date arithmetic on a parameter can overflow (as_of=9999-12-31 was a 500).
const isoDate = z.iso
  .date()
  .refine((d) => d >= '1970-01-01' && d <= '2199-12-31', 'a date between 1970-01-01 and 2199-12-31')
  .describe('YYYY-MM-DD, 1970-01-01 to 2199-12-31');
const num = (min: number, max: number) => z.coerce.number().min(min).max(max);
export const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const multi = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean)), z.array(z.enum(values)).max(20)).optional();

export const TimeZone = z
  .string()
  .refine(isTimeZone, { message: 'an IANA time zone such as Europe/Stockholm, or UTC' })
  .default('UTC')
  .describe('IANA time zone of the contact centre; intervals and days are its wall-clock time (default UTC)');
export const IntervalMinutes = z.coerce
  .number()
  .int()
  .refine((v) => v === 15 || v === 30 || v === 60, { message: '15, 30 or 60' })
  .default(30)
  .describe('interval length in minutes: 15, 30 or 60');
export const AsOf = isoDate.optional().describe('plan from the day after this date; nothing later is used (default: the latest event)');

const HourMinute = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM between 00:00 and 24:00')
  .transform((v) => Number(v.slice(0, 2)) * 60 + Number(v.slice(3)));

/** Erlang C and workload parameters shared by the plan and the scenarios. */
export const StaffingParams = {
  service_level: num(0.01, 0.999).default(0.8).describe('share of calls answered within target_seconds, strictly between 0 and 1 (default 0.8)'),
  target_seconds: num(0, 3600).default(20).describe('answer-time threshold of the service level (default 20 s)'),
  max_occupancy: num(0.1, 1).default(0.85).describe('highest share of an agent’s time on contacts (default 0.85)'),
  shrinkage: num(0, 0.9).default(0.3).describe('share of paid time not available for contacts: breaks, training, absence (default 0.3)'),
  response_target_hours: num(0.25, 168).default(24).describe('e-mail and invoice-message response-time target in hours (default 24)'),
  chat_concurrency: num(1, 5).default(1).describe('chats one agent handles at once (default 1)'),
  open_from: HourMinute.prefault('00:00').describe('opening time, local HH:MM (default 00:00); demand before it moves to the opening interval'),
  open_to: HourMinute.prefault('24:00').describe('closing time, local HH:MM or 24:00 (default 24:00)'),
};

export const ErlangCQuery = z.object({
  calls: num(0, 1e9).describe('calls offered in the interval (fractional forecasts allowed)'),
  aht_seconds: num(0, 86_400).refine((v) => v > 0, { message: 'must be > 0' }).describe('average handle time in seconds'),
  interval_seconds: num(1, 86_400).default(1800).describe('interval length in seconds (default 1800)'),
  target_seconds: num(0, 3600).default(20).describe('answer-time threshold (default 20)'),
  service_level: z.coerce.number().gt(0).lt(1).default(0.8).describe('target share answered within target_seconds, in (0, 1) (default 0.8)'),
  max_occupancy: z.coerce.number().gt(0).max(1).default(0.85).describe('maximum occupancy in (0, 1] (default 0.85)'),
  shrinkage: z.coerce.number().min(0).lt(1).default(0.3).describe('shrinkage in [0, 1) (default 0.3)'),
});
export type ErlangCQuery = z.infer<typeof ErlangCQuery>;

export const ErlangCResult = z.object({
  inputs: z.object({ calls: z.number(), aht_seconds: z.number(), interval_seconds: z.number(), target_seconds: z.number(), service_level: z.number(), max_occupancy: z.number(), shrinkage: z.number() }),
  traffic_erlangs: z.number(),
  agents: z.number().int(),
  agents_with_shrinkage: z.number().int(),
  service_level: z.number().describe('achieved share answered within target_seconds'),
  probability_wait: z.number(),
  average_speed_of_answer_seconds: z.number(),
  occupancy: z.number(),
});
export type ErlangCResult = z.infer<typeof ErlangCResult>;

export const HistoryQuery = z.object({
  from: isoDate.optional().describe('first local day (default: 27 days before `to`)'),
  to: isoDate.optional().describe('last local day, inclusive (default: the latest event)'),
  time_zone: TimeZone,
  interval_minutes: IntervalMinutes,
  channel: multi(CONTACT_CHANNELS).describe('channels to include (default all)'),
  by_topic: bool.default(false).describe('one row per topic as well as channel'),
});
const Mean = z.number().nullable();
export const History = z.object({
  from: z.string(),
  to: z.string(),
  time_zone: z.string(),
  interval_minutes: z.number().int(),
  by_topic: z.boolean(),
  channels: z.array(
    z.object({
      channel: z.enum(CONTACT_CHANNELS),
      arrivals: z.number().int(),
      arrivals_per_day: z.number(),
      average_wait_seconds: Mean,
      average_handle_seconds: Mean,
      topics: z.array(z.object({ topic: z.string(), arrivals: z.number().int(), average_wait_seconds: Mean, average_handle_seconds: Mean })),
    }),
  ),
  intervals: z.array(
    z.object({
      interval_start: z.string().describe('local wall time YYYY-MM-DDTHH:MM'),
      weekday: z.number().int().describe('ISO weekday, 1 = Monday'),
      channel: z.enum(CONTACT_CHANNELS),
      topic: z.string().nullable(),
      arrivals: z.number().int(),
      average_wait_seconds: Mean,
      average_handle_seconds: Mean,
    }),
  ),
});
export type History = z.infer<typeof History>;

export const ContactCalendarQuery = z.object({
  from: isoDate.optional().describe('first local day (default: 364 days before `to`)'),
  to: isoDate.optional().describe('last local day, inclusive (default: the latest event)'),
  time_zone: TimeZone,
  topic: multi(CONTACT_TOPICS).describe('contact topics to count (default all)'),
});
const CurvePoint = z.object({ days: z.number().int(), contacts: z.number().int(), per_1000_invoices: z.number(), first_invoice_per_1000: z.number(), later_per_1000: z.number() });
export const ContactCalendar = z.object({
  from: z.string(),
  to: z.string(),
  time_zone: z.string(),
  topics: z.array(z.string()).nullable(),
  invoices: z.number().int(),
  since_dispatch: z.array(CurvePoint).describe('contacts by days since the customer’s latest invoice was sent'),
  from_due: z.array(CurvePoint).describe('contacts by days from that invoice’s due date (negative = before)'),
  by_stage: z.array(z.object({ stage: z.enum(['first', 'first_year', 'other']), invoices: z.number().int(), contacts_within_30_days: z.number().int(), contacts_per_1000_invoices: z.number().nullable() })),
  note: z.string(),
});
export type ContactCalendar = z.infer<typeof ContactCalendar>;

/** The weeks a plan covers, from the as-of date, in intervals of local time: every plan's first parameters. */
export const planWeeks = (defaultWeeks: number) => ({
  as_of: AsOf,
  weeks: z.coerce.number().int().min(1).max(8).default(defaultWeeks).describe(`weeks to plan (default ${defaultWeeks})`),
  interval_minutes: IntervalMinutes,
  time_zone: TimeZone,
});

export const PlanQuery = z.object({
  ...planWeeks(4),
  ...StaffingParams,
  scenario: z
    .preprocess((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]), z.array(z.string().max(200)).max(10))
    .optional()
    .describe(`what-if scenarios applied to the plan: ${SCENARIOS.join(', ')}, each optionally with a share in percent, e.g. direct_debit:30,soft_reminders`),
  evidence_days: z.coerce.number().int().min(60).max(720).default(180).describe('days of due dates the scenario relationships are measured on (default 180)'),
  intervals: bool.default(true).describe('include the interval table (default true)'),
  format: z.enum(['json', 'csv']).default('json').describe('csv = the interval table as CSV'),
});
export type PlanQuery = z.infer<typeof PlanQuery>;

export const EvidenceSchema = z.object({
  key: z.string(),
  label: z.string(),
  numerator: z.number(),
  denominator: z.number(),
  value: z.number().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable().describe('95 % Wilson interval (proportions only)'),
});

const Coefficients = z.record(z.string(), z.number());
const ModelDescription = z.object({
  kind: z.string(),
  fitted_from: z.string(),
  fitted_days: z.number().int(),
  weekend_deferral: z.number().describe('share of weekend demand that arrives the next Monday'),
  dispersion: z.number().describe('residual variance / mean of the pooled daily series'),
  drivers: z.array(z.object({ key: z.string(), label: z.string(), unit: z.string(), pooled: z.number() })),
  channels: z.array(
    z.object({
      channel: z.enum(CONTACT_CHANNELS),
      mean_contacts_per_day: z.number(),
      share_of_contacts: z.number(),
      rmse_per_day: z.number(),
      aht_seconds: z.number(),
      aht_measured_contacts: z.number(),
      weekday_factors: z.array(z.number()),
      coefficients: Coefficients,
    }),
  ),
  projection: z.object({
    monthly_churn: z.number(),
    billed_customers: z.number(),
    first_invoices_per_month: z.number(),
    active_trend_per_day: z.number(),
    lags: z.record(z.string(), z.object({ per_invoice: z.number(), invoices: z.number(), mean_lag_days: z.number().nullable() })),
  }),
  outliers: z
    .object({
      rule: z.string(),
      days: z.array(
        z.object({
          date: z.string().describe('local date'),
          weekday: z.number().int().describe('ISO weekday, 1 = Monday'),
          series: z.enum([...CONTACT_CHANNELS, 'all']).describe('the series that flagged it (all channels together, or one channel)'),
          contacts: z.number().describe('contacts that day in that series'),
          expected: z.number().describe('what the fit without outliers expects that day'),
          z: z.number().describe('robust z-score of the scaled residual'),
        }),
      ),
    })
    .describe('days excluded from the fit as outliers; they still count in the history and the back-test'),
});

const ContactDelta = z.object({ total: z.number(), by_topic: z.record(z.string(), z.number()), by_channel: z.record(z.string(), z.number()) });
export const ScenarioEffectSchema = z.object({
  scenario: z.enum([...SCENARIOS, 'combined']),
  label: z.string(),
  share: z.number().nullable(),
  monthly: z.record(z.enum(EFFECT_ITEMS), z.number()).describe('change in counts per month'),
  one_off: z.object({ direct_debit_activations: z.number() }),
  contacts_per_month: ContactDelta,
  fee_revenue_per_month: z.number(),
  assumptions: z.array(z.string()),
});

const ScenarioChannel = z
  .object({
    forecast_factor: z.number(),
    forecast_contacts: z.number(),
    workload_hours_per_week: z.number(),
    agent_hours_per_week: z.number().nullable(),
    rostered_hours_per_week: z.number().nullable(),
    peak_agents_with_shrinkage: z.number().nullable(),
    rostered_hours_saved_per_week: z.number().nullable(),
    intervals_with_fewer_agents: z.number().nullable(),
    intervals_with_more_agents: z.number().nullable(),
  })
  .nullable();
const HeatCell = z.object({ weekday: z.number().int(), slot: z.string(), agents: z.number(), contacts: z.number() });

/** Which interval of which channel, and the contacts forecast in it: the start of every per-interval row a plan lists. */
export const forecastInterval = <C extends readonly [string, ...string[]]>(channels: C) => ({
  interval_start: z.string().describe('local wall time YYYY-MM-DDTHH:MM'),
  weekday: z.number().int(),
  channel: z.enum(channels),
  forecast_contacts: z.number(),
});

export const Plan = z.object({
  as_of: z.string(),
  start: z.string(),
  end: z.string(),
  time_zone: z.string(),
  interval_minutes: z.number().int(),
  weeks: z.number().int(),
  parameters: z.object({ service_level: z.number(), target_seconds: z.number(), max_occupancy: z.number(), shrinkage: z.number(), response_target_hours: z.number(), chat_concurrency: z.number(), open_from: z.string(), open_to: z.string() }),
  channels: z.array(
    z.object({
      channel: z.enum(CONTACT_CHANNELS),
      staffing: z.enum(['erlang_c', 'workload', 'not_staffed']),
      aht_seconds: z.number(),
      aht_measured_contacts: z.number(),
      effective_aht_seconds: z.number(),
      forecast_contacts: z.number(),
      forecast_contacts_per_week: z.number(),
      workload_hours_per_week: z.number(),
      agent_hours_per_week: z.number().nullable(),
      rostered_hours_per_week: z.number().nullable(),
      peak_agents: z.number().nullable(),
      peak_agents_with_shrinkage: z.number().nullable(),
      min_service_level: z.number().nullable(),
      drain_intervals: z.number().int(),
      scenario: ScenarioChannel,
      note: z.string(),
    }),
  ),
  totals: z.object({
    forecast_contacts_per_week: z.number(),
    workload_hours_per_week: z.number(),
    agent_hours_per_week: z.number(),
    rostered_hours_per_week: z.number(),
    peak_rostered_agents: z.number().int().describe('most agents rostered at the same time, staffed channels together'),
    scenario: z
      .object({ forecast_contacts_per_week: z.number(), workload_hours_per_week: z.number(), agent_hours_per_week: z.number(), rostered_hours_per_week: z.number(), peak_rostered_agents: z.number().int() })
      .nullable(),
  }),
  heatmap: z.object({ weekdays: z.array(z.number().int()), cells: z.array(HeatCell), scenario_cells: z.array(HeatCell).nullable() }).describe('mean rostered agents of the staffed channels per weekday and interval'),
  daily: z.array(z.object({ date: z.string(), channel: z.enum(CONTACT_CHANNELS), forecast_contacts: z.number(), rostered_hours: z.number().nullable() })),
  intervals: z
    .array(
      z.object({
        ...forecastInterval(CONTACT_CHANNELS),
        agents: z.number().int().nullable(),
        agents_with_shrinkage: z.number().int().nullable(),
        service_level: z.number().nullable(),
        occupancy: z.number().nullable(),
        average_speed_of_answer_seconds: z.number().nullable(),
        backlog_seconds: z.number().nullable(),
        scenario_forecast_contacts: z.number().nullable(),
        scenario_agents_with_shrinkage: z.number().int().nullable(),
      }),
    )
    .nullable(),
  scenario: ScenarioEffectSchema.nullable(),
  evidence: z.array(EvidenceSchema).nullable().describe('the measured relationships the scenario rests on'),
  model: ModelDescription,
  notes: z.array(z.string()),
});
export type Plan = z.infer<typeof Plan>;

export const BacktestQuery = z.object({
  as_of: AsOf,
  weeks: z.coerce.number().int().min(1).max(12).default(4).describe('held-out weeks, each forecast from the data before it (default 4)'),
  interval_minutes: IntervalMinutes,
  time_zone: TimeZone,
});
const ErrorSet = z.object({
  daily_wape: z.number().nullable(),
  daily_mape: z.number().nullable(),
  mape_days: z.number().int(),
  bias: z.number().nullable(),
  interval_rmse: z.number().nullable(),
  interval_wape: z.number().nullable(),
});
export const Backtest = z.object({
  time_zone: z.string(),
  interval_minutes: z.number().int(),
  weeks: z.number().int(),
  held_out: z.object({ from: z.string(), to: z.string() }),
  origins: z.array(z.object({ origin: z.string(), weekend_deferral: z.number(), fitted_days: z.number().int() })),
  channels: z.array(
    z.object({
      channel: z.enum([...CONTACT_CHANNELS, 'all']),
      actual_contacts: z.number(),
      forecast_contacts: z.number(),
      model: ErrorSet,
      seasonal_naive: ErrorSet,
      skill: z.number().nullable().describe('1 − daily WAPE(model) / daily WAPE(seasonal naive)'),
      interval_skill: z.number().nullable().describe('1 − interval RMSE(model) / interval RMSE(seasonal naive)'),
      beats_seasonal_naive: z.boolean().nullable().describe('true only when the 95 % interval of the daily-WAPE difference lies below zero and the interval RMSE is lower too'),
      wape_difference: z
        .object({ estimate: z.number().nullable(), lower: z.number().nullable(), upper: z.number().nullable(), days: z.number().int(), method: z.string() })
        .describe('daily WAPE(model) − daily WAPE(seasonal naive) with its 95 % interval (paired moving-block bootstrap over the held-out days)'),
      verdict: z
        .object({
          comparison: z.enum(['beats', 'worse', 'no_clear_difference', 'not_judged']),
          plannable: z.boolean().nullable().describe('false when the daily WAPE exceeds 30 %: too uncertain to plan on'),
          statement: z.string().describe('the sentence the dashboard titles the forecast with'),
        })
        .describe('what may be said about the forecast (service/staffing/forecast-verdict.ts)'),
      note: z.string().optional(),
    }),
  ),
  daily: z.array(z.object({ date: z.string(), channel: z.enum([...CONTACT_CHANNELS, 'all']), actual: z.number(), forecast: z.number(), seasonal_naive: z.number() })),
  method: z.string(),
});
export type Backtest = z.infer<typeof Backtest>;

const SharePct = (def: number, what: string) => z.coerce.number().min(0).max(100).default(def).describe(`${what}, in percent (default ${def})`);
export const ScenarioShareParams = {
  direct_debit: SharePct(25, 'share of manual payers moved to direct debit'),
  soft_reminders: SharePct(100, 'share of manual payers without soft reminders who get them'),
  paper_to_digital: SharePct(50, 'share of paper invoices moved to digital'),
  waive_disputed_fees: SharePct(100, 'share of disputed fees waived'),
};

export const UnitMinuteParams = Object.fromEntries(
  TIME_THIEVES.map((t) => [`minutes_${t}`, num(0, 600).default(DEFAULT_UNIT_MINUTES[t]).describe(`handling minutes per ${t.replace(/_/g, ' ')} (default ${DEFAULT_UNIT_MINUTES[t]})`)]),
) as Record<`minutes_${(typeof TIME_THIEVES)[number]}`, z.ZodDefault<z.ZodCoercedNumber>>;

export const ScenariosQuery = z.object({
  as_of: AsOf,
  time_zone: TimeZone,
  evidence_days: z.coerce.number().int().min(60).max(720).default(180).describe('days of due dates the relationships are measured on (default 180)'),
  weeks: z.coerce.number().int().min(1).max(8).default(4).describe('weeks of plan the agent hours are computed over (default 4)'),
  interval_minutes: IntervalMinutes,
  ...StaffingParams,
  ...ScenarioShareParams,
  ...UnitMinuteParams,
});
export type ScenariosQuery = z.infer<typeof ScenariosQuery>;

const ScenarioSummary = z.object({
  scenario: z.enum([...SCENARIOS, 'combined']),
  label: z.string(),
  share: z.number().nullable(),
  effect: ScenarioEffectSchema,
  contacts_per_week: z.number().describe('change in forecast contacts per week (negative = fewer)'),
  workload_hours_per_week: z.number(),
  agent_hours_per_week: z.number(),
  rostered_hours_per_week: z.number().describe('change in rostered agent hours per week (negative = saved)'),
  peak_agents_with_shrinkage: z.number().describe('change in the most agents rostered at the same time (staffed channels together)'),
  time_thief_hours_per_month: z.number().describe('change in admin hours per month (negative = saved)'),
  one_off_hours: z.number(),
});
export const Scenarios = z.object({
  as_of: z.string(),
  window: z.object({ from: z.string(), to: z.string(), days: z.number().int() }),
  baseline: z.object({
    contacts_per_week: z.number(),
    workload_hours_per_week: z.number(),
    agent_hours_per_week: z.number(),
    rostered_hours_per_week: z.number(),
    peak_rostered_agents: z.number().int(),
    time_thief_hours_per_month: z.number(),
  }),
  scenarios: z.array(ScenarioSummary),
  evidence: z.array(EvidenceSchema),
  rates: z.record(z.string(), z.number()),
  note: z.string(),
});
export type Scenarios = z.infer<typeof Scenarios>;

export const TimeThievesQuery = z.object({
  as_of: AsOf,
  time_zone: TimeZone,
  months: z.coerce.number().int().min(3).max(36).default(12).describe('complete months shown (default 12)'),
  evidence_days: z.coerce.number().int().min(60).max(720).default(180),
  ...ScenarioShareParams,
  ...UnitMinuteParams,
});
export type TimeThievesQuery = z.infer<typeof TimeThievesQuery>;

export const TimeThieves = z.object({
  as_of: z.string(),
  time_zone: z.string(),
  months: z.array(z.string()),
  unit_minutes: z.record(z.enum(TIME_THIEVES), z.number()),
  items: z.array(
    z.object({
      item: z.enum(TIME_THIEVES),
      label: z.string(),
      unit_minutes: z.number(),
      monthly: z.array(z.object({ month: z.string(), count: z.number().int(), hours: z.number() })),
      run_rate: z.object({ count_per_month: z.number(), hours_per_month: z.number() }),
      trend: z.object({ hours_per_month_per_month: z.number().nullable(), change_last_3_vs_first_3: z.number().nullable() }),
      note: z.string().optional(),
    }),
  ),
  totals: z.array(z.object({ month: z.string(), hours: z.number() })),
  run_rate_hours_per_month: z.number(),
  scenarios: z.array(
    z.object({
      scenario: z.enum([...SCENARIOS, 'combined']),
      label: z.string(),
      share: z.number().nullable(),
      items: z.array(z.object({ item: z.enum(TIME_THIEVES), count_per_month: z.number(), hours_per_month: z.number() })),
      hours_per_month: z.number(),
      one_off_hours: z.number(),
      one_off_direct_debit_activations: z.number(),
    }),
  ),
  note: z.string(),
});
export type TimeThieves = z.infer<typeof TimeThieves>;
