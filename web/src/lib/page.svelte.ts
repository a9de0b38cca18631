/** Helpers pages share: the filter query of the current URL (as a string, so it only changes when filters do). */
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { filterQueryOf, withParams } from './filters.ts';

export function filterQueryString(): string {
  return filterQueryOf(page.url.searchParams).toString();
}

/** Merge the filter query with endpoint parameters. */
export function q(filters: string, extra: Record<string, string | number | undefined | null> = {}): URLSearchParams {
  const p = new URLSearchParams(filters);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  return p;
}

/** Set page parameters in the URL (a history entry each, so back/forward work). */
export function setParams(set: Record<string, string | number | string[] | undefined | null>, replace = false) {
  return goto(withParams(page.url, set), { keepFocus: true, noScroll: true, replaceState: replace });
}

/** A page parameter restricted to allowed values. */
export function param<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const v = page.url.searchParams.get(name);
  return v !== null && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

/** Context key under which the layout shares the /v1/churn/dimensions resource. */
export const DIMENSIONS_KEY = Symbol('dimensions');
