/**
 * The shift plan's chart: coverage against requirement per open interval of one channel, so a
 * support lead sees where the shifts sit above the need (the price of whole shifts) and, with the
 * weighted objective, where they fall short. Open intervals only, in order: nights and closed days
 * would be flat zeros that squeeze the working hours into slivers. Requirement is a black step
 * line, rostered agents a blue step area; for queueing channels the service level they reach is
 * drawn on its own axis, with the target as a dashed line, so "covered" can be read as "meets 80 %".
 */
import type { ChartOption } from '$lib/echart.ts';
import { OKABE_ITO as P } from '$lib/colors.ts';
import { fmtNum, fmtPct } from '$lib/format.ts';
import type { ShiftPlanResponse } from '$service/staffing/shift-contracts.ts';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const AXIS_NAME = { nameLocation: 'middle' as const, nameTextStyle: { fontWeight: 600 as const, color: '#333' } };

export const COVERAGE_SERIES = { required: 'Required agents', rostered: 'Rostered agents', sl: 'Service level reached' };

export function coverageRows(plan: ShiftPlanResponse, channel: string) {
  return (plan.intervals ?? []).filter((i) => i.channel === channel);
}

export function coverageOption(plan: ShiftPlanResponse, channel: string, serviceTarget: number): ChartOption {
  const rows = coverageRows(plan, channel);
  const labels = rows.map((r) => `${WEEKDAYS[r.weekday - 1]} ${r.interval_start.slice(11)}`);
  const queueing = rows.some((r) => r.service_level !== null);
  return {
    grid: { left: 8, right: queueing ? 8 : 16, top: 40, bottom: 28, outerBoundsClampWidth: '40%' },
    legend: { top: 0, left: 0, type: 'scroll', data: [COVERAGE_SERIES.rostered, COVERAGE_SERIES.required, ...(queueing ? [COVERAGE_SERIES.sl] : [])] },
    tooltip: {
      trigger: 'axis',
      formatter: (ps: { dataIndex: number }[]) => {
        const r = rows[ps[0].dataIndex];
        const gap = r.rostered_agents - r.required_agents;
        return [
          `<b>${r.interval_start.replace('T', ' ')}</b>`,
          `required ${r.required_agents}, rostered <b>${r.rostered_agents}</b> (${gap >= 0 ? `${gap} over` : `${-gap} short`})`,
          `forecast ${fmtNum(r.forecast_contacts, 1)} contacts`,
          ...(r.service_level !== null ? [`${r.agents_on_contacts} on contacts → service level <b>${fmtPct(r.service_level, 1)}</b>`] : []),
        ].join('<br>');
      },
    },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: (i: number) => i === 0 || rows[i].interval_start.slice(0, 10) !== rows[i - 1].interval_start.slice(0, 10), formatter: (v: string) => v.slice(0, 3) }, axisTick: { show: false } },
    yAxis: [
      { type: 'value', name: 'agents', ...AXIS_NAME, nameGap: 28, min: 0, minInterval: 1 },
      ...(queueing ? [{ type: 'value', name: 'service level', ...AXIS_NAME, nameGap: 36, min: 0, max: 1, splitLine: { show: false }, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)} %` } }] : []),
    ],
    series: [
      { type: 'line', name: COVERAGE_SERIES.rostered, step: 'end', color: P.blue, data: rows.map((r) => r.rostered_agents), symbol: 'none', lineStyle: { width: 1.5 }, areaStyle: { opacity: 0.25 } },
      { type: 'line', name: COVERAGE_SERIES.required, step: 'end', color: P.black, data: rows.map((r) => r.required_agents), symbol: 'none', lineStyle: { width: 1.5 } },
      ...(queueing
        ? [
            {
              type: 'line',
              name: COVERAGE_SERIES.sl,
              yAxisIndex: 1,
              color: P.orange,
              data: rows.map((r) => (r.service_level === null ? null : Math.round(r.service_level * 1000) / 1000)),
              symbol: 'none',
              lineStyle: { width: 1 },
              markLine: { silent: true, symbol: 'none', lineStyle: { color: P.orange, type: 'dashed' }, label: { formatter: `target ${Math.round(serviceTarget * 100)} %`, position: 'insideEndTop' }, data: [{ yAxis: serviceTarget }] },
            },
          ]
        : []),
    ],
  };
}
