/**
 * How many times each event id is stored in a stopped service's database file: the check the
 * crash, backup and storage tests make that nothing acknowledged was lost or stored twice.
 */
import path from 'node:path';
import { Database } from '../../service/db/database.ts';

export async function storedEventCounts(dataDir: string): Promise<Map<string, number>> {
  const db = await Database.open({ path: path.join(dataDir, 'invoice-pulse.duckdb') });
  try {
    const rows = await db.withConnection(async (c) => (await c.runAndReadAll(`SELECT event_id, count(*)::INT AS n FROM events GROUP BY event_id`)).getRowObjectsJson());
    return new Map(rows.map((r) => [String(r.event_id), Number(r.n)]));
  } finally {
    await db.close();
  }
}
