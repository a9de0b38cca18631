/**
 * The overview pages' charts (home, cohorts, fees): trend lines with their bands, cohort retention
 * and the fee economics per vertical.
 */
import type { ChartOption } from '../echart.ts';
import { colorFor, SHARE_COLORS } from '../colors.ts';
import { fmtInt, fmtMonth, fmtPct, fmtMoney, pctCi, fmtNum } from '../format.ts';
import { type Interval, AXIS_NAME, GRID, pctAxis, esc, swatch, niceMax, rowTooltip } from '../charts.ts';

/** Monthly lines with 95 % bands (category x axis of months). */
export function bandLinesOption(opts: {
  months: string[];
  series: { name: string; color: string; values: (number | null)[]; ci: Interval[]; n: number[]; nLabel: string }[];
  yName: string;
  yMax?: number;
  /** Shaded month ranges (YYYY-MM, both included), e.g. the Overview's period and its comparison. */
  marks?: { from: string; to: string; label: string }[];
}): ChartOption {
  const series: Record<string, unknown>[] = [];
  const first = opts.months[0];
  const last = opts.months[opts.months.length - 1];
  const marks = (opts.marks ?? [])
    .filter((m) => first !== undefined && m.to >= first && m.from <= last)
    .map((m) => [
      { name: m.label, xAxis: m.from < first ? first : m.from },
      { xAxis: m.to > last ? last : m.to },
    ]);
  for (const [index, s] of opts.series.entries()) {
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
      ...(index === 0 && marks.length
        ? { markArea: { silent: true, itemStyle: { color: 'rgba(120, 130, 140, 0.14)' }, label: { position: 'insideTop', fontSize: 10, color: '#333' }, data: marks } }
        : {}),
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

export interface CohortRow {
  signup_month: string;
  n: number;
  small_sample?: boolean;
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
          `${fmtInt(r.active)} active of n = ${fmtInt(c.n)}${c.small_sample ? ' — <b>n too small</b>' : ''}`,
        ].join('<br>');
      },
    },
    xAxis: { type: 'category', data: cols, name: 'months since signup', ...AXIS_NAME, nameGap: 28 },
    // A cohort under the minimum size says so on its row (its cells are shown, never headlined).
    yAxis: { type: 'category', data: rows, inverse: true, axisLabel: { formatter: (m: string) => fmtMonth(m) + (cohorts.find((c) => c.signup_month === m)?.small_sample ? ' · n too small' : '') } },
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
    tooltip: rowTooltip(rows, (r) => [
      `<b>${esc(r.vertical)}</b> (n = ${fmtInt(r.customers)}, ${fmtInt(r.fee_customers)} charged a fee)`,
      `${swatch(m('fee_revenue'))}fee revenue ${fmtMoney(r.fee_revenue)} ${currency}`,
      `${swatch(m('attributable_churn_value'))}attributable churn value ${fmtMoney(r.attributable_churn_value)} ${currency}`,
      `&nbsp;&nbsp;(${fmtNum(r.attributable_churned, 1)} customers lost, 95 % CI ${r.attributable_churned_ci ? `${fmtNum(r.attributable_churned_ci[0], 1)}–${fmtNum(r.attributable_churned_ci[1], 1)}` : '–'})`,
      `${swatch(m('handling_cost'))}handling cost ${fmtMoney(r.handling_cost)} ${currency}`,
      `${swatch(m('net'))}<b>net ${fmtMoney(r.net)} ${currency}</b>`,
    ]),
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
