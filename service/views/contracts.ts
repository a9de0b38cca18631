/**
 * The API contract of saved views (issue 15): a named filter set a user keeps and shares. The
 * filter set is validated against the very schema the analyses parse their query with
 * (analytics/contracts.ts FilterQuery), so a view can never hold a filter an analysis would refuse,
 * and it is stored as given (only the keys the user set), so a view keeps following the defaults
 * it did not pin. The dashboard imports these types (type-only).
 */
import { z } from 'zod';
import { FilterQuery, SEGMENT_DIMENSIONS } from '../analytics/contracts.ts';

/** Names compare trimmed and case-insensitively ("Manual SE" and "manual se" are one name). */
export const ViewName = z.string().trim().min(1).max(80).describe('unique (trimmed, case-insensitive), 1–80 characters');

/**
 * A filter set in the form of the analyses' query: scalar keys as values, segment filters as lists.
 * Unknown keys are refused rather than dropped, so a typo does not save an empty view.
 */
export const ViewFilters = z
  .record(z.string(), z.unknown())
  .superRefine((raw, ctx) => {
    const known = new Set(Object.keys(FilterQuery.shape));
    for (const k of Object.keys(raw)) if (!known.has(k)) ctx.addIssue({ code: 'custom', path: [k], message: `unknown filter "${k}"; one of ${[...known].join(', ')}` });
    const parsed = FilterQuery.safeParse(raw);
    if (!parsed.success) for (const i of parsed.error.issues) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
  })
  .transform((raw) => normaliseFilters(raw))
  .describe('filters as the analyses take them: as_of, view, lookback_days, horizon_days and lists per segment dimension');
export type ViewFilters = z.infer<typeof ViewFilters>;

export interface StoredFilters {
  as_of?: string;
  view?: 'lifetime' | 'landmark';
  lookback_days?: number;
  horizon_days?: number;
  [dimension: string]: string | number | string[] | undefined;
}

/** Only the keys the user set, parsed (numbers as numbers, lists de-duplicated in given order). */
export function normaliseFilters(raw: Record<string, unknown>): StoredFilters {
  const parsed = FilterQuery.parse(raw);
  const out: StoredFilters = {};
  if (raw.as_of !== undefined && parsed.as_of) out.as_of = parsed.as_of;
  if (raw.view !== undefined && parsed.view) out.view = parsed.view;
  if (raw.lookback_days !== undefined) out.lookback_days = parsed.lookback_days;
  if (raw.horizon_days !== undefined) out.horizon_days = parsed.horizon_days;
  for (const d of SEGMENT_DIMENSIONS) {
    const values = parsed[d];
    if (values?.length) out[d] = [...new Set(values)];
  }
  return out;
}

/** The filter set as the query string of an analysis or dashboard URL (repeated parameters for lists). */
export function filterQueryString(f: StoredFilters): string {
  const p = new URLSearchParams();
  for (const k of ['as_of', 'view', 'lookback_days', 'horizon_days'] as const) if (f[k] !== undefined) p.set(k, String(f[k]));
  for (const d of SEGMENT_DIMENSIONS) for (const v of (f[d] as string[] | undefined) ?? []) p.append(d, v);
  return p.toString();
}

const Actor = z.object({ role: z.string().describe('read, admin, or open (no tokens configured)'), token: z.string().nullable().describe('first 12 hex digits of the SHA-256 of the bearer token (tokens have no names); null when open') });

export const SavedView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  filters: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])),
  query: z.string().describe('the filters as a query string: append it to any analysis or dashboard URL'),
  link: z.string().describe('dashboard link that applies the view (?saved_view=<id>; follows later edits of the view)'),
  created_by: Actor,
  created_at: z.string(),
  updated_by: Actor,
  updated_at: z.string(),
});
export type SavedView = z.infer<typeof SavedView>;

export const ViewList = z.object({ views: z.array(SavedView) });
export type ViewList = z.infer<typeof ViewList>;

export const CreateView = z.object({ name: ViewName, description: z.string().trim().max(500).nullable().optional(), filters: ViewFilters }).strict();
export const UpdateView = z
  .object({ name: ViewName.optional(), description: z.string().trim().max(500).nullable().optional(), filters: ViewFilters.optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.description !== undefined || b.filters !== undefined, 'give at least one of name, description, filters');
export const ViewId = z.object({ id: z.string().min(1).max(64) });
