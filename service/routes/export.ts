/**
 * GET /v1/export/events.parquet: every event as one Parquet file (with year and month columns).
 * The Hive-partitioned tree (year=/month=/type=) is written by `npm run export -- --out <dir>`.
 */
import { Hono } from 'hono';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { AppContext } from '../app-context.ts';
import { exportSingleFile } from '../export/parquet.ts';
import { requireRole } from '../http/auth.ts';

export function exportRoutes(ctx: AppContext) {
  ctx.openapi.add({
    method: 'get',
    path: '/v1/export/events.parquet',
    tag: 'export',
    role: 'read',
    summary: 'All events as one Parquet file',
    description: 'For the Hive-partitioned layout (year=/month=/type=) run `npm run export -- --out <dir>`.',
    responses: { 200: { description: 'Parquet file', contentType: 'application/vnd.apache.parquet' } },
  });
  return new Hono().get('/events.parquet', requireRole(ctx.config.tokens, 'read'), async (c) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invoice-pulse-export-'));
    const file = path.join(dir, 'events.parquet');
    await exportSingleFile(ctx.db, file);
    const stream = fs.createReadStream(file);
    stream.on('close', () => fs.rmSync(dir, { recursive: true, force: true }));
    return new Response(Readable.toWeb(stream) as ReadableStream, {
      headers: { 'content-type': 'application/vnd.apache.parquet', 'content-disposition': 'attachment; filename="events.parquet"', 'content-length': String(fs.statSync(file).size) },
    });
  });
}
