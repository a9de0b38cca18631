/**
 * Staffing happens in the contact centre's wall-clock time, not in UTC: a 09:00 peak stays at 09:00
 * across daylight saving, while in UTC it would jump by an hour twice a year and smear the intraday
 * profile. So the SQL buckets contacts in local time (DuckDB's ICU `timezone()`), and this module
 * does the arithmetic on local wall time as plain numbers: a local day is the count of days since
 * 1970-01-01 of the local calendar date, a local minute the minutes since its 00:00, both free of
 * offsets. The price: on the two DST change days a local day has 23 or 25 real hours, and the one
 * missing or doubled hour is simply not or twice planned, which is what a roster in local time does.
 */

export const MINUTES_PER_DAY = 1440;

const ZONES = new Set<string>(['UTC', ...(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [])]);

/** IANA zone names the runtime (and DuckDB's ICU, which knows the same database) accepts. */
export function isTimeZone(name: string): boolean {
  return ZONES.has(name);
}

/** YYYY-MM-DD of a local day number. */
export function dayToDate(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Local day number of a YYYY-MM-DD date. */
export function dateToDay(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

/** 'YYYY-MM-DD HH:MM:SS' local wall time of the start of a local day (for SQL parameters). */
export function dayStart(day: number): string {
  return `${dayToDate(day)} 00:00:00`;
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** 'YYYY-MM-DDTHH:MM' of a local minute (wall time; no offset, the zone is stated beside it). */
export function minuteToLocal(minute: number): string {
  return new Date(minute * 60_000).toISOString().slice(0, 16);
}

/** Day of the month (1–31) of a local day. */
export function dayOfMonth(day: number): number {
  return new Date(day * 86_400_000).getUTCDate();
}
