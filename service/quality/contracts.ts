/**
 * The data-quality report's response schema (GET /v1/data-quality): one entry per check, each with
 * a count, a few examples and what the problem does to the analyses, so the Data page can show it
 * and the OpenAPI document is generated from the same shape as the server validates.
 */
import { z } from 'zod';

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const QUALITY_CHECKS = ['orphans', 'volume_outliers', 'currencies', 'unmatched_payment_labels', 'overpaid_invoices', 'events_after_cancellation'] as const;

export const QualityCheck = z.object({
  key: z.enum(QUALITY_CHECKS),
  title: z.string(),
  status: z.enum(['ok', 'info', 'warning']).describe('warning when the check found something that distorts an analysis; info when it found something the analyses already handle (several currencies, all with a rate)'),
  count: z.number().int().describe('how many problems (ids, days, verticals, labels, invoices, events: see unit)'),
  unit: z.string().describe('what count counts'),
  examples: z.array(z.record(z.string(), Scalar)).max(5).describe('up to 5 examples'),
  breakdown: z.array(z.record(z.string(), Scalar)).describe('the counts behind the check (e.g. orphans by event type, currencies per vertical)'),
  effect: z.string().describe('what the problem does to the analyses, in one sentence'),
});
export type QualityCheck = z.infer<typeof QualityCheck>;

export const DataQuality = z.object({
  first_day: z.string().nullable(),
  last_day: z.string().nullable(),
  reporting_currency: z.string(),
  warnings: z.number().int().describe('checks that found something'),
  checks: z.array(QualityCheck),
});
export type DataQuality = z.infer<typeof DataQuality>;
