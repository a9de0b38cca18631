/**
 * Chart options of the Staffing page, in the style of $lib/charts.ts: plain ECharts options from
 * contract data, Okabe–Ito colours with a fixed meaning (actual = black, forecast = blue, seasonal
 * naive = grey; one colour per time thief), axis names on every axis, tooltips with the numbers.
 */
import { AXIS_NAME, GRID, rowTooltip } from '$lib/charts.ts';
import type { ChartOption } from '$lib/echart.ts';
import { OKABE_ITO as P } from '$lib/colors.ts';
import { dtf, fmtDate, fmtInt, fmtMonth, fmtNum } from '$lib/format.ts';
import type { Backtest, ContactCalendar, Plan, Scenarios, TimeThieves } from '$service/staffing/contracts.ts';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const shortDate = (iso: string) => dtf('day-month', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
const weekday = (iso: string) => WEEKDAYS[(new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7];

export const SERIES_COLORS = { actual: P.black, forecast: P.blue, naive: P.grey, scenario: P.green };

export const THIEF_COLORS: Record<string, string> = {
  paper_invoices: P.orange,
  unmatched_payments: P.vermillion,
  hard_reminders: P.purple,
  soft_reminders: '#d9c8e0',
  late_payments: P.blue,
  direct_debit_activations: P.skyBlue,
  failed_transactions: P.black,
  disputed_fees: P.green,
  fee_waivers: P.yellow,
};

/**
 * Daily contacts of one channel (or all): actuals and the back-test's forecasts on the held-out
 * weeks (with the seasonal-naive baseline), then the forecast of the coming weeks.
 */
export function forecastVsActualOption(opts: { backtest: Backtest; plan: Plan; channel: string }): ChartOption {
  const held = opts.backtest.daily.filter((d) => d.channel === opts.channel);
  const future = new Map<string, number>();
  for (const d of opts.plan.daily) if (opts.channel === 'all' || d.channel === opts.channel) future.set(d.date, (future.get(d.date) ?? 0) + d.forecast_contacts);
  const dates = [...held.map((d) => d.date), ...[...future.keys()].filter((d) => !held.some((h) => h.date === d))];
  const at = (date: string) => held.find((h) => h.date === date);
  const firstFuture = dates.find((d) => future.has(d));
  const round1 = (v: number) => Math.round(v * 10) / 10;
  return {
    grid: { ...GRID, top: 40, bottom: 28, left: 12 },
    legend: { top: 0, left: 0, itemWidth: 18, data: ['Actual', 'Forecast', 'Seasonal naive (a week earlier)'] },
    tooltip: {
      trigger: 'axis',
      formatter: (ps: { axisValue: string; seriesName: string; value: number | null; color: string }[]) => {
        const date = ps[0]?.axisValue ?? '';
        const lines = ps.filter((p) => p.value !== null && p.value !== undefined).map((p) => `${p.seriesName}: <b>${fmtNum(p.value, 1)}</b>`);
        return [`<b>${weekday(date)} ${fmtDate(date)}</b>${future.has(date) && !at(date) ? ' · forecast' : ''}`, ...lines].join('<br>');
      },
    },
    xAxis: { type: 'category', data: dates, axisLabel: { formatter: (v: string) => `${weekday(v).slice(0, 2)} ${shortDate(v)}`, hideOverlap: true }, name: 'day (local)', ...AXIS_NAME, nameGap: 28 },
    yAxis: { type: 'value', name: 'contacts per day', ...AXIS_NAME, nameGap: 40, min: 0 },
    series: [
      {
        type: 'line',
        name: 'Actual',
        color: SERIES_COLORS.actual,
        data: dates.map((d) => at(d)?.actual ?? null),
        symbol: 'circle',
        symbolSize: 4,
        lineStyle: { width: 1.5 },
        // Outlier days (excluded from the fit, service/staffing/forecast.ts) are marked where they fall.
        markPoint: {
          symbol: 'pin',
          symbolSize: 38,
          itemStyle: { color: '#d55e00' },
          label: { formatter: 'outlier', fontSize: 9 },
          data: opts.plan.model.outliers.days.filter((o) => at(o.date)).map((o) => ({ name: 'outlier', coord: [o.date, at(o.date)!.actual], value: 'outlier' })),
        },
      },
      {
        type: 'line',
        name: 'Forecast',
        color: SERIES_COLORS.forecast,
        data: dates.map((d) => round1(at(d)?.forecast ?? future.get(d) ?? NaN)).map((v) => (Number.isNaN(v) ? null : v)),
        symbol: 'none',
        lineStyle: { width: 2.5 },
        markArea: firstFuture
          ? { silent: true, itemStyle: { color: 'rgba(0, 114, 178, 0.06)' }, label: { show: true, position: 'insideTop', color: '#555', formatter: 'coming weeks' }, data: [[{ xAxis: firstFuture }, { xAxis: dates[dates.length - 1] }]] }
          : undefined,
        markLine: firstFuture ? { silent: true, symbol: 'none', lineStyle: { color: '#888', type: 'solid' }, label: { formatter: 'today', position: 'insideEndTop' }, data: [{ xAxis: firstFuture }] } : undefined,
      },
      {
        type: 'line',
        name: 'Seasonal naive (a week earlier)',
        color: SERIES_COLORS.naive,
        data: dates.map((d) => at(d)?.seasonal_naive ?? null),
        symbol: 'none',
        lineStyle: { width: 1.5, type: 'dashed' },
      },
    ],
  };
}

/** Mean rostered agents (staffed channels) per weekday × interval: when the team is needed. */
export function agentsHeatmapOption(plan: Plan, which: 'base' | 'scenario' = 'base'): ChartOption {
  const cells = which === 'scenario' && plan.heatmap.scenario_cells ? plan.heatmap.scenario_cells : plan.heatmap.cells;
  const slots = [...new Set(cells.map((c) => c.slot))];
  const max = Math.max(1, ...cells.map((c) => c.agents));
  return {
    grid: { ...GRID, top: 8, bottom: 60, left: 8, right: 16 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { value: [number, number, number, number] }) =>
        `<b>${WEEKDAYS[p.value[0]]} ${slots[p.value[1]]}</b><br>rostered agents <b>${fmtNum(p.value[2], 1)}</b> (mean over the weeks)<br>forecast contacts ${fmtNum(p.value[3], 1)}`,
    },
    xAxis: { type: 'category', data: WEEKDAYS, position: 'top', splitArea: { show: false }, axisTick: { show: false } },
    yAxis: { type: 'category', data: slots, inverse: true, name: 'interval start (local)', ...AXIS_NAME, nameGap: 44, axisLabel: { interval: (i: number) => slots[i].endsWith(':00') && Number(slots[i].slice(0, 2)) % 2 === 0 } },
    visualMap: {
      type: 'continuous',
      min: 0,
      max: Math.ceil(max),
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemWidth: 12,
      itemHeight: 200,
      text: [`${Math.ceil(max)} agents`, '0'],
      inRange: { color: ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'] },
      dimension: 2,
    },
    series: [
      {
        type: 'heatmap',
        name: 'rostered agents',
        data: cells.map((c) => [c.weekday - 1, slots.indexOf(c.slot), Math.round(c.agents * 100) / 100, c.contacts]),
        itemStyle: { borderColor: '#fff', borderWidth: 0.5 },
        emphasis: { itemStyle: { borderColor: '#111', borderWidth: 1 } },
      },
    ],
  };
}

export const SCENARIO_SHORT: Record<string, string> = {
  direct_debit: 'Direct debit',
  soft_reminders: 'Soft reminders',
  paper_to_digital: 'Paper → digital',
  waive_disputed_fees: 'Waive disputed fees',
  combined: 'All together',
};
export const scenarioLabel = (s: { scenario: string; share: number | null }) => `${SCENARIO_SHORT[s.scenario] ?? s.scenario}${s.share === null ? '' : ` ${fmtInt(s.share * 100)} %`}`;

/** What each scenario saves: rostered agent hours per week and admin hours per month (positive = saved). */
export function scenarioOption(sc: Scenarios): ChartOption {
  const rows = sc.scenarios;
  const labels = rows.map(scenarioLabel);
  return {
    grid: { ...GRID, top: 30, left: 8, right: 40, bottom: 28 },
    legend: { top: 0, right: 0, data: ['Rostered agent hours saved / week', 'Admin hours saved / month'] },
    tooltip: rowTooltip(rows, (r) => [
      `<b>${r.scenario === 'combined' ? 'All scenarios together' : r.label}</b>${r.share !== null ? ` (${fmtInt(r.share * 100)} %)` : ''}`,
      `contacts ${fmtNum(-r.contacts_per_week, 1)} fewer a week`,
      `contact workload ${fmtNum(-r.workload_hours_per_week, 1)} h fewer a week`,
      `rostered agent hours ${fmtNum(-r.rostered_hours_per_week, 1)} fewer a week`,
      `admin hours ${fmtNum(-r.time_thief_hours_per_month, 1)} fewer a month${r.one_off_hours ? `, ${fmtNum(r.one_off_hours, 0)} h once` : ''}`,
    ]),
    xAxis: { type: 'value', name: 'hours saved (negative = more work)', ...AXIS_NAME, nameGap: 26 },
    yAxis: { type: 'category', data: labels, inverse: true },
    series: [
      { type: 'bar', name: 'Rostered agent hours saved / week', color: P.blue, data: rows.map((r) => Math.round(-r.rostered_hours_per_week * 10) / 10), barGap: '10%' },
      { type: 'bar', name: 'Admin hours saved / month', color: P.orange, data: rows.map((r) => Math.round(-r.time_thief_hours_per_month * 10) / 10) },
    ],
  };
}

/** Admin hours per month, stacked by time thief. */
export function timeThievesOption(t: TimeThieves): ChartOption {
  const items = t.items.filter((i) => i.monthly.some((m) => m.hours > 0));
  return {
    grid: { ...GRID, top: 56, bottom: 24, left: 12 },
    legend: { top: 0, left: 0, type: 'scroll', data: items.map((i) => i.label) },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: { seriesName: string; value: number; dataIndex: number; color: string }[]) => {
        const month = t.months[ps[0].dataIndex];
        const total = ps.reduce((s, p) => s + (p.value ?? 0), 0);
        return [
          `<b>${fmtMonth(month)}</b>: ${fmtNum(total, 1)} h`,
          ...ps.filter((p) => p.value > 0).map((p) => {
            const item = items.find((i) => i.label === p.seriesName)!;
            return `${p.seriesName}: ${fmtNum(p.value, 1)} h (${fmtInt(item.monthly[p.dataIndex].count)} × ${fmtNum(item.unit_minutes, 1)} min)`;
          }),
        ].join('<br>');
      },
    },
    xAxis: { type: 'category', data: t.months.map(fmtMonth), name: 'month', ...AXIS_NAME, nameGap: 26 },
    yAxis: { type: 'value', name: 'hours per month', ...AXIS_NAME, nameGap: 40 },
    series: items.map((i) => ({ type: 'bar', stack: 'hours', name: i.label, color: THIEF_COLORS[i.item], data: i.monthly.map((m) => Math.round(m.hours * 10) / 10) })),
  };
}

/** Contacts per 1 000 invoices by days since dispatch and by days from the due date. */
export function contactCalendarOption(cal: ContactCalendar): ChartOption {
  const days = Array.from({ length: 56 }, (_, i) => i - 20);
  const since = new Map(cal.since_dispatch.map((p) => [p.days, p.per_1000_invoices]));
  const due = new Map(cal.from_due.map((p) => [p.days, p.per_1000_invoices]));
  const r2 = (v: number | undefined) => (v === undefined ? null : Math.round(v * 100) / 100);
  return {
    grid: { ...GRID, top: 30, bottom: 28 },
    legend: { top: 0, left: 0, data: ['Days since the invoice was sent', 'Days from its due date'] },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${fmtNum(v, 2)} per 1 000 invoices` },
    xAxis: { type: 'category', data: days, name: 'days (0 = the day the invoice was sent / fell due)', ...AXIS_NAME, nameGap: 26 },
    yAxis: { type: 'value', name: 'contacts / 1 000 invoices', ...AXIS_NAME, nameGap: 40 },
    series: [
      { type: 'bar', name: 'Days since the invoice was sent', color: P.blue, data: days.map((d) => r2(since.get(d))) },
      { type: 'line', name: 'Days from its due date', color: P.vermillion, data: days.map((d) => r2(due.get(d))), symbol: 'circle', symbolSize: 4 },
    ],
  };
}
