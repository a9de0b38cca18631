/**
 * Events as Parquet, the hand-off format for engines beyond one machine: a Hive-partitioned tree
 * (year=/month=/type=) that ClickHouse, Trino, Spark and DuckDB read as one table, or a single
 * file for a download. Paths are created by the service, never taken from a request.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../db/database.ts';

const SELECT_EVENTS = `SELECT *, year(occurred_at) AS year, lpad(month(occurred_at)::VARCHAR, 2, '0') AS month FROM events`;
const quotePath = (p: string) => `'${p.replaceAll("'", "''")}'`;

export async function exportPartitioned(db: Database, outDir: string): Promise<{ files: string[]; events: number }> {
  fs.mkdirSync(outDir, { recursive: true });
  const events = await db.withConnection(async (c) => {
    await c.run(`COPY (${SELECT_EVENTS}) TO ${quotePath(outDir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month, type), OVERWRITE_OR_IGNORE)`);
    return Number((await c.runAndReadAll(`SELECT count(*) AS n FROM events`)).getRowObjects()[0].n);
  });
  const files = (fs.readdirSync(outDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.parquet')).sort();
  return { files, events };
}

export async function exportSingleFile(db: Database, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await db.withConnection((c) => c.run(`COPY (${SELECT_EVENTS} ORDER BY occurred_at) TO ${quotePath(file)} (FORMAT parquet, COMPRESSION zstd)`));
}
