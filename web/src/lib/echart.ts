/**
 * ECharts, wrapped once as a Svelte action: `<div use:echart={option}>`. It initialises the chart,
 * replaces the option on every update (`notMerge`, so removed series really disappear), follows the
 * element's size with a ResizeObserver, and disposes the instance when the element goes away.
 * Only the chart types and components the dashboard uses are registered (tree-shaken bundle).
 */
import { BarChart, CustomChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { untrack } from 'svelte';
import type { Action } from 'svelte/action';
import { activity } from './activity.svelte.ts';

echarts.use([
  BarChart,
  CustomChart,
  HeatmapChart,
  LineChart,
  ScatterChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;
export type Chart = echarts.EChartsType;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Drops `undefined` values: ECharts treats an explicit `undefined` as "replace the default with nothing". */
function clean<T>(v: T): T {
  if (Array.isArray(v)) return (v.some((x) => x !== null && typeof x === 'object') ? v.map(clean) : v) as T;
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = clean(x);
  return out as T;
}

/** Defaults every chart shares; a chart's own option wins. */
function withDefaults(option: ChartOption): ChartOption {
  return {
    animationDuration: 300,
    animationDurationUpdate: 300,
    textStyle: { fontFamily: FONT, fontSize: 12, color: '#222' },
    aria: { enabled: true },
    ...clean(option),
  };
}

/** The chart on an element (for the export buttons and tests). */
export const chartOf = (el: HTMLElement | null | undefined): Chart | undefined => (el ? echarts.getInstanceByDom(el) : undefined);

declare global {
  interface Window {
    /** Test hook: the current option of the chart with `data-chart="<id>"`. */
    __chartOption?: (id: string) => unknown;
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
}

export const echart: Action<HTMLElement, ChartOption> = (node, option) => {
  const chart = echarts.init(node, null, { renderer: 'canvas' });
  let waiting = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settle = () => {
    if (!waiting) return;
    waiting = false;
    clearTimeout(timer);
    node.dataset.rendered = 'true';
    activity.chartDone();
  };
  chart.on('rendered', settle);

  const apply = (next: ChartOption) => untrack(() => applyNow(next));
  const applyNow = (next: ChartOption) => {
    if (!waiting) {
      waiting = true;
      activity.chartPending();
      node.dataset.rendered = 'false';
    }
    clearTimeout(timer);
    timer = setTimeout(settle, 2000); // never let a chart that skips a frame block readiness
    chart.setOption(withDefaults(next), { notMerge: true });
  };
  apply(option);

  let frame = 0;
  const observer = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      if (!chart.isDisposed()) chart.resize();
    });
  });
  observer.observe(node);

  return {
    update: (next) => apply(next),
    destroy() {
      observer.disconnect();
      cancelAnimationFrame(frame);
      untrack(settle);
      chart.dispose();
    },
  };
};
