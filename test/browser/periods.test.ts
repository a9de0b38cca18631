/**
 * The Overview's period and comparison (issue 15): a preset and a comparison chosen in the UI land
 * in the URL (from, to, compare), the KPI tiles show exactly what /v1/churn/summary answers for
 * that query (value, change, the change's interval, the comparison's n), a reload and a fresh
 * browser show the same state and values, a KPI click lists the customers of the period's window,
 * the churn trend shades the period's and the comparison's months, a bad custom pair is said and
 * not applied, and at 400 px nothing overflows. Screenshots at 1280
 * and 400 px.
 */
import { describe, expect, it } from 'vitest';
import type { Dimensions, Summary } from '../../service/analytics/contracts.ts';
import { afterAction, chartOption, gotoReady, openPage, screenshot, watch } from '../helpers/browser.ts';
import { dashboardSuite, expectReloadKeeps } from '../helpers/dashboard-suite.ts';

const suite = dashboardSuite();
const DAY = 86_400_000;
const shift = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

async function apiSummary(query: string): Promise<Summary> {
  const res = await suite.svc.call(`/v1/churn/summary?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Summary;
}

type Tile = { value: string | null; change: string | null; ci: string | null; previous: string | null };
const tile = async (page = suite.page, key = 'churn_rate'): Promise<Tile> => {
  const t = page.locator(`[data-kpi="${key}"]`);
  const attr = async (sel: string, name: string) => ((await t.locator(sel).count()) ? t.locator(sel).first().getAttribute(name) : null);
  return { value: await attr('[data-value]', 'data-value'), change: await attr('[data-change]', 'data-change'), ci: await attr('[data-change-ci]', 'data-change-ci'), previous: await attr('[data-previous]', 'data-previous') };
};
const expected = (s: Summary, key = 'churn_rate'): Tile => {
  const k = s.kpis.find((x) => x.key === key)!;
  return { value: String(k.value ?? ''), change: k.change === null ? null : String(k.change), ci: k.change_ci ? k.change_ci.join(',') : null, previous: String(k.previous ?? '') };
};

describe('Overview period and comparison', () => {
  it('a preset and a comparison live in the URL, match the API, survive a reload and a new browser', async () => {
    const dims = (await (await suite.svc.call('/v1/churn/dimensions')).json()) as Dimensions;
    const last = dims.default_as_of!;
    await gotoReady(suite.page, `${suite.svc.url}/`);

    await afterAction(suite.page, () => suite.page.locator('select[name="period_preset"]').selectOption('last_quarter'), (u) => u.searchParams.has('from') && u.searchParams.has('to'));
    await afterAction(suite.page, () => suite.page.locator('select[name="compare"]').selectOption('previous_year'), (u) => u.searchParams.get('compare') === 'previous_year');
    const p = new URL(suite.page.url()).searchParams;
    const from = p.get('from')!;
    const to = p.get('to')!;
    // The last complete calendar quarter before the latest day.
    expect(from.slice(5)).toMatch(/^(01|04|07|10)-01$/);
    expect(to <= last).toBe(true);
    expect(Math.round((Date.parse(to) - Date.parse(from)) / DAY) + 1).toBeGreaterThanOrEqual(90);
    const api = await apiSummary(`from=${from}&to=${to}&compare=previous_year`);
    expect(api.period_query!.comparison!.kind).toBe('previous_year');
    const want = expected(api);
    expect(want.ci).not.toBeNull();
    await expect.poll(() => tile()).toEqual(want);
    expect(await suite.page.locator('[data-period-shown]').getAttribute('data-period-shown')).toBe(`${from}..${to}`);
    expect(await suite.page.locator('[data-comparison-shown]').getAttribute('data-comparison-shown')).toBe(`${api.previous_period!.start}..${api.previous_period!.end}`);
    await expect.poll(() => suite.page.locator('[data-kpi="churn_rate"]').textContent()).toContain('vs same period last year');
    // The trend shades the months of the period and of the comparison.
    const trend = await chartOption<{ series: { name: string; markArea?: { data: [{ name: string; xAxis: string }, { xAxis: string }][] } }[] }>(suite.page, 'churn-trend');
    const areas = trend.series.find((x) => x.name === 'Churn rate')!.markArea!.data.map(([a, b]) => [a.name, a.xAxis, b.xAxis]);
    expect(areas).toEqual([
      ['period', from.slice(0, 7), to.slice(0, 7)],
      ['comparison', api.previous_period!.start.slice(0, 7), api.previous_period!.end.slice(0, 7)],
    ]);
    await screenshot(suite.page, 'overview-period');

    // Reload: the same controls and the same numbers.
    const url = suite.page.url();
    await expectReloadKeeps(suite.page, { 'select[name="period_preset"]': 'last_quarter', 'select[name="compare"]': 'previous_year', 'input[name="from"]': from, 'input[name="to"]': to });
    await expect.poll(() => tile()).toEqual(want);

    // A fresh browser with the link, at 400 px: same state, no horizontal overflow.
    const { context: ctx, page, watch: w } = await openPage(suite.browser, { width: 400, height: 900 });
    await gotoReady(page, url);
    await expect.poll(() => tile(page)).toEqual(want);
    expect(await page.locator('select[name="compare"]').inputValue()).toBe('previous_year');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await screenshot(page, 'overview-period-narrow');
    await ctx.close();
    expect(w.problems).toEqual([]);

    // The KPI's customers: the list of the period's window has the tile's count.
    const churned = api.kpis.find((k) => k.key === 'churned')!;
    await suite.page.locator('[data-kpi="churned"]').click();
    await expect.poll(() => suite.page.locator('[data-drill-total]').getAttribute('data-drill-total'), { timeout: 30_000 }).toBe(String(churned.value));
  });

  it('a custom period is applied when valid and refused in words when not', async () => {
    const dims = (await (await suite.svc.call('/v1/churn/dimensions')).json()) as Dimensions;
    const last = dims.default_as_of!;
    await gotoReady(suite.page, `${suite.svc.url}/?as_of=${shift(last, -30)}`);
    const from = shift(last, -119);
    const to = shift(last, -60);
    await suite.page.locator('input[name="to"]').fill(to);
    await afterAction(suite.page, () => suite.page.locator('input[name="from"]').fill(from), (u) => u.searchParams.get('from') === from && u.searchParams.get('to') === to);
    expect(await suite.page.locator('select[name="period_preset"]').inputValue()).toBe('custom');
    // The filter bar's as_of stays in the URL for other pages; the summary is asked without it.
    const api = await apiSummary(`from=${from}&to=${to}`);
    await expect.poll(() => tile()).toEqual(expected(api));
    await expect.poll(() => suite.page.locator('.page-intro').textContent()).toContain("replaces the filter bar's as-of date");
    await suite.page.locator('input[name="from"]').fill(shift(to, -3));
    await expect.poll(() => suite.page.locator('.period [role="alert"]').textContent()).toContain('7 to 730 days');
    expect(new URL(suite.page.url()).searchParams.get('from')).toBe(from);
  });
});
