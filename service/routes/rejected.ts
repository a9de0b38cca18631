/**
 * /v1/rejected: the rejected rows, newest batch first, with a bounded preview of the raw text and
 * the reason, paged and filtered (GET); purged by age, batch or code (DELETE, admin).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { REJECTION_CODES } from '../events/contract.ts';
import { purgeRejected, RAW_PREVIEW_CHARS, rejectedPage } from '../events/rejected-rows.ts';
import { requireRole } from '../http/auth.ts';
import { ApiError } from '../http/errors.ts';

const BatchId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const Instant = z.iso.datetime({ offset: true }).refine((s) => { const y = Number(s.slice(0, 4)); return y >= 1970 && y <= 9999; }, 'a year between 1970 and 9999');
const Query = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('rows per page (1–1000)'),
  offset: z.coerce.number().int().min(0).max(1e9).default(0),
  code: z.enum(REJECTION_CODES).optional().describe('only rows rejected with this code'),
  batch_id: BatchId.optional().describe('only rows of this batch'),
  since: Instant.optional().describe('only rows received at or after this instant (RFC 3339)'),
});
const PurgeQuery = z
  .object({
    older_than_days: z.coerce.number().int().min(0).max(36500).optional().describe('purge rows received more than this many days ago'),
    batch_id: BatchId.optional(),
    code: z.enum(REJECTION_CODES).optional(),
  })
  .refine((q) => q.older_than_days !== undefined || q.batch_id !== undefined || q.code !== undefined, 'give older_than_days, batch_id or code');

const Row = z.object({
  batch_id: z.number(),
  row: z.number(),
  received_at: z.string(),
  event_id: z.string().nullable(),
  type: z.string().nullable(),
  code: z.string(),
  message: z.string(),
  raw: z.string().nullable().describe(`the row's text as received, at most its first ${RAW_PREVIEW_CHARS} characters`),
  raw_length: z.number().nullable().describe('length of the stored raw text (a prefix of at most 1 024 characters) in characters'),
  raw_bytes: z.number().nullable().describe('length of the raw text as received, in bytes (the stored text is its prefix when raw_truncated)'),
  raw_truncated: z.boolean(),
});
const Page = z.object({ total: z.number(), limit: z.number(), offset: z.number(), by_code: z.record(z.string(), z.number()), rows: z.array(Row) });
const Purged = z.object({ purged: z.number() });

export function rejectedRoutes(ctx: AppContext) {
  ctx.openapi.add({
    method: 'get',
    path: '/v1/rejected',
    tag: 'ingestion',
    role: ['ingest', 'read'],
    summary: 'Rejected rows with raw text and reason',
    description: `Every rejected row keeps at most the first 1 024 characters of its raw text (rows over MAX_ROW_BYTES: their first 1 024 bytes) and its original length in bytes, raw_bytes; raw_truncated says the text shown is a prefix. Rows older than REJECTED_RETENTION_DAYS are purged.`,
    query: Query,
    responses: { 200: { description: 'a page of rejected rows', schema: Page } },
  });
  ctx.openapi.add({
    method: 'delete',
    path: '/v1/rejected',
    tag: 'ingestion',
    role: 'admin',
    summary: 'Purge rejected rows by age, batch or code (all given criteria must match)',
    query: PurgeQuery,
    responses: { 200: { description: 'how many rows were purged', schema: Purged } },
  });
  return new Hono()
    .get('/', requireRole(ctx.config.tokens, 'read', 'ingest'), async (c) => {
      const q = Query.parse(c.req.query());
      return c.json(Page.parse(await rejectedPage(ctx.db, { code: q.code, batchId: q.batch_id, since: q.since }, q.limit, q.offset)));
    })
    .delete('/', requireRole(ctx.config.tokens, 'admin'), async (c) => {
      const q = PurgeQuery.safeParse(c.req.query());
      if (!q.success) throw new ApiError(400, 'invalid_request', 'give older_than_days, batch_id or code', q.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      const before = q.data.older_than_days === undefined ? undefined : new Date(Date.now() - q.data.older_than_days * 86_400_000).toISOString();
      return c.json({ purged: await purgeRejected(ctx.db, { batchId: q.data.batch_id, code: q.data.code, before }) });
    });
}
