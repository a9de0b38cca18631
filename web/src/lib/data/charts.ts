/**
 * The data page's chart: event counts as bars.
 */
import type { ChartOption } from '../echart.ts';
import { fmtInt } from '../format.ts';
import { AXIS_NAME, GRID } from '../charts.ts';

/** Simple bars (counts), optionally stacked by a group. */
export function countBarsOption(opts: {
  categories: string[];
  series: { name: string; color: string; data: number[] }[];
  stacked?: boolean;
  horizontal?: boolean;
  xName: string;
  yName: string;
  categoryFormatter?: (s: string) => string;
}): ChartOption {
  const cat = {
    type: 'category',
    data: opts.categories,
    name: opts.horizontal ? undefined : opts.xName,
    ...AXIS_NAME,
    nameGap: 30,
    inverse: opts.horizontal,
    ...(opts.categoryFormatter ? { axisLabel: { formatter: opts.categoryFormatter } } : {}),
  };
  const val = { type: 'value', name: opts.horizontal ? opts.xName : opts.yName, ...AXIS_NAME, nameGap: opts.horizontal ? 30 : 56, axisLabel: { formatter: (v: number) => fmtInt(v) } };
  return {
    grid: { ...GRID, top: opts.series.length > 1 ? 44 : 16, bottom: 8 },
    legend: opts.series.length > 1 ? { top: 0, type: 'scroll' } : undefined,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => fmtInt(v) },
    xAxis: opts.horizontal ? val : cat,
    yAxis: opts.horizontal ? cat : val,
    series: opts.series.map((s) => ({ type: 'bar', name: s.name, color: s.color, stack: opts.stacked ? 'all' : undefined, data: s.data, barMaxWidth: 36 })),
  };
}
