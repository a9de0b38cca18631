/**
 * The event store's totals, shared by /v1/health and /v1/ingestion/status: events, distinct
 * customer ids, rejected rows, batches, first and last event, in one statement (one snapshot).
 * The distinct ids are the one figure that would cost a scan of every event; the derived table
 * `event_customer_ids` (queries/facts/refresh_event_customers.sql) keeps them, and the statement
 * adds the ids of the batches the upkeep has not taken in yet, so the totals never lag ingestion.
 * An erasure deletes from that table like from every table keyed by customer_id, so no count has to
 * be redone after one. (The count used to be moved forward here, per batch watermark, by a scan of
 * the earlier events for the new ids: 0.13 s on the default set, 0.35 s in the service under the
 * dashboard bench's trickle, paid on nearly every call while events flowed.)
 */
import type { Database } from '../db/database.ts';
import { sql } from '../db/sql-files.ts';

export interface EventTotals {
  events: number;
  customers: number;
  rejected_rows: number;
  batches: number;
  first_event: string | null;
  last_event: string | null;
}

export async function eventTotals(db: Database): Promise<EventTotals> {
  const [t] = await db.withConnection(async (c) => (await c.runAndReadAll(sql('event_totals'))).getRowObjectsJson() as Record<string, unknown>[]);
  return {
    events: Number(t.events),
    customers: Number(t.customers),
    rejected_rows: Number(t.rejected_rows),
    batches: Number(t.batches),
    first_event: (t.first_event as string | null) ?? null,
    last_event: (t.last_event as string | null) ?? null,
  };
}
