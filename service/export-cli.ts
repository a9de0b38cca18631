/**
 * `npm run export -- --out <dir>`: writes every event of the configured database (DATA_DIR) as a
 * Hive-partitioned Parquet tree, year=/month=/type=. Stop the service first: DuckDB lets one
 * process open a database file.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from './config.ts';
import { Database } from './db/database.ts';
import { migrate } from './db/migrations.ts';
import { exportPartitioned } from './export/parquet.ts';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
if (!values.out) {
  console.error('usage: npm run export -- --out <dir>');
  process.exit(2);
}
const config = loadConfig();
const db = await Database.open({ path: config.dbPath, memoryLimit: config.memoryLimit });
await migrate(db);
const started = performance.now();
const result = await exportPartitioned(db, path.resolve(values.out));
await db.close();
console.log(`exported ${result.events.toLocaleString('en')} events into ${result.files.length} Parquet files under ${path.resolve(values.out)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
