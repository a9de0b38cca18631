/**
 * The churn pages' charts (drivers, segments): Kaplan–Meier curves with their log(−log) bands,
 * the Cox forest plot and the relative-risk heat map.
 */
import type { ChartOption } from '../echart.ts';
import { colorFor, RR_COLORS } from '../colors.ts';
import { fmtInt, fmtP, fmtPct, fmtRatio, pctCi, ratioCi, fmtNum } from '../format.ts';
import { levelLabel } from '../labels.ts';
import { type Interval, AXIS_NAME, GRID, pctAxis, esc, swatch, horizontalWhisker, rateTooltipLines, type CustomApi } from '../charts.ts';

export interface Curve {
  key: string;
  n: number;
  events: number;
  small_sample?: boolean;
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
      // A curve under the minimum group size is drawn thin, dashed and faded, and says so at its end.
      lineStyle: c.small_sample ? { width: 1.5, color, type: 'dashed', opacity: 0.55 } : { width: 2, color },
      ...(c.small_sample ? { smallSample: true, endLabel: { show: true, formatter: 'n too small', fontSize: 10, color: '#555' } } : {}),
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
      // Short enough for a 400 px card; the card's title and note say each ratio is adjusted for the other terms.
      name: 'hazard ratio (log scale)',
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
