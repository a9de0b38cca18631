/**
 * GET /v1/rejected: the rejected rows, newest batch first, with raw text and reason; paged.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { REJECTION_CODES } from '../events/contract.ts';
import { requireRole } from '../http/auth.ts';

const Query = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('rows per page (1–1000)'),
  offset: z.coerce.number().int().min(0).default(0),
  code: z.enum(REJECTION_CODES).optional().describe('only rows rejected with this code'),
  batch_id: z.coerce.number().int().positive().optional(),
});

const Row = z.object({
  batch_id: z.number(),
  row: z.number(),
  received_at: z.string(),
  event_id: z.string().nullable(),
  type: z.string().nullable(),
  code: z.string(),
  message: z.string(),
  raw: z.string().nullable(),
});
const Page = z.object({ total: z.number(), limit: z.number(), offset: z.number(), by_code: z.record(z.string(), z.number()), rows: z.array(Row) });

export function rejectedRoutes(ctx: AppContext) {
  ctx.openapi.add({
    method: 'get',
    path: '/v1/rejected',
    tag: 'ingestion',
    role: 'read',
    summary: 'Rejected rows with raw text and reason',
    query: Query,
    responses: { 200: { description: 'a page of rejected rows', schema: Page } },
  });
  return new Hono().get('/', requireRole(ctx.config.tokens, 'read', 'ingest'), async (c) => {
    const q = Query.parse(c.req.query());
    const filter = `($code::VARCHAR IS NULL OR code = $code) AND ($batch::BIGINT IS NULL OR batch_id = $batch)`;
    const params = { code: q.code ?? null, batch: q.batch_id ?? null };
    const page = await ctx.db.withConnection(async (conn) => {
      const byCode = (await conn.runAndReadAll(`SELECT code, count(*) AS n FROM rejected_rows WHERE ${filter} GROUP BY code ORDER BY code`, params)).getRowObjects();
      const rows = (
        await conn.runAndReadAll(
          `SELECT batch_id, row_number AS row, strftime(received_at, '%Y-%m-%dT%H:%M:%SZ') AS received_at, event_id, type, code, message, raw
           FROM rejected_rows WHERE ${filter} ORDER BY batch_id DESC, row_number LIMIT $limit OFFSET $offset`,
          { ...params, limit: q.limit, offset: q.offset },
        )
      ).getRowObjects();
      return {
        total: byCode.reduce((n, r) => n + Number(r.n), 0),
        limit: q.limit,
        offset: q.offset,
        by_code: Object.fromEntries(byCode.map((r) => [String(r.code), Number(r.n)])),
        rows: rows.map((r) => ({ ...r, batch_id: Number(r.batch_id), row: Number(r.row) })),
      };
    });
    return c.json(Page.parse(page));
  });
}
