/**
 * What every chart family shares (the per-page builders live beside their pages' other code:
 * churn/, overview/, data/, offers/, staffing/): the axis and grid style, the rate bars with 95 %
 * whiskers and the horizontal whisker renderer. Each builder takes contract data and returns a
 * plain ECharts option; the `echart` action renders it. Intervals are drawn, never omitted.
 */
import type { ChartOption } from './echart.ts';
import { colorFor } from './colors.ts';
import { fmtInt, fmtPct, fmtRatio, pctCi, ratioCi } from './format.ts';
import { levelLabel } from './labels.ts';

export type Interval = readonly [number, number] | null;
export interface RateGroup {
  key: string;
  n: number;
  churned: number;
  rate: number | null;
  rate_ci: Interval;
  relative_risk?: number | null;
  rr_ci?: Interval;
  p_value?: number | null;
  is_reference?: boolean;
  /** Under the minimum group size (the API's flag): drawn greyed and hatched, labelled "n too small". */
  small_sample?: boolean;
}

/** The look of a group too small to read: grey with diagonal hatching, whatever its colour was. */
export const SMALL_SAMPLE_STYLE = {
  color: '#d4d4d4',
  decal: { symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: -Math.PI / 4, color: 'rgba(0, 0, 0, 0.35)' },
  opacity: 0.9,
};
export const SMALL_SAMPLE_LABEL = 'n too small';

export const AXIS_NAME = { nameLocation: 'middle' as const, nameGap: 36, nameTextStyle: { fontWeight: 600 as const, color: '#333' } };
// v6 keeps axis labels and names inside the canvas; let them take up to 40 % on narrow screens.
export const GRID = { left: 16, right: 24, top: 36, bottom: 16, outerBoundsClampWidth: '40%' };
export const pctAxis = (v: number) => fmtPct(v, Math.abs(Math.round(v * 100) - v * 100) > 1e-9 ? 1 : 0);
export const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
/** The tooltip of a chart with one row per category: the category's column shaded, and the lines its row's figures make. */
export function rowTooltip<T>(rows: readonly T[], lines: (row: T) => string[]) {
  return {
    trigger: 'axis',
    axisPointer: { type: 'shadow' },
    formatter: (params: { dataIndex: number }[]) => {
      const row = rows[params[0]?.dataIndex ?? 0];
      return row === undefined ? '' : lines(row).join('<br>');
    },
  };
}
export const swatch = (color: string) => `<span style="display:inline-block;width:10px;height:10px;border-radius:2px;background:${color};margin-right:6px"></span>`;

/** A "nice" upper bound for a share axis covering `x` (e.g. 0.173 → 0.2). */
export function niceMax(x: number): number {
  if (!(x > 0)) return 0.1;
  const steps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1];
  return steps.find((s) => s >= x * 1.02) ?? Math.ceil(x * 10) / 10;
}

export function maxUpper(groups: RateGroup[]): number {
  return groups.reduce((m, g) => Math.max(m, g.rate_ci?.[1] ?? g.rate ?? 0), 0);
}

export function rateTooltipLines(g: RateGroup, reference?: string | null): string {
  const lines = [
    `churn ${fmtPct(g.rate)} (95 % CI ${pctCi(g.rate_ci)})`,
    `${fmtInt(g.churned)} churned of n = ${fmtInt(g.n)}${g.small_sample ? ` — <b>${SMALL_SAMPLE_LABEL}</b>: shown, not compared` : ''}`,
  ];
  if (g.is_reference) lines.push('reference group');
  else if (g.relative_risk !== undefined && reference)
    lines.push(`RR ${fmtRatio(g.relative_risk)} (95 % CI ${ratioCi(g.rr_ci ?? null)}) vs ${esc(reference)}`);
  return lines.join('<br>');
}

/** Churn rate bars with 95 % whiskers; one series (coloured by group) or several (coloured by series). */
export function rateBarsOption(opts: {
  factor: string;
  categories: string[];
  series: { name: string; color?: string; groups: (RateGroup | undefined)[] }[];
  reference?: string | null;
  yMax?: number;
  xName?: string;
  yName?: string;
}): ChartOption {
  const { factor, categories, series } = opts;
  const n = series.length;
  const single = n === 1;
  const barFrac = Math.min(0.6, 0.7 / n);
  const yMax = opts.yMax ?? niceMax(Math.max(...series.map((s) => maxUpper(s.groups.filter(Boolean) as RateGroup[]))));
  const many = categories.length > 6;
  const small = (k: string) => series.some((s) => s.groups.find((g) => g?.key === k)?.small_sample);
  const labels = categories.map(
    (k) => levelLabel(factor, k) + (single && k === opts.reference ? (many ? ' (ref.)' : '\n(reference)') : '') + (small(k) ? (many ? ` (${SMALL_SAMPLE_LABEL})` : `\n(${SMALL_SAMPLE_LABEL})`) : ''),
  );
  const refGroup = single ? series[0].groups.find((g) => g?.key === opts.reference) : undefined;
  const out: Record<string, unknown>[] = [];
  series.forEach((s, si) => {
    const color = s.color ?? colorFor('segment', s.name);
    out.push({
      type: 'bar',
      name: s.name,
      barWidth: `${Math.round(barFrac * 100)}%`,
      barGap: '0%',
      itemStyle: single ? undefined : { color },
      color: single ? undefined : color,
      data: s.groups.map((g, i) =>
        g
          ? {
              value: g.rate,
              itemStyle: {
                color: single ? colorFor(factor, categories[i]) : color,
                ...(single && g.is_reference ? { borderColor: '#111', borderWidth: 2, borderType: 'dashed' } : {}),
                ...(g.small_sample ? SMALL_SAMPLE_STYLE : {}),
              },
              ...(g.small_sample ? { smallSample: true, label: { show: true, position: 'insideBottom', formatter: SMALL_SAMPLE_LABEL, color: '#333', fontSize: 10 } } : {}),
            }
          : { value: null },
      ),
      ...(si === 0 && refGroup?.rate != null
        ? {
            markLine: {
              silent: true,
              symbol: 'none',
              lineStyle: { color: '#555', type: 'dashed', width: 1 },
              label: { formatter: 'reference', position: 'insideEndTop', color: '#555' },
              data: [{ yAxis: refGroup.rate }],
            },
          }
        : {}),
    });
    out.push({
      type: 'custom',
      name: `${s.name} 95 % CI`,
      silent: true,
      z: 10,
      encode: { x: 0, y: [1, 2] },
      data: s.groups.map((g, i) => (g?.rate_ci ? [i, g.rate_ci[0], g.rate_ci[1]] : [i, null, null])),
      renderItem: (params: { dataIndex: number }, api: CustomApi) => {
        const lo = api.value(1);
        const hi = api.value(2);
        if (lo === null || hi === null || Number.isNaN(lo as number) || Number.isNaN(hi as number)) return null;
        const band = api.size([1, 0])[0];
        const x = api.coord([api.value(0), 0])[0] + (si - (n - 1) / 2) * barFrac * band;
        const top = api.coord([api.value(0), hi])[1];
        const bottom = api.coord([api.value(0), lo])[1];
        const cap = Math.max(3, Math.min(8, barFrac * band * 0.25));
        const style = { stroke: '#111', lineWidth: 1.5 };
        return {
          type: 'group',
          children: [
            { type: 'line', shape: { x1: x, y1: top, x2: x, y2: bottom }, style },
            { type: 'line', shape: { x1: x - cap, y1: top, x2: x + cap, y2: top }, style },
            { type: 'line', shape: { x1: x - cap, y1: bottom, x2: x + cap, y2: bottom }, style },
          ],
        };
      },
    });
  });
  return {
    grid: { ...GRID, top: single ? 24 : 44, bottom: 8 },
    legend: single ? undefined : { top: 0, data: series.map((s) => s.name) },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: { seriesType: string; seriesName: string; dataIndex: number; color: string }[]) => {
        const bars = params.filter((p) => p.seriesType === 'bar');
        if (!bars.length) return '';
        const i = bars[0].dataIndex;
        const head = `<b>${esc(levelLabel(factor, categories[i]))}</b>`;
        const body = bars.map((p) => {
          const s = series.find((x) => x.name === p.seriesName)!;
          const g = s.groups[i];
          if (!g) return `${single ? '' : esc(p.seriesName) + ': '}no customers`;
          const color = single ? colorFor(factor, categories[i]) : (s.color ?? colorFor('segment', s.name));
          return `${swatch(color)}${single ? '' : `<b>${esc(s.name)}</b><br>`}${rateTooltipLines(g, opts.reference ? levelLabel(factor, opts.reference) : null)}`;
        });
        return [head, ...body].join('<br>');
      },
    },
    xAxis: {
      type: 'category',
      data: labels,
      name: opts.xName,
      ...AXIS_NAME,
      nameGap: many ? 70 : 44,
      axisLabel: many ? { interval: 0, rotate: 40, width: 110, overflow: 'truncate' } : { interval: 0, hideOverlap: false, width: 110, overflow: 'break', lineHeight: 15 },
    },
    yAxis: { type: 'value', min: 0, max: yMax, name: opts.yName ?? 'churn rate (%)', ...AXIS_NAME, nameGap: 48, axisLabel: { formatter: pctAxis } },
    series: out,
  };
}

/** The part of ECharts' custom-series API that the interval renderers use. */
export interface CustomApi {
  value(dim: number): number | string | null;
  coord(v: (number | string | null)[]): number[];
  size(v: number[]): number[];
}

/**
 * renderItem of a horizontal interval with end caps, for data rows [category index, low, high] on
 * a category y axis; nothing when a bound is missing.
 */
export function horizontalWhisker(_params: unknown, api: CustomApi) {
  if (api.value(1) === null || api.value(2) === null) return null;
  const [x1, y] = api.coord([api.value(1), api.value(0)]);
  const x2 = api.coord([api.value(2), api.value(0)])[0];
  const style = { stroke: '#111', lineWidth: 1.5 };
  return {
    type: 'group',
    children: [
      { type: 'line', shape: { x1, y1: y, x2, y2: y }, style },
      { type: 'line', shape: { x1, y1: y - 5, x2: x1, y2: y + 5 }, style },
      { type: 'line', shape: { x1: x2, y1: y - 5, x2, y2: y + 5 }, style },
    ],
  };
}
