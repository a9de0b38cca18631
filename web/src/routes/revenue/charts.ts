/**
 * Chart builders of the Revenue page (issue 15): MRR movements as diverging stacked bars (new and
 * expansion up, contraction and churned down) under the MRR line, and the rate bars shared with
 * the churn pages (customers vs revenue, each with its 95 % interval) from lib/charts.ts.
 */
import type { MrrMovements } from '$service/revenue/contracts.ts';
import { AXIS_NAME, esc, GRID, rowTooltip } from '$lib/charts.ts';
import { OKABE_ITO } from '$lib/colors.ts';
import type { ChartOption } from '$lib/echart.ts';
import { fmtInt, fmtMonth } from '$lib/format.ts';

const money = (x: number) => fmtInt(Math.round(x));

export function movementsOption(m: MrrMovements['months'], currency: string): ChartOption {
  const months = m.map((x) => fmtMonth(x.month) + (x.partial ? ' *' : ''));
  const bar = (name: string, color: string, values: number[]) => ({ type: 'bar', name, stack: 'moves', color, itemStyle: { color }, data: values, yAxisIndex: 0, barMaxWidth: 28 });
  return {
    grid: { ...GRID, top: 44, bottom: 8 },
    legend: { top: 0 },
    tooltip: rowTooltip(m, (x) => [
      `<b>${esc(fmtMonth(x.month))}</b>${x.partial ? ' (to the as-of date)' : ''}`,
      `MRR at start: ${money(x.mrr_start)} ${currency} (${fmtInt(x.customers_start)} customers)`,
      `+ new: ${money(x.new)} (${fmtInt(x.new_customers)})`,
      `+ expansion: ${money(x.expansion)} (${fmtInt(x.expanded_customers)})`,
      `− contraction: ${money(x.contraction)} (${fmtInt(x.contracted_customers)})`,
      `− churned: ${money(x.churned)} (${fmtInt(x.churned_customers)})`,
      `MRR at end: ${money(x.mrr_end)} ${currency}`,
    ]),
    xAxis: { type: 'category', data: months, axisLabel: { interval: 'auto', hideOverlap: true } },
    yAxis: [
      { type: 'value', name: `movement (${currency}/month)`, ...AXIS_NAME, nameGap: 56, axisLabel: { formatter: (v: number) => fmtInt(v) } },
      { type: 'value', name: `MRR (${currency})`, ...AXIS_NAME, nameGap: 60, splitLine: { show: false }, axisLabel: { formatter: (v: number) => fmtInt(v) } },
    ],
    series: [
      bar('New', OKABE_ITO.green, m.map((x) => x.new)),
      bar('Expansion', OKABE_ITO.skyBlue, m.map((x) => x.expansion)),
      bar('Contraction', OKABE_ITO.orange, m.map((x) => -x.contraction)),
      bar('Churned', OKABE_ITO.vermillion, m.map((x) => -x.churned)),
      { type: 'line', name: 'MRR at end', yAxisIndex: 1, color: '#222', itemStyle: { color: '#222' }, symbolSize: 5, data: m.map((x) => x.mrr_end) },
    ],
  };
}
