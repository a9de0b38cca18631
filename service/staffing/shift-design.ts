/**
 * The shape of a working day: when each channel is open, and which shifts exist. A support lead
 * states these once ("phone and chat 08:00–20:00 on weekdays and 10:00–16:00 on Saturdays; shifts
 * of 4, 6 or 8 hours; a 30-minute unpaid lunch in shifts of 6 hours or more, not in the first or
 * last 2 hours"), and the optimiser may only pick from what they allow. Shifts lie inside the
 * opening hours of their day, start on the start grid (by default every interval), and every
 * allowed lunch start is its own pattern, so the optimiser also staggers lunches to keep the
 * phones covered. Short paid breaks are shorter than an interval and stay in the shrinkage; the
 * lunch, which empties the floor for a whole interval, is modelled. Opening hours are written as
 * `mon-fri 08:00-20:00; sat 10:00-16:00` (weekday ranges, `closed` for none), per channel.
 */
export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Per ISO weekday (index 0 = Monday): [open, close) in minutes of the local day, or null when closed. */
export type WeekHours = ([number, number] | null)[];

export const DEFAULT_OPENING: Record<string, string> = {
  phone: 'mon-fri 08:00-20:00; sat 10:00-16:00',
  chat: 'mon-fri 08:00-20:00; sat 10:00-16:00',
  email: 'mon-fri 08:00-17:00',
  invoice_message: 'mon-fri 08:00-17:00',
};

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Parses `mon-fri 08:00-20:00; sat 10:00-16:00`; returns the hours or a message saying what is wrong. */
export function parseOpeningHours(text: string): WeekHours | string {
  const week: WeekHours = new Array(7).fill(null);
  const spec = text.trim().toLowerCase();
  if (spec === 'closed') return week;
  for (const part of spec.split(';').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z]{3})(?:-([a-z]{3}))?\s+(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(part);
    if (!m) return `"${part}" is not "ddd[-ddd] HH:MM-HH:MM" (e.g. mon-fri 08:00-20:00)`;
    const from = WEEKDAY_NAMES.indexOf(m[1] as (typeof WEEKDAY_NAMES)[number]);
    const to = m[2] ? WEEKDAY_NAMES.indexOf(m[2] as (typeof WEEKDAY_NAMES)[number]) : from;
    if (from < 0 || to < 0 || to < from) return `"${part}": weekdays are mon, tue, wed, thu, fri, sat, sun, in order`;
    if (!TIME.test(m[3]) || !TIME.test(m[4]) || minutes(m[4]) <= minutes(m[3])) return `"${part}": the closing time must be after the opening time, both HH:MM`;
    for (let d = from; d <= to; d++) week[d] = [minutes(m[3]), minutes(m[4])];
  }
  return week;
}

export function formatHours(h: [number, number] | null): string | null {
  if (!h) return null;
  const f = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${f(h[0])}-${f(h[1])}`;
}

export interface ShiftRules {
  lengthsHours: number[];
  startStepMinutes: number;
  /** When given, shifts start only at these minutes of the day (still inside the opening hours). */
  startTimes: number[] | null;
  lunchMinutes: number;
  /** Shifts at least this long get a lunch. */
  lunchFromHours: number;
  /** The lunch starts at least this long after the shift starts and ends at least this long before it ends. */
  lunchMarginHours: number;
  lunchPaid: boolean;
}

export interface ShiftPattern {
  /** Minutes of the local day. */
  start: number;
  end: number;
  lengthHours: number;
  lunchStart: number | null;
  lunchEnd: number | null;
  paidHours: number;
  /** Interval indices of the day the agent is on duty (the lunch left out). */
  slots: number[];
}

/** Every shift the rules allow inside [open, close) of one day, at the interval grid. */
export function dayPatterns(hours: [number, number] | null, rules: ShiftRules, intervalMinutes: number): ShiftPattern[] {
  if (!hours) return [];
  const [open, close] = hours;
  const out: ShiftPattern[] = [];
  const align = (m: number) => Math.ceil(m / intervalMinutes) * intervalMinutes;
  const lunchSpan = align(rules.lunchMinutes);
  for (const lengthHours of rules.lengthsHours) {
    const length = lengthHours * 60;
    for (let start = align(open); start + length <= close; start += rules.startStepMinutes) {
      if (rules.startTimes && !rules.startTimes.includes(start)) continue;
      const end = start + length;
      const withLunch = rules.lunchMinutes > 0 && lengthHours >= rules.lunchFromHours;
      const lunchStarts: (number | null)[] = [];
      if (withLunch) {
        const margin = rules.lunchMarginHours * 60;
        for (let l = align(start + margin); l + lunchSpan <= end - margin; l += intervalMinutes) lunchStarts.push(l);
        // A shift too short for its margins still gets its lunch, in the middle.
        if (!lunchStarts.length) lunchStarts.push(align(start + (length - lunchSpan) / 2));
      } else lunchStarts.push(null);
      for (const lunch of lunchStarts) {
        const slots: number[] = [];
        for (let m = start; m < end; m += intervalMinutes) if (lunch === null || m < lunch || m >= lunch + lunchSpan) slots.push(m / intervalMinutes);
        out.push({
          start,
          end,
          lengthHours,
          lunchStart: lunch,
          lunchEnd: lunch === null ? null : lunch + lunchSpan,
          paidHours: lengthHours - (lunch !== null && !rules.lunchPaid ? rules.lunchMinutes / 60 : 0),
          slots,
        });
      }
    }
  }
  return out;
}
