/**
 * ECharts, wrapped once as a Svelte action: `<div use:echart={option}>`. It initialises the chart,
 * replaces the option on every update (`notMerge`, so removed series really disappear), follows the
 * element's size with a ResizeObserver, and disposes the instance when the element goes away.
 * ECharts itself, with only what the dashboard uses registered, is echarts-setup.ts.
 *
 * Two things every chart gets here, once: a click on a data item (a bar, a point, a heat-map cell)
 * is re-dispatched on the element as a `chartpick` DOM event carrying the series and data index, so
 * any chart can drill down without knowing ECharts' event API; and the theme follows
 * `prefers-color-scheme` (ECharts' built-in dark theme on a transparent background, re-created
 * when the system switches), as the page's CSS does.
 */
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { untrack } from 'svelte';
import type { Action } from 'svelte/action';
import { activity } from './activity.svelte.ts';

/**
 * ECharts itself (≈ 650 KB) is loaded beside the page, not before it: a static import made every
 * page wait for the library to be fetched and evaluated before it rendered and sent its first API
 * request. The import starts as soon as any page that can draw a chart loads this module, so it is
 * usually done by the time the first answer arrives.
 */
const library = import('./echarts-setup.ts');
/** The chart drawn on each element (for the export buttons and the test hooks), without importing ECharts here. */
const charts = new WeakMap<HTMLElement, EChartsType>();

export type ChartOption = EChartsCoreOption;
export type Chart = EChartsType;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Drops `undefined` values: ECharts treats an explicit `undefined` as "replace the default with nothing". */
function clean<T>(v: T): T {
  if (Array.isArray(v)) return (v.some((x) => x !== null && typeof x === 'object') ? v.map(clean) : v) as T;
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = clean(x);
  return out as T;
}

const darkQuery = () => (typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null);
const isDark = () => darkQuery()?.matches ?? false;

/**
 * In dark mode, the near-black text and white separators charts set for a light page are swapped
 * for their dark-page counterparts, so one option serves both schemes (data colours stay: the
 * palette is chosen to read on both).
 */
const DARK_SWAP: Record<string, string> = { '#000': '#e3e7ec', '#000000': '#e3e7ec', '#111': '#e3e7ec', '#222': '#d8dde3', '#333': '#c3cad3', '#444': '#aeb6c0', '#555': '#9aa4b0', '#666': '#8d97a3', '#fff': '#1b2026', '#ffffff': '#1b2026' };
function forDark<T>(v: T, key = ''): T {
  if (typeof v === 'string') return (/(color|stroke|fill)$/i.test(key) && DARK_SWAP[v.toLowerCase()] ? DARK_SWAP[v.toLowerCase()] : v) as T;
  // Custom series draw their shapes at render time (whiskers): recolour what they return.
  if (typeof v === 'function' && key === 'renderItem') return ((...args: unknown[]) => forDark((v as (...a: unknown[]) => unknown)(...args))) as T;
  if (Array.isArray(v)) return v.map((x) => forDark(x, key)) as T;
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = forDark(x, k);
  return out as T;
}

/** Defaults every chart shares; a chart's own option wins. */
function withDefaults(option: ChartOption): ChartOption {
  const own = clean(option);
  return {
    animationDuration: 300,
    animationDurationUpdate: 300,
    // Transparent, so the card's own (light or dark) surface shows through.
    backgroundColor: 'transparent',
    textStyle: { fontFamily: FONT, fontSize: 12, color: isDark() ? '#d8dde3' : '#222' },
    aria: { enabled: true },
    ...(isDark() ? forDark(own) : own),
  };
}

/** What a click on a chart's data item reports (the `chartpick` event's detail). */
export interface ChartPick {
  seriesIndex: number;
  seriesName: string;
  seriesType: string;
  dataIndex: number;
  name: string;
  value: unknown;
}

/** The chart on an element (for the export buttons and tests). */
export const chartOf = (el: HTMLElement | null | undefined): Chart | undefined => {
  const chart = el ? charts.get(el) : undefined;
  return chart && !chart.isDisposed() ? chart : undefined;
};
/** Draws a chart still waiting for the viewport or an idle moment (see `allowed` below). */
const drawNowOf = new WeakMap<HTMLElement, () => Promise<void>>();
/** The chart on an element, drawn first if it had not drawn yet (the PNG export of a chart not yet in view). */
export async function drawnChartOf(el: HTMLElement | null | undefined): Promise<Chart | undefined> {
  if (el) await drawNowOf.get(el)?.();
  return chartOf(el);
}

declare global {
  interface Window {
    /** Test hook: the current option of the chart with `data-chart="<id>"`. */
    __chartOption?: (id: string) => unknown;
    __chartPixel?: (id: string, seriesIndex: number, value: unknown[]) => { x: number; y: number } | null;
  }
}
if (typeof window !== 'undefined') {
  window.__chartOption = (id: string) => {
    const el = document.querySelector<HTMLElement>(`[data-chart="${CSS.escape(id)}"]`);
    const chart = chartOf(el);
    if (!chart) return null;
    // Functions (formatters, renderItem) do not survive structured cloning; drop them.
    return JSON.parse(JSON.stringify(chart.getOption()));
  };
  /** Test hook: the page position of a data value of a series, so a test can click it like a user. */
  window.__chartPixel = (id: string, seriesIndex: number, value: unknown[]) => {
    const el = document.querySelector<HTMLElement>(`[data-chart="${CSS.escape(id)}"]`);
    const chart = chartOf(el);
    if (!el || !chart) return null;
    const [x, y] = chart.convertToPixel({ seriesIndex }, value as number[]) as number[];
    const box = el.getBoundingClientRect();
    return { x: box.left + x, y: box.top + y };
  };
}

export const echart: Action<HTMLElement, ChartOption> = (node, option) => {
  let chart: Chart | null = null;
  let destroyed = false;
  let current = option;
  const pick = (p: { componentType?: string; seriesIndex?: number; seriesName?: string; seriesType?: string; dataIndex?: number; name?: string; value?: unknown }) => {
    if (p.componentType !== 'series' || p.dataIndex === undefined || p.dataIndex < 0) return;
    const detail: ChartPick = { seriesIndex: p.seriesIndex ?? 0, seriesName: p.seriesName ?? '', seriesType: p.seriesType ?? '', dataIndex: p.dataIndex, name: p.name ?? '', value: p.value };
    node.dispatchEvent(new CustomEvent<ChartPick>('chartpick', { detail, bubbles: true }));
  };
  let waiting = false;
  /**
   * The first draw of a chart is not animated: on a page of a dozen charts, every animation frame
   * repainted every chart still animating, and on a software canvas those frames held the main
   * thread while the next charts waited for their first. Changes after it (a filter, new data) animate.
   */
  let drawn = false;
  /**
   * A chart first draws once it is near the viewport, or once the page is idle. A first draw costs
   * 20–45 ms of main thread on a software canvas; the Drivers page has ten charts, most of them
   * below the fold at 1280×800, and drawing all of them before anything else held the page
   * 350–450 ms after its last answer arrived (issue "Analyses that stay fast…": every page
   * interactive in ≤ 1 s). So a chart counts toward `data-ready` from mount until the observer's
   * first report; if that says "out of view", it moves to the `deferred` count (`data-complete`)
   * and draws when scrolled near or in the browser's next idle period, whichever comes first. Only
   * the first draw waits: a drawn chart redraws on new data at once, as before.
   */
  let allowed = false;
  let deferred = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settle = () => {
    if (!waiting) return;
    waiting = false;
    clearTimeout(timer);
    node.dataset.rendered = 'true';
    if (deferred) {
      deferred = false;
      activity.deferredDone();
    } else activity.chartDone();
  };
  const create = (ec: typeof import('./echarts-setup.ts')) => {
    chart = ec.echarts.init(node, isDark() ? 'dark' : null, { renderer: 'canvas' });
    charts.set(node, chart);
    chart.on('rendered', settle);
    chart.on('click', pick);
  };

  const apply = (next: ChartOption) => untrack(() => applyNow(next));
  const applyNow = (next: ChartOption) => {
    current = next;
    if (!waiting) {
      waiting = true;
      activity.chartPending();
      node.dataset.rendered = 'false';
    }
    // Until the chart may draw and the library has arrived, the option only waits; the first draw takes the latest one.
    if (!chart) return;
    clearTimeout(timer);
    timer = setTimeout(settle, 2000); // never let a chart that skips a frame block readiness
    const first = !drawn;
    drawn = true;
    chart.setOption(first ? { ...withDefaults(next), animation: false } : withDefaults(next), { notMerge: true });
  };
  // The chart counts as pending from mount, so `data-ready` waits for the observer's first report and the library.
  apply(option);

  let idle: number | undefined;
  const cancelIdle = () => {
    if (idle === undefined) return;
    if (typeof cancelIdleCallback === 'function') cancelIdleCallback(idle);
    else clearTimeout(idle);
    idle = undefined;
  };
  const allow = () => {
    if (allowed || destroyed) return;
    allowed = true;
    visibility.disconnect();
    cancelIdle();
    library.then(
      (ec) => {
        if (destroyed) return;
        if (!chart) create(ec);
        applyNow(current);
      },
      () => untrack(settle), // a failed chunk load: the page stays usable without its charts
    );
  };
  const visibility = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) return allow();
      if (allowed || deferred || !waiting) return;
      deferred = true;
      activity.chartDone();
      activity.chartDeferred();
      // Safari has no requestIdleCallback; a short timer stands in for it there.
      idle = typeof requestIdleCallback === 'function' ? requestIdleCallback(allow, { timeout: 3000 }) : (setTimeout(allow, 300) as unknown as number);
    },
    { rootMargin: '200px 0px' },
  );
  visibility.observe(node);
  drawNowOf.set(node, async () => {
    allow();
    await library.catch(() => undefined); // after allow()'s own callback: the chart exists now
  });

  let frame = 0;
  const observer = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      if (chart && !chart.isDisposed()) chart.resize();
    });
  });
  observer.observe(node);

  // The system switched between light and dark: re-create the chart in the other theme.
  const media = darkQuery();
  const onScheme = () => {
    if (!chart || chart.isDisposed()) return;
    chart.dispose();
    void library.then((ec) => {
      if (destroyed) return;
      create(ec);
      apply(current);
    });
  };
  media?.addEventListener('change', onScheme);

  return {
    update: (next) => apply(next),
    destroy() {
      destroyed = true;
      visibility.disconnect();
      cancelIdle();
      media?.removeEventListener('change', onScheme);
      observer.disconnect();
      cancelAnimationFrame(frame);
      untrack(settle);
      chart?.dispose();
      charts.delete(node);
    },
  };
};

// `onchartpick` on an element (the event the action dispatches), typed for Svelte templates.
declare module 'svelte/elements' {
  interface HTMLAttributes<T extends EventTarget> {
    onchartpick?: (event: CustomEvent<ChartPick>) => void;
  }
}
