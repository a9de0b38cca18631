/**
 * GDPR right to erasure (docs/api.md, DELETE /v1/customers/{id}): every row about one customer goes,
 * in one transaction — their events, the rejected rows that carry their id, and every derived
 * table keyed by customer_id (invoice and fee facts, current customer facts, and any derived table
 * added later: they are found through the catalogue rather than listed here, so a new one cannot
 * be forgotten). The commit bumps the database version, so every cached analysis base, score and
 * audience built from the old data is invalidated. The derived-facts upkeep is allowed to settle
 * first and its lock is held (FactsUpkeep.held), since it writes the same derived tables. A checkpoint then folds the deletion into the
 * database file instead of leaving it only in the write-ahead log. With the Spark engine, the lake's
 * files that hold the customer are rewritten without them (`erased.lake_events` counts those rows).
 */
import type { Engine } from '../analytics/runner.ts';
import { sql } from '../db/sql-files.ts';
import type { ErasureResult } from '../offers/contracts.ts';

const total = (counts: Record<string, number>) => Object.values(counts).reduce((s, n) => s + n, 0);

export async function eraseCustomer(engine: Engine, customerId: string): Promise<ErasureResult | null> {
  const db = engine.db;
  // Let the derived-facts upkeep finish first, then hold its lock: catch-ups, base builds and
  // deferred base drops write the same tables in transactions of their own (a drop beside this
  // transaction aborted it with a 500, found by schemathesis in CI).
  await engine.upkeep.settle();
  const erased = await engine.upkeep.held(() => db.transaction(async (c) => {
    const tables = (
      await c.runAndReadAll(
        `SELECT DISTINCT c.table_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_catalog = current_database() AND c.table_schema = 'main' AND c.column_name = 'customer_id' AND t.table_type = 'BASE TABLE'
         ORDER BY c.table_name`,
      )
    ).getRowObjects().map((r) => String(r.table_name));
    const counts: Record<string, number> = {};
    // Events first: nothing found there or anywhere else means there is no such customer.
    for (const table of ['events', ...tables.filter((t) => t !== 'events')]) {
      const result = await c.run(`DELETE FROM main."${table.replaceAll('"', '""')}" WHERE customer_id = $id`, { id: customerId });
      counts[table] = Number(result.rowsChanged);
    }
    counts.rejected_rows = Number((await c.run(sql('customers/erase_rejected_rows'), { customer_id: customerId, quoted_id: JSON.stringify(customerId) })).rowsChanged);
    // Staffing's per-zone sums cannot be unpicked per customer: they go, and are built again on next use.
    if (total(counts) > 0) await engine.calendars.forget(c);
    // A default window being built ahead from an older snapshot may hold them: it is built again.
    engine.cache.erased();
    return counts;
  }));
  // With the Spark engine the lake holds the events too: its files are rewritten without them
  // (service/export/lake.ts), after the commit above, so no batch written meanwhile escapes.
  if (engine.lake) erased.lake_events = await engine.lake.erase(customerId);
  const sum = total(erased);
  if (sum === 0) return null;
  if (db.path !== ':memory:') await db.withConnection((c) => c.run('CHECKPOINT')).catch(() => undefined);
  return { customer_id: customerId, erased, total: sum };
}
