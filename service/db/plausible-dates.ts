/**
 * The plausible range of event dates (DATE_MIN, DATE_MAX_DAYS_AHEAD) as a one-row table that the
 * validation SQL reads: the statement is generated once from the contract and takes only `$now`
 * as a parameter, so a configured bound reaches it as data rather than as spliced text. Rewritten
 * at every start, so a changed setting applies to the next ingest.
 */
import type { Database } from './database.ts';

export async function writePlausibleDates(db: Database, dates: { min: string; daysAhead: number }): Promise<void> {
  await db.transaction(async (c) => {
    await c.run(`DELETE FROM plausible_dates`);
    await c.run(`INSERT INTO plausible_dates VALUES ($min::DATE, $days)`, { min: dates.min, days: dates.daysAhead });
  });
}
