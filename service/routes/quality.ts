/**
 * /v1/data-quality: the data-quality report (orphans, volume outliers, currencies, unmatched
 * payment labels, overpaid invoices, events after cancellation), each with a count, examples and
 * what it does to the analyses. Read role; cached per data version inside the report.
 */
import { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import { requireRole } from '../http/auth.ts';
import { DataQuality } from '../quality/contracts.ts';
import { dataQuality } from '../quality/report.ts';

export function qualityRoutes(ctx: AppContext) {
  ctx.openapi.add({
    method: 'get',
    path: '/v1/data-quality',
    tag: 'ingestion',
    role: 'read',
    summary: 'Data-quality checks: orphans, volume outliers, currencies per vertical, unmatched payment labels, overpaid invoices, events after cancellation',
    description: 'Each check has a count, up to 5 examples, the counts behind it and one sentence on what it does to the analyses. Computed once per data version; while events flow, the last finished report is served within ANALYSIS_MAX_LAG (its data_as_of names the snapshot it reflects) as the next one computes.',
    responses: { 200: { description: 'the report', schema: DataQuality } },
  });
  return new Hono().get('/', requireRole(ctx.config.tokens, 'read'), async (c) => c.json(DataQuality.parse(await dataQuality(ctx.engine))));
}
