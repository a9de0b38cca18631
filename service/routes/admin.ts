/**
 * /v1/admin: operations on the running service's storage (admin role). `POST /v1/admin/backup`
 * writes a consistent copy (db/backup.ts) into `DATA_DIR/backups/<time>/` and names it; `npm run
 * backup -- <dest>` calls it while the service runs (DuckDB lets only one process open the file)
 * and moves the copy to its destination. The server picks the directory: an HTTP caller never
 * names a path the server writes to.
 */
import { Hono } from 'hono';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { requireRole } from '../http/auth.ts';
import { ApiError } from '../http/errors.ts';
import { writeBackup } from '../db/backup.ts';

const Backup = z.object({
  directory: z.string().describe('where the copy is, relative to DATA_DIR (backups/<time>)'),
  created_at: z.string(),
  database_file: z.string(),
  ledger: z.string().nullable(),
  live_log_segments: z.array(z.string()),
  events: z.number().int().describe('events in the copied snapshot (rows still only in the copied live log come on top, replayed at start-up)'),
  max_batch_id: z.number().int(),
  bytes: z.number().int(),
});

export function adminRoutes(ctx: AppContext) {
  ctx.openapi.add({
    method: 'post',
    path: '/v1/admin/backup',
    tag: 'operations',
    role: 'admin',
    summary: 'Write a consistent copy of the database, its ledger and its live log under DATA_DIR/backups/',
    description: 'The copy is a snapshot taken by DuckDB (COPY FROM DATABASE) under the writer lock, with the ledger copied before and the live log after it, so every request acknowledged before the call is in it exactly once. `npm run backup -- <dest>` calls this while the service runs and moves the copy to <dest>.',
    responses: { 200: { description: 'the copy written', schema: Backup }, 409: { description: 'the database is in memory (DB_FILE=:memory:): nothing to copy' } },
  });
  return new Hono().post('/backup', requireRole(ctx.config.tokens, 'admin'), async (c) => {
    if (ctx.config.dbPath === ':memory:') throw new ApiError(409, 'backup_unavailable', 'the database is in memory (DB_FILE=:memory:): there is no file to back up');
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
    const dest = path.join(ctx.config.dataDir, 'backups', name);
    try {
      const manifest = await writeBackup(ctx.db, ctx.config.dbPath, dest);
      return c.json(Backup.parse({ directory: path.join('backups', name), ...manifest }));
    } catch (error) {
      fs.rmSync(dest, { recursive: true, force: true });
      throw error;
    }
  });
}
