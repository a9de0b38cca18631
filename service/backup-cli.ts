/**
 * `npm run backup -- <dest>` and `npm run restore -- <src> [--force]`, configured by the same
 * environment as `npm start` (DATA_DIR, DB_FILE, AUTH_TOKENS, PORT).
 *
 * Backup: DuckDB lets one process open the file. When the service holds it, the copy is made by
 * the service itself (`POST /v1/admin/backup` with the first admin token, at BACKUP_URL or
 * http://127.0.0.1:$PORT) and moved from DATA_DIR/backups/ to <dest>; when nothing holds it, this
 * opens the file and makes the same copy (db/backup.ts). Restore puts a backup in place as the
 * database of DATA_DIR, which must hold nothing else unless --force (then its database, WAL,
 * ledger and live log are replaced), and never while a service has the file open.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config.ts';
import { Database } from './db/database.ts';
import { restoreBackup, writeBackup, type BackupManifest } from './db/backup.ts';

const fail = (message: string): never => {
  console.error(message);
  process.exit(1);
};

const isLocked = (error: unknown) => /lock/i.test(String(error));

async function backup(dest: string): Promise<void> {
  const config = loadConfig();
  if (config.dbPath === ':memory:') fail('backup: DB_FILE=:memory: has no file to back up');
  if (!fs.existsSync(config.dbPath)) fail(`backup: there is no database file ${config.dbPath}`);
  const target = path.resolve(dest);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) fail(`backup: ${target} is not empty`);
  let db: Database | null = null;
  try {
    db = await Database.open({ path: config.dbPath });
  } catch (error) {
    if (!isLocked(error)) fail(`backup: the database file ${config.dbPath} cannot be opened: ${String(error).split('\n')[0]}`);
  }
  let manifest: BackupManifest;
  if (db) {
    try {
      manifest = await writeBackup(db, config.dbPath, target);
    } finally {
      await db.close();
    }
    console.log(`backup: the service is not running; copied ${config.dbPath} directly`);
  } else {
    const token = [...config.tokens].find(([, role]) => role === 'admin')?.[0];
    if (config.tokens.size > 0 && !token) fail('backup: the service is running and AUTH_TOKENS holds no admin token to ask it for a backup');
    const url = process.env.BACKUP_URL ?? `http://127.0.0.1:${config.port}`;
    const res = await fetch(`${url}/v1/admin/backup`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} }).catch((error) =>
      fail(`backup: the database is open in another process, and the service at ${url} did not answer (${String(error)}); set BACKUP_URL`),
    );
    if (!res.ok) fail(`backup: POST ${url}/v1/admin/backup answered ${res.status}: ${await res.text()}`);
    const answer = (await res.json()) as BackupManifest & { directory: string };
    const made = path.join(config.dataDir, answer.directory);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.rmSync(target, { recursive: true, force: true });
    try {
      fs.renameSync(made, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      fs.cpSync(made, target, { recursive: true });
      fs.rmSync(made, { recursive: true, force: true });
    }
    manifest = answer;
    console.log(`backup: the running service at ${url} wrote the copy`);
  }
  console.log(`backup: ${target}: ${manifest.events} events up to batch ${manifest.max_batch_id}, ${manifest.live_log_segments.length} live-log segment(s), ${manifest.bytes} bytes`);
}

async function restore(src: string, force: boolean): Promise<void> {
  const config = loadConfig();
  if (config.dbPath === ':memory:') fail('restore: DB_FILE=:memory: has no file to restore into');
  if (fs.existsSync(config.dbPath)) {
    // A running service holds the file: replacing it under it would lose whatever it writes next.
    try {
      (await Database.open({ path: config.dbPath })).close();
    } catch (error) {
      if (isLocked(error)) fail(`restore: ${config.dbPath} is open in a running service; stop it first`);
      if (!force) fail(`restore: ${config.dbPath} cannot be opened (${String(error).split('\n')[0]}); pass --force to replace it`);
    }
  }
  try {
    const manifest = restoreBackup(path.resolve(src), config.dbPath, force);
    console.log(`restore: ${config.dbPath} from ${manifest.created_at}: ${manifest.events} events up to batch ${manifest.max_batch_id}; the next start replays ${manifest.live_log_segments.length} live-log segment(s)`);
  } catch (error) {
    fail(String(error instanceof Error ? error.message : error));
  }
}

const [command, location, ...rest] = process.argv.slice(2);
if (!location || (command !== 'backup' && command !== 'restore')) fail('usage: npm run backup -- <dest>   |   npm run restore -- <src> [--force]');
if (command === 'backup') await backup(location);
else await restore(location, rest.includes('--force'));
