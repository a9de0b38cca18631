/**
 * Request and response schemas of the shift plan, the named agents and the roster (issue #16),
 * apart from the plan's contracts.ts so the two can evolve separately. As for the plan, every
 * parameter is a query parameter with a documented default, so a shift plan is reproducible from
 * its URL; the agents are the one stored input (PUT, admin). The routes validate with these, the
 * OpenAPI document is generated from them, and the dashboard imports the inferred types.
 */
import { z } from 'zod';
import { bool, forecastInterval, planWeeks, PlanQuery, ScenarioShareParams, StaffingParams } from './contracts.ts';
import { SCENARIOS } from './scenarios.ts';
import { DEFAULT_OPENING, parseOpeningHours } from './shift-design.ts';

export const SHIFT_CHANNELS = ['phone', 'chat', 'email', 'invoice_message'] as const;
export type ShiftChannel = (typeof SHIFT_CHANNELS)[number];

const list = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess((v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean)), z.array(item).min(1).max(max));

const Opening = (channel: ShiftChannel) =>
  z
    .string()
    .max(200)
    .default(DEFAULT_OPENING[channel])
    .transform((v, ctx) => {
      const parsed = parseOpeningHours(v);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    })
    .describe(`opening hours of ${channel.replace('_', ' ')}: weekday ranges and local times, e.g. "mon-fri 08:00-20:00; sat 10:00-16:00", or "closed" (default "${DEFAULT_OPENING[channel]}")`);

const { open_from: _from, open_to: _to, ...ErlangParams } = StaffingParams;

export const ShiftsQuery = z.object({
  ...planWeeks(1),
  ...ErlangParams,
  channel: list(z.enum(SHIFT_CHANNELS), 4).default(['phone', 'chat', 'email']).describe('channels to plan shifts for (default phone, chat, email)'),
  open_phone: Opening('phone'),
  open_chat: Opening('chat'),
  open_email: Opening('email'),
  open_invoice_message: Opening('invoice_message'),
  shift_lengths: list(z.coerce.number().min(1).max(12), 6).default([4, 6, 8]).describe('allowed shift lengths in hours, whole intervals (default 4,6,8)'),
  start_step_minutes: z.coerce.number().int().min(15).max(240).default(30).describe('shifts start every this many minutes from the opening, a multiple of the interval (default 30)'),
  start_times: list(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').transform((v) => Number(v.slice(0, 2)) * 60 + Number(v.slice(3))), 48)
    .optional()
    .describe('allowed shift start times, local HH:MM, e.g. 08:00,10:00,12:00 (default: every start_step_minutes from the opening)'),
  lunch_minutes: z.coerce.number().int().min(0).max(120).default(30).describe('unpaid lunch break in minutes, off the floor (default 30; 0 = none)'),
  lunch_from_hours: z.coerce.number().min(1).max(12).default(6).describe('shifts at least this long have a lunch (default 6)'),
  lunch_margin_hours: z.coerce.number().min(0).max(6).default(2).describe('the lunch is not in the first or last this many hours of a shift (default 2)'),
  lunch_paid: bool.default(false).describe('count the lunch as paid time (default false)'),
  objective: z.enum(['cover', 'weighted']).default('cover').describe('cover = least paid hours with every interval at or above the requirement; weighted = under- and over-staffing allowed at under_weight / over_weight per agent-hour (default cover)'),
  under_weight: z.coerce.number().min(0).max(1000).default(10).describe('weighted objective: cost of one agent-hour below the requirement (default 10)'),
  over_weight: z.coerce.number().min(0).max(1000).default(1).describe('weighted objective: cost of one agent-hour above the requirement (default 1)'),
  min_agents: z.coerce.number().int().min(0).max(1000).default(1).describe('fewest agents on duty per channel while it is open (default 1)'),
  max_agents: z.coerce.number().int().min(1).max(100_000).default(500).describe('most agents on duty per channel at once (seats, licences; default 500)'),
  hourly_rate: z.coerce.number().min(0).max(100_000).default(30).describe('cost of one paid hour, for the weekly cost (default 30)'),
  time_limit_seconds: z.coerce.number().min(0.1).max(60).default(5).describe('solver time limit for the whole plan, shared among the day × channel problems (default 5)'),
  scenario: PlanQuery.shape.scenario.describe(`what-if scenarios applied to the shift plan: ${SCENARIOS.join(', ')}, each optionally with a share in percent`),
  evidence_days: PlanQuery.shape.evidence_days,
  compare_scenarios: bool.default(false).describe('also plan shifts under each what-if scenario (shares below) and all together, and report the change in shifts and paid hours'),
  ...ScenarioShareParams,
  intervals: bool.default(true).describe('include the interval table (default true)'),
});
export type ShiftsQuery = z.infer<typeof ShiftsQuery>;

const SolverReport = z.object({
  engine: z.string(),
  problems: z.number().int().describe('MIPs solved: one per day and channel'),
  proven_optimal: z.number().int(),
  status: z.enum(['optimal', 'time_limit']),
  max_mip_gap: z.number().describe('largest relative MIP gap over the problems (0 = every one proven optimal)'),
  time_limit_seconds: z.number(),
  time_limit_per_problem_seconds: z.number().describe('the even share of the time limit; unused time passes on to the problems after'),
  max_columns: z.number().int(),
  max_rows: z.number().int(),
  integer_columns: z.number().int().describe('shift patterns over all problems'),
  solve_seconds: z.number(),
});

const Shift = z.object({
  date: z.string(),
  weekday: z.number().int(),
  channel: z.enum(SHIFT_CHANNELS),
  start: z.string().describe('local HH:MM'),
  end: z.string(),
  length_hours: z.number(),
  lunch_start: z.string().nullable(),
  lunch_end: z.string().nullable(),
  paid_hours: z.number(),
  agents: z.number().int().describe('agents starting this shift'),
  late: z.boolean().describe('ends after 18:00'),
  weekend: z.boolean(),
});

const Totals = z.object({
  shifts_per_week: z.number(),
  paid_hours_per_week: z.number(),
  required_hours_per_week: z.number(),
  under_staffed_hours_per_week: z.number(),
  over_staffed_hours_per_week: z.number(),
  hourly_rate: z.number(),
  weekly_cost: z.number(),
  min_service_level: z.number().nullable(),
});

/** What a shift plan and a roster cover: the as-of date, the first and last planned day, the zone, the weeks. */
const Horizon = { as_of: z.string(), start: z.string(), end: z.string(), time_zone: z.string(), weeks: z.number().int() };

export const ShiftPlanSchema = z.object({
  ...Horizon,
  interval_minutes: z.number().int(),
  objective: z.enum(['cover', 'weighted']),
  totals: Totals,
  solver: SolverReport,
  channels: z.array(
    z.object({
      channel: z.enum(SHIFT_CHANNELS),
      staffing: z.enum(['erlang_c', 'workload', 'not_staffed']),
      opening_hours: z.array(z.object({ weekday: z.number().int(), hours: z.string().nullable() })),
      shifts_per_week: z.number(),
      paid_hours_per_week: z.number(),
      required_hours_per_week: z.number().describe('agent-hours the plan requires (rostered, with shrinkage)'),
      rostered_hours_per_week: z.number().describe('agent-hours on duty'),
      under_staffed_hours_per_week: z.number(),
      over_staffed_hours_per_week: z.number(),
      weekly_cost: z.number(),
      min_service_level: z.number().nullable().describe('lowest service level any open interval reaches (Erlang C channels)'),
      intervals_below_target: z.number().int().nullable(),
    }),
  ),
  shifts: z.array(Shift),
  daily: z.array(
    z.object({
      date: z.string(),
      weekday: z.number().int(),
      channel: z.enum(SHIFT_CHANNELS),
      opening_hours: z.string().nullable(),
      shifts: z.number().int(),
      paid_hours: z.number(),
      required_hours: z.number(),
      rostered_hours: z.number(),
      under_staffed_hours: z.number(),
      over_staffed_hours: z.number(),
      mip_gap: z.number(),
      status: z.enum(['optimal', 'time_limit', 'infeasible']),
    }),
  ),
  intervals: z
    .array(
      z.object({
        ...forecastInterval(SHIFT_CHANNELS),
        effective_aht_seconds: z.number(),
        required_agents: z.number().int(),
        rostered_agents: z.number().int(),
        agents_on_contacts: z.number().int().nullable().describe('rostered × (1 − shrinkage), rounded down (Erlang C channels)'),
        service_level: z.number().nullable().describe('share answered within target_seconds with these agents (Erlang C forward)'),
      }),
    )
    .nullable()
    .describe('open intervals only'),
  scenario: z.object({ scenario: z.string(), label: z.string() }).nullable(),
  scenarios: z
    .array(
      z.object({
        scenario: z.enum([...SCENARIOS, 'combined']),
        label: z.string(),
        share: z.number().nullable(),
        shifts_per_week: z.number(),
        paid_hours_per_week: z.number(),
        weekly_cost: z.number(),
        change_shifts_per_week: z.number().describe('negative = fewer shifts'),
        change_paid_hours_per_week: z.number(),
        change_weekly_cost: z.number(),
      }),
    )
    .nullable(),
  notes: z.array(z.string()),
});
export type ShiftPlanResponse = z.infer<typeof ShiftPlanSchema>;

export const AgentSchema = z.object({
  agent_id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" or "-", at most 64').describe('stable id (used in the .ics file name)'),
  name: z.string().trim().min(1).max(100),
  contracted_hours_per_week: z.number().min(1).max(60),
  skills: z.array(z.enum(SHIFT_CHANNELS)).min(1).max(4),
  unavailable_weekdays: z.array(z.number().int().min(1).max(7)).max(7).default([]).describe('ISO weekdays, 1 = Monday'),
  unavailable_dates: z.array(z.iso.date()).max(366).default([]),
});
export const AgentsBody = z
  .object({ agents: z.array(AgentSchema).max(1000) })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.agents.forEach((a, i) => {
      if (seen.has(a.agent_id)) ctx.addIssue({ code: 'custom', path: ['agents', i, 'agent_id'], message: `duplicate agent_id "${a.agent_id}"` });
      seen.add(a.agent_id);
    });
  })
  .describe('the complete list of agents (replaces the stored one)');
export type AgentsBody = z.infer<typeof AgentsBody>;
export const AgentsResponse = z.object({ agents: z.array(AgentSchema), saved_at: z.string().nullable() });

export const RosterQuery = ShiftsQuery.omit({ compare_scenarios: true, intervals: true });
export type RosterQuery = z.infer<typeof RosterQuery>;

export const RosterSchema = z.object({
  ...Horizon,
  shift_plan: z.object({ totals: Totals, solver: SolverReport }),
  agents: z.array(
    z.object({
      agent_id: z.string(),
      name: z.string(),
      contracted_hours_per_week: z.number(),
      skills: z.array(z.enum(SHIFT_CHANNELS)),
      shifts: z.number().int(),
      paid_hours: z.number(),
      paid_hours_by_week: z.array(z.number()).describe('per plan week (7 days from the start); never above the contract'),
      late_shifts: z.number().int(),
      weekend_shifts: z.number().int(),
    }),
  ),
  assignments: z.array(Shift.omit({ agents: true }).extend({ agent_id: z.string(), name: z.string() })),
  unfilled: z.array(z.object({ date: z.string(), weekday: z.number().int(), channel: z.enum(SHIFT_CHANNELS), start: z.string(), end: z.string(), paid_hours: z.number(), agents: z.number().int() })),
  totals: z.object({ planned_shifts: z.number().int(), assigned_shifts: z.number().int(), unfilled_shifts: z.number().int(), unfilled_paid_hours: z.number() }),
  solver: z.object({ problems: z.number().int(), proven_optimal: z.number().int(), status: z.enum(['optimal', 'time_limit', 'infeasible']), max_mip_gap: z.number(), max_columns: z.number().int(), max_rows: z.number().int(), solve_seconds: z.number() }),
  notes: z.array(z.string()),
});
export type RosterResponse = z.infer<typeof RosterSchema>;
