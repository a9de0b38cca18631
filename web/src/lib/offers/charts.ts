/**
 * Chart options of the Offers page, in the style of $lib/charts.ts (which they reuse where it fits:
 * the performance chart is its rate bars with whiskers). Offer colours are fixed for the default
 * catalogue so an offer keeps its colour across charts; a business's own offers hash into the same
 * Okabe–Ito palette.
 */
import type { ChartOption } from '$lib/echart.ts';
import { colorFor, OKABE_ITO as P } from '$lib/colors.ts';
import { horizontalWhisker, rateBarsOption, type CustomApi } from '$lib/charts.ts';
import { fmtInt, fmtMoney, fmtNum, fmtPct, pctCi } from '$lib/format.ts';
import type { Performance, RiskModel } from '$service/offers/contracts.ts';

const OFFER_COLORS: Record<string, string> = {
  direct_debit: P.blue,
  soft_reminder: P.green,
  fee_waiver: P.orange,
  e_invoice: P.skyBlue,
  right_size_plan: P.purple,
  loyalty: P.vermillion,
};
export const offerColor = (id: string) => OFFER_COLORS[id] ?? colorFor('offer', id);

const AXIS_NAME = { nameLocation: 'middle' as const, nameGap: 30, nameTextStyle: { fontWeight: 600 as const, color: '#333' } };
const GRID = { left: 16, right: 24, top: 16, bottom: 16, outerBoundsClampWidth: '40%' };
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);


/** An offer as the page shows it: API figures scaled to the what-if acceptance rate. */
export interface ShownOffer {
  offer_id: string;
  name: string;
  audience_size: number;
  mean_risk: number | null;
  acceptance: number;
  saved: number;
  saved_ci: [number, number] | null;
  value: number;
  value_ci: [number, number] | null;
}

/** Net monthly value per offer: horizontal bars with the interval as whiskers, best on top. */
export function offerValueOption(offers: ShownOffer[], currency: string): ChartOption {
  const labels = offers.map((o) => o.name);
  const max = Math.max(0, ...offers.map((o) => o.value_ci?.[1] ?? o.value));
  const min = Math.min(0, ...offers.map((o) => o.value_ci?.[0] ?? o.value));
  return {
    grid: { ...GRID, left: 8, right: 40, top: 8 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { dataIndex: number }) => {
        const o = offers[p.dataIndex];
        return [
          `<b>${esc(o.name)}</b>`,
          `net value ${fmtMoney(o.value)} ${currency}/month${o.value_ci ? ` (range ${fmtMoney(o.value_ci[0])}–${fmtMoney(o.value_ci[1])})` : ''}`,
          `saved customers ${fmtNum(o.saved, 1)}${o.saved_ci ? ` (${fmtNum(o.saved_ci[0], 1)}–${fmtNum(o.saved_ci[1], 1)})` : ''}`,
          `audience ${fmtInt(o.audience_size)}, mean risk ${fmtPct(o.mean_risk)}, acceptance ${fmtPct(o.acceptance)}`,
        ].join('<br>');
      },
    },
    xAxis: { type: 'value', min: min < 0 ? undefined : 0, max: max > 0 ? undefined : 0, name: `expected net value per month (${currency})`, ...AXIS_NAME, axisLabel: { formatter: (v: number) => fmtMoney(v) } },
    yAxis: {
      type: 'category',
      data: labels,
      inverse: true,
      axisTick: { show: false },
      // The offer's name, and its audience size below it in grey.
      axisLabel: {
        formatter: (name: string, i: number) => `{name|${name}}\n{n|${fmtInt(offers[i]?.audience_size)} customers}`,
        rich: { name: { width: 190, overflow: 'truncate', align: 'right', fontSize: 12, lineHeight: 16, color: '#222' }, n: { align: 'right', fontSize: 11, lineHeight: 15, color: '#666' } },
      },
    },
    series: [
      {
        type: 'bar',
        name: 'net value',
        barMaxWidth: 26,
        data: offers.map((o) => ({ value: o.value, itemStyle: { color: offerColor(o.offer_id) } })),
      },
      {
        type: 'custom',
        name: 'range',
        silent: true,
        z: 10,
        encode: { y: 0, x: [1, 2] },
        data: offers.map((o, i) => (o.value_ci ? [i, o.value_ci[0], o.value_ci[1]] : [i, null, null])),
        renderItem: horizontalWhisker,
      },
    ],
  };
}

const SHORT: Record<string, string> = {
  direct_debit: 'Direct debit',
  soft_reminder: 'Soft reminder',
  fee_waiver: 'Fee waiver',
  e_invoice: 'E-invoice',
  right_size_plan: 'Right-size',
  loyalty: 'Loyalty',
};
/** A label short enough for a category axis. */
export const shortName = (id: string, name?: string) => SHORT[id] ?? ((name ?? id).length > 16 ? `${(name ?? id).slice(0, 15)}…` : (name ?? id));

/** Churn after the showing: customers who accepted against those shown the offer who did not. */
export function performanceOption(rows: Performance['rows'], names: Record<string, string>): ChartOption {
  const all = rows.filter((r) => r.segment === 'all' && r.shown > 0);
  const group = (key: string, n: number, churned: number, rate: number | null, ci: [number, number] | null) => ({ key, n, churned, rate, rate_ci: ci });
  const option = rateBarsOption({
    factor: 'offer',
    categories: all.map((r) => shortName(r.offer_id, names[r.offer_id])),
    series: [
      { name: 'Accepted', color: P.blue, groups: all.map((r) => group(r.offer_id, r.accepted, r.accepted_churned, r.accepted_churn_rate, r.accepted_churn_ci)) },
      { name: 'Shown, not accepted', color: P.grey, groups: all.map((r) => group(r.offer_id, r.not_accepted, r.not_accepted_churned, r.not_accepted_churn_rate, r.not_accepted_churn_ci)) },
    ],
    yName: 'churn after the showing (%)',
  });
  return option;
}

/** Calibration on the held-out window: observed churn (95 % Wilson) against predicted risk, per decile. */
export function calibrationOption(v: NonNullable<RiskModel['validation']>): ChartOption {
  const top = Math.max(...v.calibration.map((d) => Math.max(d.observed_ci[1], d.mean_predicted)));
  const max = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1].find((s) => s >= top * 1.05) ?? 1;
  const pct = (x: number) => fmtPct(x, max <= 0.1 ? 1 : 0);
  return {
    grid: { ...GRID, left: 8, top: 24, bottom: 8 },
    legend: { top: 0, data: ['Decile of customers', 'Perfect calibration'] },
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesType: string; dataIndex: number }) => {
        if (p.seriesType !== 'scatter') return '';
        const d = v.calibration[p.dataIndex];
        return `<b>Decile ${d.decile}</b> (n = ${fmtInt(d.n)})<br>predicted ${fmtPct(d.mean_predicted)}<br>observed ${fmtPct(d.observed)} (95 % CI ${pctCi(d.observed_ci)}), ${fmtInt(d.churned)} churned`;
      },
    },
    xAxis: { type: 'value', min: 0, max, name: 'predicted risk within the horizon', ...AXIS_NAME, axisLabel: { formatter: pct } },
    yAxis: { type: 'value', min: 0, max, name: 'observed churn', ...AXIS_NAME, nameGap: 44, axisLabel: { formatter: pct } },
    series: [
      { type: 'line', name: 'Perfect calibration', data: [[0, 0], [max, max]], symbol: 'none', silent: true, lineStyle: { color: '#888', type: 'dashed', width: 1 }, color: '#888' },
      {
        type: 'custom',
        name: '95 % CI',
        silent: true,
        encode: { x: 0, y: [1, 2] },
        data: v.calibration.map((d) => [d.mean_predicted, d.observed_ci[0], d.observed_ci[1]]),
        renderItem: (_p: unknown, api: CustomApi) => {
          const x = api.coord([api.value(0), 0])[0];
          const y1 = api.coord([0, api.value(1)])[1];
          const y2 = api.coord([0, api.value(2)])[1];
          const style = { stroke: '#111', lineWidth: 1.2 };
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: x, y1, x2: x, y2 }, style },
              { type: 'line', shape: { x1: x - 4, y1, x2: x + 4, y2: y1 }, style },
              { type: 'line', shape: { x1: x - 4, y1: y2, x2: x + 4, y2 }, style },
            ],
          };
        },
      },
      { type: 'scatter', name: 'Decile of customers', color: P.blue, symbolSize: 10, z: 5, data: v.calibration.map((d) => [d.mean_predicted, d.observed]) },
    ],
  };
}
