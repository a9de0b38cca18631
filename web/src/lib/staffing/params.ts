/**
 * The Staffing page's parameters live in the URL like the filters do (shareable, survive a reload,
 * back/forward). Names and defaults are the API's (service/staffing/contracts.ts); percentages are
 * shown as percent and sent as the fractions the API expects. An empty field means "the API's
 * default", which the form shows as a placeholder.
 */
import { CONTACT_CHANNELS } from '$service/events/contract.ts';

export interface NumberParam {
  name: string;
  label: string;
  min: number;
  max: number;
  step: number;
  fallback: number;
  /** Shown in percent, sent as a fraction. */
  percent?: boolean;
  unit?: string;
}

export const STAFFING_PARAMS: readonly NumberParam[] = [
  { name: 'service_level', label: 'Service level', min: 1, max: 99.9, step: 1, fallback: 80, percent: true, unit: '%' },
  { name: 'target_seconds', label: 'answered within', min: 0, max: 3600, step: 5, fallback: 20, unit: 's' },
  { name: 'max_occupancy', label: 'Max occupancy', min: 10, max: 100, step: 1, fallback: 85, percent: true, unit: '%' },
  { name: 'shrinkage', label: 'Shrinkage', min: 0, max: 90, step: 1, fallback: 30, percent: true, unit: '%' },
  { name: 'response_target_hours', label: 'E-mail reply within', min: 1, max: 168, step: 1, fallback: 24, unit: 'h' },
  { name: 'chat_concurrency', label: 'Chats per agent', min: 1, max: 5, step: 1, fallback: 1 },
];

export const SCENARIO_PARAMS: readonly (NumberParam & { key: 'direct_debit' | 'soft_reminders' | 'paper_to_digital' | 'waive_disputed_fees' })[] = [
  { key: 'direct_debit', name: 'direct_debit', label: 'Manual payers → direct debit', min: 0, max: 100, step: 5, fallback: 25, unit: '%' },
  { key: 'soft_reminders', name: 'soft_reminders', label: 'Soft reminders', min: 0, max: 100, step: 5, fallback: 100, unit: '%' },
  { key: 'paper_to_digital', name: 'paper_to_digital', label: 'Paper → digital', min: 0, max: 100, step: 5, fallback: 50, unit: '%' },
  { key: 'waive_disputed_fees', name: 'waive_disputed_fees', label: 'Disputed fees waived', min: 0, max: 100, step: 5, fallback: 100, unit: '%' },
];

export const WEEKS = [1, 2, 3, 4, 6, 8] as const;
export const INTERVALS = [15, 30, 60] as const;
export const TIME_ZONES = ['UTC', 'Europe/Stockholm', 'Europe/Oslo', 'Europe/Copenhagen', 'Europe/Helsinki'] as const;
export const CHANNELS = ['all', ...CONTACT_CHANNELS] as const;
export type ChannelChoice = (typeof CHANNELS)[number];

export const CHANNEL_LABELS: Record<string, string> = {
  all: 'All channels',
  phone: 'Phone',
  chat: 'Chat',
  email: 'E-mail',
  invoice_message: 'Invoice message',
  sms: 'SMS',
  social: 'Social',
};

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** A number parameter from the URL, clamped to its range, or undefined (= API default). */
export function readNumber(params: URLSearchParams, p: NumberParam): number | undefined {
  const v = params.get(p.name);
  if (v === null || v.trim() === '' || !Number.isFinite(Number(v))) return undefined;
  return Math.min(p.max, Math.max(p.min, Number(v)));
}

export function readTime(params: URLSearchParams, name: string): string | undefined {
  const v = params.get(name);
  return v && HHMM.test(v) ? v : undefined;
}

export function readChoice<T extends string | number>(params: URLSearchParams, name: string, allowed: readonly T[], fallback: T): T {
  const v = params.get(name);
  const found = allowed.find((a) => String(a) === v);
  return found ?? fallback;
}

/** The API query of the plan (and, with the shares, of the scenarios) from the page URL. */
export function staffingQuery(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  const asOf = params.get('as_of');
  if (asOf && /^\d{4}-\d{2}-\d{2}$/.test(asOf)) out.as_of = asOf;
  out.weeks = String(readChoice(params, 'weeks', WEEKS, 4));
  out.interval_minutes = String(readChoice(params, 'interval_minutes', INTERVALS, 30));
  out.time_zone = readChoice(params, 'time_zone', TIME_ZONES, 'UTC');
  for (const p of STAFFING_PARAMS) {
    const v = readNumber(params, p);
    if (v !== undefined) out[p.name] = String(p.percent ? v / 100 : v);
  }
  const from = readTime(params, 'open_from');
  const to = readTime(params, 'open_to');
  if (from) out.open_from = from;
  if (to) out.open_to = to;
  return out;
}

/** Scenario shares (percent) from the URL, defaults where unset. */
export function scenarioShares(params: URLSearchParams): Record<string, number> {
  return Object.fromEntries(SCENARIO_PARAMS.map((p) => [p.name, readNumber(params, p) ?? p.fallback]));
}
