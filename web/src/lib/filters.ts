/**
 * The filter state lives in the URL query, with exactly the parameter names of the API's
 * `FilterQuery` (repeated parameters for multi-values), so every view is a shareable link, survives
 * a reload, and back/forward move through filter changes. The same query is passed on to /v1.
 */
import type { Filters } from '$service/analytics/contracts.ts';
import { SEGMENT_DIMENSIONS, type SegmentDimension } from '$service/analytics/dimensions.ts';

export type View = NonNullable<Filters['view']>;
export type MultiKey = Exclude<keyof Filters, 'as_of' | 'view' | 'lookback_days' | 'horizon_days'>;

/** The multi-valued segment filters, in filter-bar order: the contract's segment dimensions. */
export const MULTI_KEYS = SEGMENT_DIMENSIONS satisfies readonly MultiKey[];

export const FILTER_KEYS = ['as_of', 'view', 'lookback_days', 'horizon_days', ...MULTI_KEYS] as const satisfies readonly (keyof Filters)[];

export const DEFAULT_LOOKBACK = 180;
export const DEFAULT_HORIZON = 90;

export interface FilterState {
  as_of?: string;
  view?: View;
  lookback_days?: number;
  horizon_days?: number;
  multi: Record<MultiKey, string[]>;
}

export const DIMENSION_LABELS: Record<SegmentDimension, string> = {
  vertical: 'Vertical',
  market: 'Market',
  age_band: 'Age band',
  tenure_band: 'Tenure',
  plan: 'Plan',
  invoice_channel: 'Invoice channel',
  payment_method_class: 'Payment method',
};

function multiValues(params: URLSearchParams, key: string): string[] {
  const out: string[] = [];
  for (const v of params.getAll(key)) for (const s of v.split(',')) if (s.trim() && !out.includes(s.trim())) out.push(s.trim());
  return out;
}

const isDate = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);
const intOrUndefined = (s: string | null) => (s && /^\d+$/.test(s) ? Number(s) : undefined);

export function readFilters(params: URLSearchParams, prefix = ''): FilterState {
  const view = params.get(prefix + 'view');
  return {
    as_of: isDate(params.get(prefix + 'as_of')) ? params.get(prefix + 'as_of')! : undefined,
    view: view === 'lifetime' || view === 'landmark' ? view : undefined,
    lookback_days: intOrUndefined(params.get(prefix + 'lookback_days')),
    horizon_days: intOrUndefined(params.get(prefix + 'horizon_days')),
    multi: Object.fromEntries(MULTI_KEYS.map((k) => [k, multiValues(params, prefix + k)])) as Record<MultiKey, string[]>,
  };
}

/** The filters as an API query: only set values, multi-values as repeated parameters. */
export function filterParams(f: FilterState): URLSearchParams {
  const p = new URLSearchParams();
  if (f.as_of) p.set('as_of', f.as_of);
  if (f.view) p.set('view', f.view);
  // Look-back and horizon only mean something in the landmark view.
  if (f.view === 'landmark') {
    if (f.lookback_days !== undefined) p.set('lookback_days', String(f.lookback_days));
    if (f.horizon_days !== undefined) p.set('horizon_days', String(f.horizon_days));
  }
  for (const k of MULTI_KEYS) for (const v of f.multi[k]) p.append(k, v);
  return p;
}

/** The filter part of a URL's query (for nav links and API calls). */
export function filterQueryOf(params: URLSearchParams): URLSearchParams {
  return filterParams(readFilters(params));
}

/** `url` with its filter parameters replaced by `f`; other (page) parameters are kept. */
export function withFilters(url: URL, f: FilterState): URL {
  const next = new URL(url);
  for (const k of FILTER_KEYS) next.searchParams.delete(k);
  for (const [k, v] of filterParams(f)) next.searchParams.append(k, v);
  return next;
}

/** `url` with page parameters set (undefined / empty removes them); filters are kept. */
export function withParams(url: URL, set: Record<string, string | number | string[] | undefined | null>): URL {
  const next = new URL(url);
  for (const [k, v] of Object.entries(set)) {
    next.searchParams.delete(k);
    if (Array.isArray(v)) for (const s of v) next.searchParams.append(k, s);
    else if (v !== undefined && v !== null && v !== '') next.searchParams.set(k, String(v));
  }
  return next;
}

export function activeFilterCount(f: FilterState): number {
  return (f.as_of ? 1 : 0) + (f.view ? 1 : 0) + MULTI_KEYS.reduce((n, k) => n + (f.multi[k].length ? 1 : 0), 0);
}

export function emptyFilters(): FilterState {
  return { multi: Object.fromEntries(MULTI_KEYS.map((k) => [k, []])) as unknown as Record<MultiKey, string[]> };
}

/** The filters of a URL as a JSON object the API stores (saved views, campaigns): lists for the segment dimensions. */
export function filtersObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of filterParams(readFilters(params))) {
    if (['as_of', 'view', 'lookback_days', 'horizon_days'].includes(k)) out[k] = v;
    else out[k] = [...((out[k] as string[] | undefined) ?? []), v];
  }
  return out;
}
