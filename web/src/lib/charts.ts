/**
 * Option builders for the dashboard's chart kinds. Each takes contract data and returns a plain
 * ECharts option; the `echart` action renders it. Intervals are drawn, never omitted: bars carry
 * 95 % whiskers, lines carry bands, survival curves carry log(−log) bands.
 */
import type { ChartOption } from './echart.ts';
import { colorFor, RR_COLORS, SHARE_COLORS } from './colors.ts';
import { fmtInt, fmtMonth, fmtP, fmtPct, fmtRatio, fmtMoney, pctCi, ratioCi, fmtNum } from './format.ts';
import { levelLabel } from './labels.ts';

type Interval = readonly [number, number] | null;
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
}

const AXIS_NAME = { nameLocation: 'middle' as const, nameGap: 36, nameTextStyle: { fontWeight: 600 as const, color: '#333' } };
// v6 keeps axis labels and names inside the canvas; let them take up to 40 % on narrow screens.
const GRID = { left: 16, right: 24, top: 36, bottom: 16, outerBoundsClampWidth: '40%' };
const pctAxis = (v: number) => fmtPct(v, Math.abs(Math.round(v * 100) - v * 100) > 1e-9 ? 1 : 0);
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const swatch = (color: string) => `<span style="display:inline-block;width:10px;height:10px;border-radius:2px;background:${color};margin-right:6px"></span>`;

/** A "nice" upper bound for a share axis covering `x` (e.g. 0.173 → 0.2). */
export function niceMax(x: number): number {
  if (!(x > 0)) return 0.1;
  const steps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1];
  return steps.find((s) => s >= x * 1.02) ?? Math.ceil(x * 10) / 10;
}

export function maxUpper(groups: RateGroup[]): number {
  return groups.reduce((m, g) => Math.max(m, g.rate_ci?.[1] ?? g.rate ?? 0), 0);
}

function rateTooltipLines(g: RateGroup, reference?: string | null): string {
  const lines = [
    `churn ${fmtPct(g.rate)} (95 % CI ${pctCi(g.rate_ci)})`,
    `${fmtInt(g.churned)} churned of n = ${fmtInt(g.n)}`,
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
  const labels = categories.map((k) => levelLabel(factor, k) + (single && k === opts.reference ? (many ? ' (ref.)' : '\n(reference)') : ''));
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
              },
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

/** Monthly lines with 95 % bands (category x axis of months). */
export function bandLinesOption(opts: {
  months: string[];
  series: { name: string; color: string; values: (number | null)[]; ci: Interval[]; n: number[]; nLabel: string }[];
  yName: string;
  yMax?: number;
}): ChartOption {
  const series: Record<string, unknown>[] = [];
  for (const s of opts.series) {
    const stack = `band:${s.name}`;
    series.push({
      type: 'line',
      name: `${s.name} lower`,
      stack,
      silent: true,
      symbol: 'none',
      lineStyle: { opacity: 0 },
      tooltip: { show: false },
      data: s.ci.map((c) => (c ? c[0] : '-')),
    });
    series.push({
      type: 'line',
      name: `${s.name} 95 % CI`,
      stack,
      silent: true,
      symbol: 'none',
      lineStyle: { opacity: 0 },
      areaStyle: { color: s.color, opacity: 0.18 },
      tooltip: { show: false },
      data: s.ci.map((c) => (c ? c[1] - c[0] : '-')),
    });
    series.push({
      type: 'line',
      name: s.name,
      color: s.color,
      symbolSize: 5,
      lineStyle: { width: 2, color: s.color },
      itemStyle: { color: s.color },
      data: s.values.map((v) => (v === null ? '-' : v)),
    });
  }
  const top = Math.max(0, ...opts.series.flatMap((s) => s.ci.map((c, i) => c?.[1] ?? s.values[i] ?? 0)));
  return {
    grid: { ...GRID, top: 40, bottom: 8 },
    legend: { top: 0, data: opts.series.map((s) => s.name) },
    tooltip: {
      trigger: 'axis',
      formatter: (params: { seriesName: string; dataIndex: number }[]) => {
        const i = params[0]?.dataIndex ?? 0;
        const lines = opts.series.map(
          (s) => `${swatch(s.color)}${esc(s.name)}: <b>${fmtPct(s.values[i])}</b> (95 % CI ${pctCi(s.ci[i])}), ${s.nLabel} ${fmtInt(s.n[i])}`,
        );
        return [`<b>${fmtMonth(opts.months[i])}</b>`, ...lines].join('<br>');
      },
    },
    xAxis: { type: 'category', data: opts.months, name: 'month', ...AXIS_NAME, nameGap: 30, boundaryGap: false, axisLabel: { formatter: (m: string) => fmtMonth(m) } },
    yAxis: { type: 'value', min: 0, max: opts.yMax ?? niceMax(top), name: opts.yName, ...AXIS_NAME, nameGap: 48, axisLabel: { formatter: pctAxis } },
    series,
  };
}

export interface Curve {
  key: string;
  n: number;
  events: number;
  median_days: number | null;
  points: { t_days: number; survival: number; lower: number | null; upper: number | null; at_risk: number }[];
}

/** Kaplan–Meier step curves with 95 % bands. */
export function survivalOption(opts: { factor: string; curves: Curve[]; xName: string; yMin?: number }): ChartOption {
  const { factor, curves } = opts;
  const series: Record<string, unknown>[] = [];
  const yMinData = Math.min(1, ...curves.flatMap((c) => c.points.map((p) => p.lower ?? p.survival)));
  const yMin = opts.yMin ?? Math.max(0, Math.floor((yMinData - 0.02) * 10) / 10);
  for (const c of curves) {
    const color = colorFor(factor, c.key);
    const pts = c.points;
    series.push({
      type: 'custom',
      name: `${levelLabel(factor, c.key)} 95 % CI`,
      silent: true,
      clip: true,
      z: 1,
      encode: { x: 0, y: [1, 2] },
      tooltip: { show: false },
      data: pts.map((p) => [p.t_days, p.lower ?? p.survival, p.upper ?? p.survival]),
      renderItem: (params: { dataIndex: number }, api: CustomApi) => {
        if (params.dataIndex !== 0 || pts.length === 0) return null;
        const upper: number[][] = [];
        const lower: number[][] = [];
        for (let i = 0; i < pts.length; i++) {
          const p = pts[i];
          const next = i + 1 < pts.length ? pts[i + 1].t_days : p.t_days;
          const hi = p.upper ?? p.survival;
          const lo = p.lower ?? p.survival;
          upper.push(api.coord([p.t_days, hi]), api.coord([next, hi]));
          lower.push(api.coord([p.t_days, lo]), api.coord([next, lo]));
        }
        return { type: 'polygon', shape: { points: [...upper, ...lower.reverse()] }, style: { fill: color, opacity: 0.16 } };
      },
    });
    series.push({
      type: 'line',
      name: levelLabel(factor, c.key),
      step: 'end',
      showSymbol: false,
      color,
      lineStyle: { width: 2, color },
      data: pts.map((p) => [p.t_days, p.survival]),
    });
  }
  return {
    grid: { ...GRID, top: 40, bottom: 8, right: 28 },
    legend: { top: 0, data: curves.map((c) => levelLabel(factor, c.key)) },
    tooltip: {
      trigger: 'axis',
      formatter: (params: { seriesName: string; dataIndex: number; seriesType: string }[]) => {
        const lines = params
          .filter((p) => p.seriesType === 'line')
          .map((p) => {
            const c = curves.find((x) => levelLabel(factor, x.key) === p.seriesName)!;
            const pt = c.points[p.dataIndex];
            return `${swatch(colorFor(factor, c.key))}${esc(p.seriesName)}: <b>${fmtPct(pt.survival)}</b> (95 % CI ${pctCi(pt.lower !== null && pt.upper !== null ? [pt.lower, pt.upper] : null)}), at risk ${fmtInt(pt.at_risk)} of n = ${fmtInt(c.n)}`;
          });
        const t = params[0] ? (curves.find((x) => levelLabel(factor, x.key) === params[0].seriesName)?.points[params[0].dataIndex]?.t_days ?? 0) : 0;
        return [`<b>day ${fmtInt(t)}</b>`, ...lines].join('<br>');
      },
    },
    xAxis: { type: 'value', min: 0, name: opts.xName, ...AXIS_NAME, nameGap: 30 },
    yAxis: { type: 'value', min: yMin, max: 1, name: 'still subscribed (%)', ...AXIS_NAME, nameGap: 48, axisLabel: { formatter: pctAxis } },
    series,
  };
}

export interface ForestTerm {
  term: string;
  factor: string;
  level: string;
  reference: string;
  n: number;
  hazard_ratio: number;
  hr_ci: readonly [number, number];
  p_value: number;
}

/** Forest plot of hazard ratios: log x axis, reference line at 1, CI whiskers. */
export function forestOption(terms: ForestTerm[]): ChartOption {
  const PREFIX: Record<string, string> = { age_band: 'age ', tenure_band: 'tenure ', market: 'market ', plan: 'plan ', invoice_channel: 'invoice by ' };
  const labels = terms.map((t) => `${PREFIX[t.factor] ?? ''}${levelLabel(t.factor, t.level)} vs ${levelLabel(t.factor, t.reference)}`);
  const lo = Math.min(1, ...terms.map((t) => t.hr_ci[0]).filter((x) => x > 0));
  const hi = Math.max(1, ...terms.map((t) => t.hr_ci[1]).filter(Number.isFinite));
  const min = 2 ** Math.floor(Math.log2(lo));
  const max = 2 ** Math.ceil(Math.log2(hi));
  return {
    grid: { ...GRID, top: 28, bottom: 8, left: 8, right: 32 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { dataIndex: number }) => {
        const t = terms[p.dataIndex];
        return [
          `<b>${esc(labels[p.dataIndex])}</b> (${esc(t.factor.replace(/_/g, ' '))})`,
          `hazard ratio <b>${fmtRatio(t.hazard_ratio)}</b> (95 % CI ${ratioCi(t.hr_ci)})`,
          `p ${fmtP(t.p_value)}, n = ${fmtInt(t.n)} at this level`,
        ].join('<br>');
      },
    },
    xAxis: {
      type: 'log',
      logBase: 2,
      min,
      max,
      name: 'hazard ratio (log scale; adjusted for the other terms)',
      ...AXIS_NAME,
      nameGap: 30,
      axisLabel: { formatter: (v: number) => fmtNum(v, v < 1 ? 2 : 0) },
    },
    yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { width: 210, overflow: 'truncate' }, axisTick: { show: false } },
    series: [
      {
        type: 'custom',
        name: '95 % CI',
        silent: true,
        encode: { y: 0, x: [1, 2] },
        data: terms.map((t, i) => [i, t.hr_ci[0], t.hr_ci[1]]),
        renderItem: horizontalWhisker,
      },
      {
        type: 'scatter',
        name: 'hazard ratio',
        symbol: 'rect',
        symbolSize: (_v: unknown, p: { dataIndex: number }) => Math.max(8, Math.min(16, 6 + Math.log10(terms[p.dataIndex].n + 1) * 2.5)),
        z: 5,
        data: terms.map((t, i) => ({ value: [t.hazard_ratio, i], itemStyle: { color: colorFor(t.factor, t.level) } })),
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#333', type: 'solid', width: 1 },
          label: { formatter: 'no difference (HR 1)', position: 'start', color: '#333' },
          data: [{ xAxis: 1 }],
        },
      },
    ],
  };
}

export interface HeatCell {
  row_key: string;
  key: string;
  n: number;
  churned: number;
  rate: number | null;
  rate_ci: Interval;
  relative_risk: number | null;
  rr_ci: Interval;
  p_value: number | null;
  is_reference: boolean;
}

/** Segment × factor heat map of relative risk (diverging colour on a log scale). */
export function rrHeatmapOption(opts: { rows: string; factor: string; rowKeys: string[]; colKeys: string[]; cells: HeatCell[]; reference: string | null }): ChartOption {
  const { rowKeys, colKeys, cells } = opts;
  const logs = cells.map((c) => (c.relative_risk && c.relative_risk > 0 ? Math.log2(c.relative_risk) : null));
  const extent = Math.max(0.5, ...logs.filter((x): x is number => x !== null).map(Math.abs));
  const bound = Math.ceil(extent * 4) / 4;
  // Cells without a finite, positive RR (no churn, or an empty reference) go into a second, grey
  // series the visual map does not colour.
  const label = (c: HeatCell) => ({
    show: true,
    formatter: `${c.is_reference ? 'ref.' : c.relative_risk === null ? 'n/a' : fmtRatio(c.relative_risk)}\n{n|n = ${fmtInt(c.n)}}`,
    lineHeight: 18,
    rich: { n: { fontSize: 10, color: '#333', lineHeight: 14 } },
  });
  const item = (c: HeatCell, v: number) => ({ name: `${c.row_key}|${c.key}`, value: [colKeys.indexOf(c.key), rowKeys.indexOf(c.row_key), v], label: label(c) });
  const mapped: { c: HeatCell; i: number }[] = [];
  const grey: { c: HeatCell; i: number }[] = [];
  cells.forEach((c, i) => (c.is_reference || logs[i] !== null ? mapped : grey).push({ c, i }));
  const lookup = (seriesIndex: number, dataIndex: number) => (seriesIndex === 0 ? mapped : grey)[dataIndex].c;
  return {
    grid: { ...GRID, top: 8, bottom: 72, left: 8 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { dataIndex: number; seriesIndex: number }) => {
        const c = lookup(p.seriesIndex, p.dataIndex);
        return [
          `<b>${esc(levelLabel(opts.rows, c.row_key))} · ${esc(levelLabel(opts.factor, c.key))}</b>`,
          rateTooltipLines(c, opts.reference ? levelLabel(opts.factor, opts.reference) : null),
          c.p_value !== null && !c.is_reference ? `p ${fmtP(c.p_value)}` : '',
        ]
          .filter(Boolean)
          .join('<br>');
      },
    },
    xAxis: { type: 'category', data: colKeys.map((k) => levelLabel(opts.factor, k)), name: opts.factor.replace(/_/g, ' '), ...AXIS_NAME, nameGap: 28, splitArea: { show: true } },
    yAxis: { type: 'category', inverse: true, data: rowKeys.map((k) => levelLabel(opts.rows, k)), splitArea: { show: true } },
    visualMap: {
      type: 'continuous',
      min: -bound,
      max: bound,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemWidth: 12,
      itemHeight: 180,
      text: [`RR ${fmtRatio(2 ** bound)}`, `RR ${fmtRatio(2 ** -bound)}`],
      inRange: { color: RR_COLORS },
      dimension: 2,
      seriesIndex: 0,
    },
    series: [
      {
        type: 'heatmap',
        name: 'relative risk',
        data: mapped.map(({ c, i }) => item(c, c.is_reference ? 0 : logs[i]!)),
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        label: { color: '#111', fontSize: 12 },
        emphasis: { itemStyle: { borderColor: '#111', borderWidth: 2 } },
      },
      {
        type: 'heatmap',
        name: 'relative risk not estimable',
        data: grey.map(({ c }) => item(c, 0)),
        itemStyle: { color: '#e3e3e3', borderColor: '#fff', borderWidth: 2 },
        label: { color: '#333', fontSize: 12 },
      },
    ],
  };
}

export interface CohortRow {
  signup_month: string;
  n: number;
  retention: { months_since: number; active: number; share: number; ci: readonly [number, number] }[];
}

/** Retention by signup month (rows) and months since signup (columns). */
export function cohortOption(cohorts: CohortRow[]): ChartOption {
  const maxMonths = Math.max(0, ...cohorts.flatMap((c) => c.retention.map((r) => r.months_since)));
  const cols = Array.from({ length: maxMonths + 1 }, (_, i) => String(i));
  const rows = cohorts.map((c) => c.signup_month);
  const cells = cohorts.flatMap((c, y) => c.retention.map((r) => ({ c, r, y })));
  const showLabels = cols.length <= 13 && rows.length <= 14;
  const minShare = Math.min(1, ...cells.map(({ r }) => r.share));
  const lo = Math.max(0, Math.floor(minShare * 10) / 10);
  return {
    grid: { ...GRID, top: 8, bottom: 80, left: 8 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { dataIndex: number }) => {
        const { c, r } = cells[p.dataIndex];
        return [
          `<b>signed up ${fmtMonth(c.signup_month)}</b>, month ${r.months_since}`,
          `retained <b>${fmtPct(r.share)}</b> (95 % CI ${pctCi(r.ci)})`,
          `${fmtInt(r.active)} active of n = ${fmtInt(c.n)}`,
        ].join('<br>');
      },
    },
    xAxis: { type: 'category', data: cols, name: 'months since signup', ...AXIS_NAME, nameGap: 28 },
    yAxis: { type: 'category', data: rows, inverse: true, axisLabel: { formatter: (m: string) => fmtMonth(m) } },
    visualMap: {
      type: 'continuous',
      min: lo,
      max: 1,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemWidth: 12,
      itemHeight: 180,
      text: [`${fmtPct(1, 0)} retained`, fmtPct(lo, 0)],
      inRange: { color: SHARE_COLORS },
      dimension: 2,
    },
    series: [
      {
        type: 'heatmap',
        name: 'retention',
        data: cells.map(({ r, y }) => [r.months_since, y, r.share]),
        label: { show: showLabels, formatter: (p: { value: number[] }) => fmtPct(p.value[2], 0), fontSize: 10 },
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
      },
    ],
  };
}

export interface FeeRow {
  vertical: string;
  fee_revenue: number;
  attributable_churn_value: number;
  handling_cost: number;
  net: number;
  attributable_churned: number;
  attributable_churned_ci: Interval;
  customers: number;
  fee_customers: number;
}

/** Fee revenue against what fees cost (attributable churn value, handling), with the net. */
export function feesOption(rows: FeeRow[], currency: string): ChartOption {
  const cats = rows.map((r) => r.vertical);
  const m = (k: string) => colorFor('measure', k);
  return {
    grid: { ...GRID, top: 44, bottom: 8 },
    legend: { top: 0 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: { dataIndex: number }[]) => {
        const r = rows[params[0]?.dataIndex ?? 0];
        return [
          `<b>${esc(r.vertical)}</b> (n = ${fmtInt(r.customers)}, ${fmtInt(r.fee_customers)} charged a fee)`,
          `${swatch(m('fee_revenue'))}fee revenue ${fmtMoney(r.fee_revenue)} ${currency}`,
          `${swatch(m('attributable_churn_value'))}attributable churn value ${fmtMoney(r.attributable_churn_value)} ${currency}`,
          `&nbsp;&nbsp;(${fmtNum(r.attributable_churned, 1)} customers lost, 95 % CI ${r.attributable_churned_ci ? `${fmtNum(r.attributable_churned_ci[0], 1)}–${fmtNum(r.attributable_churned_ci[1], 1)}` : '–'})`,
          `${swatch(m('handling_cost'))}handling cost ${fmtMoney(r.handling_cost)} ${currency}`,
          `${swatch(m('net'))}<b>net ${fmtMoney(r.net)} ${currency}</b>`,
        ].join('<br>');
      },
    },
    xAxis: { type: 'category', data: cats, name: 'vertical', ...AXIS_NAME, nameGap: 28 },
    yAxis: { type: 'value', name: `amount (${currency})`, ...AXIS_NAME, nameGap: 64, axisLabel: { formatter: (v: number) => fmtInt(v) } },
    series: [
      { type: 'bar', name: 'Fee revenue', stack: 'in', color: m('fee_revenue'), data: rows.map((r) => r.fee_revenue), label: { show: true, position: 'top', formatter: (p: { value: number }) => fmtMoney(p.value), color: '#00573f', fontWeight: 600 } },
      { type: 'bar', name: 'Attributable churn value', stack: 'out', color: m('attributable_churn_value'), data: rows.map((r) => -r.attributable_churn_value) },
      { type: 'bar', name: 'Handling cost', stack: 'out', color: m('handling_cost'), data: rows.map((r) => -r.handling_cost) },
      { type: 'scatter', name: 'Net', symbol: 'diamond', symbolSize: 14, color: m('net'), z: 10, data: rows.map((r) => r.net), label: { show: true, position: 'left', formatter: (p: { value: number }) => fmtMoney(p.value), color: '#111' } },
    ],
  };
}

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
