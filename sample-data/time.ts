/**
 * Time as integer epoch seconds (UTC) and fast text rendering of it. The generator formats tens of
 * millions of timestamps, and Date#toISOString per event would dominate the run time, so the
 * "YYYY-MM-DD" part is cached per day and the clock part is assembled from a two-digit table. All
 * timestamps are whole seconds with a `Z` suffix, as docs/event-contract.md accepts and as keeps output stable.
 */

export const DAY = 86_400;
export const HOUR = 3_600;

const TWO: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);
const dayCache = new Map<number, string>();

/** "YYYY-MM-DD" of the UTC day with the given day number (epoch seconds / 86 400). */
export function dateOfDay(dayNumber: number): string {
  let s = dayCache.get(dayNumber);
  if (s === undefined) {
    s = new Date(dayNumber * DAY * 1000).toISOString().slice(0, 10);
    dayCache.set(dayNumber, s);
  }
  return s;
}

/** "YYYY-MM-DD" of the day holding t. */
export function dateOf(t: number): string {
  return dateOfDay(Math.floor(t / DAY));
}

/** RFC 3339 UTC, second precision: "2026-10-31T23:59:59Z". */
export function iso(t: number): string {
  const day = Math.floor(t / DAY);
  let sod = t - day * DAY;
  const h = (sod / HOUR) | 0;
  sod -= h * HOUR;
  const m = (sod / 60) | 0;
  return dateOfDay(day) + 'T' + TWO[h] + ':' + TWO[m] + ':' + TWO[sod - m * 60] + 'Z';
}

/** Epoch seconds of the first instant of a UTC calendar month (month may over/underflow). */
export function monthStart(year: number, month0: number): number {
  return Date.UTC(year, month0, 1) / 1000;
}

export function parseInstant(text: string): number {
  const ms = Date.parse(text.length === 10 ? text + 'T23:59:59Z' : text);
  if (!Number.isFinite(ms)) throw new Error(`not a date: ${text}`);
  return Math.floor(ms / 1000);
}

export function yearOf(t: number): number {
  return new Date(t * 1000).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfDay(dayNumber: number): number {
  return (dayNumber + 4) % 7;
}

/**
 * Offset of Nordic local time from UTC in hours at instant t (CET/CEST, Finland EET/EEST): people
 * call customer service by their own clock, so office hours are placed in local time.
 */
export function localOffsetHours(t: number, eastern: boolean): number {
  const y = Math.floor(1970 + t / (365.2425 * DAY));
  let dst = dstCache.get(y);
  if (dst === undefined) {
    // 01:00 UTC on the last Sundays of March and October.
    dst = [lastSundayUtc(y, 2) + HOUR, lastSundayUtc(y, 9) + HOUR];
    dstCache.set(y, dst);
  }
  const base = eastern ? 2 : 1;
  return t >= dst[0] && t < dst[1] ? base + 1 : base;
}

const dstCache = new Map<number, [number, number]>();

function lastSundayUtc(year: number, month0: number): number {
  const last = Date.UTC(year, month0 + 1, 0) / 1000;
  const day = Math.floor(last / DAY);
  return (day - weekdayOfDay(day)) * DAY;
}

/**
 * Month starts of a window of `months` calendar months whose last month holds `end`; the extra
 * last entry is the exclusive end of that month.
 */
export function monthStartsFor(end: number, months: number): number[] {
  const d = new Date(end * 1000);
  const out: number[] = [];
  for (let m = 0; m <= months; m++) out.push(monthStart(d.getUTCFullYear(), d.getUTCMonth() - months + 1 + m));
  return out;
}
