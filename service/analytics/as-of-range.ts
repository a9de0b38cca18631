/**
 * An analysis date must lie inside the data. Before the first event every population is empty and
 * after the last one nothing more can have happened, yet both used to answer as if it were a
 * real month ("churn 0.0 % in Jan 2030"). This module checks an as-of date against the calendar
 * and against the days the events span, and refuses with the range, so a client can offer the
 * latest date instead. It is called from the shared query parsing (http/query.ts), once per
 * request, and the range is cached per data version.
 */
import type { Database } from '../db/database.ts';
import { sql } from '../db/sql-files.ts';
import { AnalysisRefusedError } from './errors.ts';

export interface DataRange {
  first_day: string;
  last_day: string;
}

/** The days (UTC) the events span, or null on an empty store. */
export function eventDateRange(db: Database): Promise<DataRange | null> {
  return db.cache.memo('event-date-range', '', () =>
    db.withConnection(async (c) => {
      const r = (await c.runAndReadAll(sql('event_date_range'))).getRowObjects()[0];
      return r?.first_day ? { first_day: String(r.first_day), last_day: String(r.last_day) } : null;
    }),
  );
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Why a YYYY-MM-DD string is not a calendar date (2026-02-30), or null when it is one. A string of
 * another shape is left to the schema, whose message already names the format.
 */
export function calendarProblem(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12) return `${value} is not a date: there is no month ${m[2]} (months run 01–12)`;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d < 1 || d > days) return `${value} is not a date: ${MONTHS[mo - 1]} ${y} has ${days} days`;
  return null;
}

export class AsOfOutOfRangeError extends AnalysisRefusedError {}

/** Refuses an as-of date outside the data's days (422 `as_of_out_of_range`, with the range and the latest date to use). */
export async function checkAsOfInRange(db: Database, asOf: string | undefined): Promise<void> {
  if (asOf === undefined) return;
  const range = await eventDateRange(db);
  // No data yet: every analysis is empty whatever the date, and says so itself.
  if (!range) return;
  if (asOf < range.first_day || asOf > range.last_day) {
    const side = asOf < range.first_day ? 'before the first event' : 'after the last event';
    throw new AsOfOutOfRangeError(
      'as_of_out_of_range',
      `as_of ${asOf} is ${side}: the data runs from ${range.first_day} to ${range.last_day}. Choose a date in that range (the latest is ${range.last_day}).`,
      { as_of: asOf, first_day: range.first_day, last_day: range.last_day, latest: range.last_day },
    );
  }
}
