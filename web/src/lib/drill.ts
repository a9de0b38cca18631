/**
 * Drill-down state, in the URL like every other control (issue 15): `drill` holds the clicked group
 * as the query of GET /v1/customers (`factor=…&level=…`, `cohort=…&month=…`, `kpi=…`), `drill_title`
 * says in words what was clicked and which number it showed, and `drill_sort`, `drill_order`,
 * `drill_offset` the list's order and page. The panel (DrillPanel.svelte, in the layout) opens
 * whenever `drill` is set, so a drill-down is a shareable link, survives a reload, and back closes it.
 */
import { setParams } from './page.svelte.ts';

export type DrillGroup = Record<string, string | number | undefined>;

export const DRILL_PARAMS = ['drill', 'drill_title', 'drill_sort', 'drill_order', 'drill_offset'] as const;

/** Opens the list of customers behind `group`; `title` names the clicked figure. */
export function openDrill(group: DrillGroup, title: string) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(group)) if (v !== undefined && v !== '') q.set(k, String(v));
  return setParams({ drill: q.toString(), drill_title: title, drill_sort: undefined, drill_order: undefined, drill_offset: undefined });
}

export function closeDrill() {
  return setParams(Object.fromEntries(DRILL_PARAMS.map((k) => [k, undefined])));
}

/** The group of a `drill` parameter, keeping only the keys the API takes for a group. */
export function drillGroup(raw: string | null): URLSearchParams | null {
  if (!raw) return null;
  // as_of and horizon_days: the window of a figure drawn over a period (lib/period.ts periodWindow), which overrides the filter bar's.
  const allowed = new Set(['kpi', 'factor', 'level', 'factor2', 'level2', 'measure', 'count', 'cohort', 'month', 'outcome', 'as_of', 'horizon_days']);
  const out = new URLSearchParams();
  for (const [k, v] of new URLSearchParams(raw)) if (allowed.has(k)) out.set(k, v);
  return [...out.keys()].length ? out : null;
}
