/**
 * The text of queries/analysis_base.sql, over the events table or over a table of the touched
 * customers' events. The incremental upkeep recomputes only the customers that new batches touched,
 * but each of the statement's scans still reads every event to find them; with the touched
 * customers' events copied once into a temp table, every stored base reads that instead, so a
 * catch-up costs in proportion to the batch (and those customers' histories), not to all events.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sql } from '../db/sql-files.ts';

export function analysisBaseSql(events = 'events'): string {
  return sql('analysis_base', { events });
}

/**
 * Copies every event of the customers with an event in the batches ($after, $upto] into the temp
 * table `name` on `connection` (inside the caller's transaction).
 */
export async function copyTouchedEvents(connection: DuckDBConnection, name: string, after: number, upto: number): Promise<void> {
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${name} AS
       SELECT * FROM events WHERE customer_id IN (SELECT DISTINCT customer_id FROM events WHERE batch_id > $after AND batch_id <= $upto)`,
    { after, upto },
  );
}
