/**
 * Filter state lives in the URL: set filters in the UI → the URL carries the API's own parameter
 * names (repeated for multi-values) → a reload or a fresh browser shows the same filters and the
 * same numbers → back/forward step through the filter changes.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChurnByFactor, SurvivalCurves } from '../../service/analytics/contracts.ts';
import { afterAction, chartOption, chartSeries, gotoReady, openPage, round, screenshot, waitReady, watch } from '../helpers/browser.ts';
import { dashboardSuite, expectReloadKeeps } from '../helpers/dashboard-suite.ts';

const suite = dashboardSuite();

const refFirst = <G extends { is_reference: boolean }>(groups: G[]) => [...groups.filter((g) => g.is_reference), ...groups.filter((g) => !g.is_reference)];
async function rates(query: string): Promise<(number | null)[]> {
  const res = await suite.svc.call(`/v1/churn/by/timeliness?${query}`);
  expect(res.status).toBe(200);
  return refFirst(((await res.json()) as ChurnByFactor).groups).map((g) => g.rate);
}
const bars = async () => round(await chartSeries(suite.page, 'by-timeliness', { type: 'bar' }));
const params = () => new URL(suite.page.url()).searchParams;

beforeEach(() => {
  // Narrow landmark windows can leave the Cox model too few events; the page shows that refusal.
  suite.watch.allow({ status: 422, url: /\/v1\/churn\/drivers/ });
});

describe('URL state', () => {
  it('filters set in the UI round-trip through the URL, a reload and a new browser; back/forward step through them', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/drivers`);
    const apiQueries: URL[] = [];
    suite.page.on('request', (r) => {
      if (r.url().includes('/v1/churn/by/timeliness')) apiQueries.push(new URL(r.url()));
    });

    // 1. as-of date
    await afterAction(suite.page, () => suite.page.locator('input[name="as_of"]').fill('2026-06-30'), (u) => u.searchParams.get('as_of') === '2026-06-30');
    // 2. landmark view with a one-year look-back
    await afterAction(suite.page, () => suite.page.locator('select[name="view"]').selectOption('landmark'), (u) => u.searchParams.get('view') === 'landmark');
    await afterAction(
      suite.page,
      async () => {
        await suite.page.locator('input[name="lookback_days"]').fill('365');
        await suite.page.locator('input[name="lookback_days"]').blur();
      },
      (u) => u.searchParams.get('lookback_days') === '365',
    );
    // 3. two verticals (a multi-value filter)
    await suite.page.locator('[data-filter="vertical"] summary').click();
    await afterAction(suite.page, () => suite.page.locator('[data-filter="vertical"] input[value="telecom"]').check(), (u) => u.searchParams.getAll('vertical').length === 1);
    await afterAction(suite.page, () => suite.page.locator('[data-filter="vertical"] input[value="broadband"]').check(), (u) => u.searchParams.getAll('vertical').length === 2);
    await suite.page.keyboard.press('Escape');
    const beforeAge = suite.page.url();
    // 4. an age band
    await suite.page.locator('[data-filter="age_band"] summary').click();
    await afterAction(suite.page, () => suite.page.locator('[data-filter="age_band"] input[value="30-49"]').check(), (u) => u.searchParams.get('age_band') === '30-49');
    await suite.page.keyboard.press('Escape');

    // The URL uses the API's parameter names, repeated for multi-values.
    const p = params();
    expect(p.get('as_of')).toBe('2026-06-30');
    expect(p.get('view')).toBe('landmark');
    expect(p.get('lookback_days')).toBe('365');
    expect(p.getAll('vertical').sort()).toEqual(['broadband', 'telecom']);
    expect(p.getAll('age_band')).toEqual(['30-49']);
    // …and the API was asked with exactly those filters.
    const q = apiQueries.at(-1)!.searchParams;
    for (const key of ['as_of', 'view', 'lookback_days', 'vertical', 'age_band']) expect(q.getAll(key).sort(), key).toEqual(p.getAll(key).sort());
    const filterQuery = new URL(suite.page.url()).search.slice(1);
    const expected = round(await rates(filterQuery));
    await expect.poll(bars).toEqual(expected);
    const shown = await suite.page.locator('[data-card="by-timeliness"] h2').textContent();

    // Reload: the same filters in the controls, the same numbers.
    const url = suite.page.url();
    await expectReloadKeeps(suite.page, { 'input[name="as_of"]': '2026-06-30', 'select[name="view"]': 'landmark', 'input[name="lookback_days"]': '365' });
    expect(await suite.page.locator('[data-filter="vertical"] input[value="telecom"]').isChecked()).toBe(true);
    expect(await suite.page.locator('[data-filter="vertical"] input[value="broadband"]').isChecked()).toBe(true);
    expect(await suite.page.locator('[data-filter="vertical"] summary').getAttribute('aria-label')).toMatch(/telecom, broadband|broadband, telecom/);
    expect(await suite.page.locator('[data-filter="age_band"] input[value="30-49"]').isChecked()).toBe(true);
    expect(await bars()).toEqual(expected);
    expect(await suite.page.locator('[data-card="by-timeliness"] h2').textContent()).toBe(shown);
    await screenshot(suite.page, 'drivers-filtered');

    // A shared link opens the same view in a fresh browser context.
    const { context: other, page: page2, watch: w2 } = await openPage(suite.browser);
    w2.allow({ status: 422, url: /\/v1\/churn\/drivers/ });
    await gotoReady(page2, url);
    expect(round(await chartSeries(page2, 'by-timeliness', { type: 'bar' }))).toEqual(expected);
    await other.close();
    expect(w2.problems).toEqual([]);

    // Back: the age-band filter is gone, and so is its effect on the chart.
    await suite.page.goBack();
    await suite.page.waitForURL(beforeAge);
    await waitReady(suite.page);
    expect(params().get('age_band')).toBeNull();
    expect(await suite.page.locator('[data-filter="age_band"] input[value="30-49"]').isChecked()).toBe(false);
    await expect.poll(bars).toEqual(round(await rates(new URL(beforeAge).search.slice(1))));
    // Forward: back again.
    await suite.page.goForward();
    await suite.page.waitForURL(url);
    await waitReady(suite.page);
    await expect.poll(bars).toEqual(expected);
  });

  it('nav links keep the filters; suite.page parameters (survival "by") survive a reload', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/?view=lifetime&market=SE`);
    await afterAction(suite.page, () => suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Drivers' }).click(), (u) => u.pathname === '/drivers');
    expect(params().get('view')).toBe('lifetime');
    expect(params().getAll('market')).toEqual(['SE']);
    expect(await suite.page.getByRole('link', { name: 'Drivers' }).getAttribute('aria-current')).toBe('page');
    expect(await suite.page.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBeNull();

    await afterAction(suite.page, () => suite.page.locator('select[name="by"]').selectOption('timeliness'), (u) => u.searchParams.get('by') === 'timeliness');
    const sv = (await (await suite.svc.call('/v1/churn/survival?by=timeliness&view=lifetime&market=SE')).json()) as SurvivalCurves;
    const names = async () => (await chartOption(suite.page, 'survival')).series.filter((s) => s.type === 'line').map((s) => s.name);
    await expect.poll(names).toEqual(sv.curves.map((c) => c.key.replace(/_/g, ' ')));
    await suite.page.reload();
    await waitReady(suite.page);
    expect(await suite.page.locator('select[name="by"]').inputValue()).toBe('timeliness');
    expect(await names()).toEqual(sv.curves.map((c) => c.key.replace(/_/g, ' ')));

    // Client-side routes load directly (the service falls back to index.html).
    for (const path of ['/segments', '/cohorts', '/fees', '/data']) {
      await gotoReady(suite.page, `${suite.svc.url}${path}?view=lifetime&market=SE`);
      expect(await suite.page.getByRole('navigation', { name: 'Main' }).locator('[aria-current="page"]').getAttribute('href')).toBe(`${path}?view=lifetime&market=SE`);
    }
  });
});
