/**
 * A consistent copy of the database and the two files that belong to it (`<file>.ledger`,
 * `<file>.live-log/`), for `npm run backup` and `POST /v1/admin/backup`, and putting one back
 * (`npm run restore`).
 *
 * Why not a byte copy of the file: the live writer checkpoints outside the writer lock and the
 * derived-facts upkeep commits on its own, so the file and its write-ahead log can change in the
 * middle of a copy. DuckDB's `COPY FROM DATABASE` into a fresh attached file copies every table,
 * sequence (with its current value), view and constraint from one transaction's snapshot, so the
 * copy is consistent whatever commits meanwhile, and holds no write-ahead log. The order makes the
 * three parts agree, all under the writer lock (no live rows are applied meanwhile, so a live-log
 * segment holding rows the snapshot lacks cannot be deleted before it is copied):
 *   1. the ledger: every batch it lists was committed before, so it is in the snapshot;
 *   2. the snapshot;
 *   3. the live log: every acknowledged row is in the snapshot or still in the log. Records
 *      appended after the snapshot are acknowledged too; the restore replays them like a restart,
 *      skipping what the snapshot already applied.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './database.ts';

export const MANIFEST = 'backup.json';

export interface BackupManifest {
  format: 1;
  created_at: string;
  database_file: string;
  ledger: string | null;
  live_log_segments: string[];
  events: number;
  max_batch_id: number;
  bytes: number;
}

const quoted = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Writes the backup of the database at `dbPath` (open as `db`) into the empty or new directory `dest`. */
export async function writeBackup(db: Database, dbPath: string, dest: string): Promise<BackupManifest> {
  fs.mkdirSync(dest, { recursive: true });
  if (fs.readdirSync(dest).length > 0) throw new Error(`backup: ${dest} is not empty`);
  const file = path.basename(dbPath);
  return db.writer.run(async () => {
    const ledger = fs.existsSync(`${dbPath}.ledger`) ? `${file}.ledger` : null;
    if (ledger) fs.copyFileSync(`${dbPath}.ledger`, path.join(dest, ledger));
    const alias = `backup_${Date.now()}_${process.pid}`;
    const counts = await db.withConnection(async (c) => {
      const source = String((await c.runAndReadAll(`SELECT current_database() AS d`)).getRowObjects()[0].d);
      await c.run(`ATTACH ${quoted(path.join(dest, file))} AS ${alias}`);
      try {
        await c.run(`COPY FROM DATABASE "${source.replaceAll('"', '""')}" TO ${alias}`);
      } finally {
        await c.run(`DETACH ${alias}`);
      }
      const r = (await c.runAndReadAll(`SELECT (SELECT count(*) FROM events) AS events, (SELECT coalesce(max(batch_id), 0) FROM ingest_batches) AS batch`)).getRowObjects()[0];
      return { events: Number(r.events), batch: Number(r.batch) };
    });
    const segments: string[] = [];
    const logDir = `${dbPath}.live-log`;
    if (fs.existsSync(logDir)) {
      fs.mkdirSync(path.join(dest, `${file}.live-log`));
      for (const name of fs.readdirSync(logDir).sort()) {
        // A segment deleted between the listing and the copy held only rows already in the snapshot.
        try {
          fs.copyFileSync(path.join(logDir, name), path.join(dest, `${file}.live-log`, name));
          segments.push(name);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    }
    const bytes = [file, ledger, ...segments.map((s) => path.join(`${file}.live-log`, s))]
      .filter((f): f is string => f !== null)
      .reduce((n, f) => n + fs.statSync(path.join(dest, f)).size, 0);
    const manifest: BackupManifest = { format: 1, created_at: new Date().toISOString(), database_file: file, ledger, live_log_segments: segments, events: counts.events, max_batch_id: counts.batch, bytes };
    fs.writeFileSync(path.join(dest, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  });
}

/** The files of the database at `dbPath` that a restore replaces. */
export const databaseFiles = (dbPath: string) => [dbPath, `${dbPath}.wal`, `${dbPath}.ledger`, `${dbPath}.live-log`];

/**
 * Puts the backup in `src` in place as the database `dbPath` (whose directory must hold no other
 * database files unless `force`, and no running service: the caller checks the lock).
 */
export function restoreBackup(src: string, dbPath: string, force: boolean): BackupManifest {
  const manifestPath = path.join(src, MANIFEST);
  if (!fs.existsSync(manifestPath)) throw new Error(`restore: ${src} holds no ${MANIFEST}; is it a backup written by npm run backup?`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as BackupManifest;
  const dir = path.dirname(dbPath);
  fs.mkdirSync(dir, { recursive: true });
  const present = fs.readdirSync(dir);
  if (present.length > 0 && !force) throw new Error(`restore: the data directory ${dir} is not empty (${present.slice(0, 5).join(', ')}${present.length > 5 ? ', …' : ''}); pass --force to replace its database`);
  for (const f of databaseFiles(dbPath)) fs.rmSync(f, { recursive: true, force: true });
  // Copied under a temporary name and renamed last: an interrupted restore leaves no half-file that opens.
  fs.copyFileSync(path.join(src, manifest.database_file), `${dbPath}.restoring`);
  if (manifest.ledger) fs.copyFileSync(path.join(src, manifest.ledger), `${dbPath}.ledger`);
  if (manifest.live_log_segments.length > 0) {
    fs.mkdirSync(`${dbPath}.live-log`);
    for (const s of manifest.live_log_segments) fs.copyFileSync(path.join(src, `${manifest.database_file}.live-log`, s), path.join(`${dbPath}.live-log`, s));
  }
  fs.renameSync(`${dbPath}.restoring`, dbPath);
  return manifest;
}
