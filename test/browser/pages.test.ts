/**
 * The dashboard in a real browser against the real service (small sample data): every page loads
 * without console errors or failed requests, the numbers the charts draw are the API's numbers,
 * filters re-query, and each page is saved as a screenshot under test-output/screenshots/.
 */
import { describe, expect, it } from 'vitest';
import type { ChurnByFactor, Cohorts, Dimensions, DoseResponse, Drivers, FeeEconomics, GroupStat, Heatmap, IngestionStatus, Summary, SurvivalCurves } from '../../service/analytics/contracts.ts';
import type { PaymentMethodReport } from '../../service/settings/payment-methods.ts';
import { afterAction, chartOption, chartSeries, gotoReady, round, screenshot } from '../helpers/browser.ts';
import { dashboardSuite } from '../helpers/dashboard-suite.ts';

const suite = dashboardSuite();

async function api<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await suite.svc.call(path);
  return { status: res.status, body: (await res.json()) as T };
}
async function ok<T>(path: string): Promise<T> {
  const r = await api<T>(path);
  expect(r.status, `${path}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(200);
  return r.body;
}
const refFirst = <G extends { is_reference: boolean }>(groups: G[]) => [...groups.filter((g) => g.is_reference), ...groups.filter((g) => !g.is_reference)];
const cardState = (id: string) => suite.page.locator(`[data-card="${id}"]`).getAttribute('data-state');

describe('dashboard pages (small sample data)', () => {
  it('Overview: KPI tiles and trend charts show the API numbers', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/`);
    const summary = await ok<Summary>('/v1/churn/summary');
    for (const kpi of summary.kpis) {
      expect(await suite.page.locator(`[data-kpi="${kpi.key}"] .value`).getAttribute('data-value'), kpi.key).toBe(kpi.value === null ? '' : String(kpi.value));
    }
    const trend = summary.trend.filter((t) => t.active_start >= 30);
    expect(trend.length).toBeGreaterThan(3);
    const churn = await chartOption(suite.page, 'churn-trend');
    expect(churn.xAxis[0].data).toEqual(trend.map((t) => t.month));
    expect(round(await chartSeries(suite.page, 'churn-trend', { name: 'Churn rate' }))).toEqual(round(trend.map((t) => t.churn_rate)));
    const shares = summary.trend.filter((t) => t.payers >= 30 || t.invoices_due >= 30);
    expect(round(await chartSeries(suite.page, 'payment-trend', { name: 'Automatic payers' }))).toEqual(round(shares.map((t) => (t.payers >= 30 ? t.automatic_share : null))));
    expect(round(await chartSeries(suite.page, 'payment-trend', { name: 'Invoices paid on time' }))).toEqual(round(shares.map((t) => (t.invoices_due >= 30 ? t.on_time_share : null))));
    // Titles state a finding computed from the data.
    const last = trend.at(-1)!;
    await expect.poll(() => suite.page.locator('[data-card="churn-trend"] h2').textContent()).toContain(`${(last.churn_rate! * 100).toFixed(1)}`);
    await screenshot(suite.page, 'overview');
  });

  it('Drivers: bars, relative-risk table, dose–response and survival equal the API; a Cox refusal is shown cleanly', async () => {
    const cox = await api<Drivers | { error: { code: string; message: string } }>('/v1/churn/drivers');
    if (cox.status === 422) suite.watch.allow({ status: 422, url: /\/v1\/churn\/drivers/ });
    await gotoReady(suite.page, `${suite.svc.url}/drivers`);

    for (const factor of ['payment_method_class', 'payment_method', 'timeliness', 'fee_exposure'] as const) {
      const d = await ok<ChurnByFactor>(`/v1/churn/by/${factor}`);
      const groups = refFirst(d.groups);
      expect(await cardState(`by-${factor}`)).toBe('ready');
      expect(round(await chartSeries(suite.page, `by-${factor}`, { type: 'bar' })), factor).toEqual(round(groups.map((g) => g.rate)));
      const whiskers = await chartSeries(suite.page, `by-${factor}`, { type: 'custom' });
      expect(round(whiskers)).toEqual(round(groups.map((g, i) => (g.rate_ci ? [i, g.rate_ci[0], g.rate_ci[1]] : [i, null, null]))));
      // The relative-risk table: n and churned per group.
      for (const g of d.groups) {
        const row = suite.page.locator(`[data-table="relative-risk"] tbody[data-factor="${factor}"] tr[data-key="${g.key}"]`);
        expect(Number((await row.locator('[data-col="n"]').textContent())!.replace(/\D/g, '')), `${factor}=${g.key} n`).toBe(g.n);
        expect(Number((await row.locator('[data-col="churned"]').textContent())!.replace(/\D/g, '')), `${factor}=${g.key} churned`).toBe(g.churned);
      }
    }
    const manual = (await ok<ChurnByFactor>('/v1/churn/by/payment_method_class')).groups.find((g) => g.key === 'manual')!;
    expect(await suite.page.locator('[data-card="by-payment_method_class"] h2').textContent()).toContain(`${manual.relative_risk!.toFixed(2)}×`);
    expect(await suite.page.locator('.callout').textContent()).toContain('Correlation, not causation');

    for (const [id, measure] of [['dose-late', 'late_invoices'], ['dose-fees', 'fees']] as const) {
      const d = await ok<DoseResponse>(`/v1/churn/dose-response/${measure}`);
      expect(round(await chartSeries(suite.page, id, { type: 'bar' })), measure).toEqual(round(refFirst(d.groups).map((g) => g.rate)));
    }

    const sv = await ok<SurvivalCurves>('/v1/churn/survival?by=payment_method_class');
    const km = await chartOption(suite.page, 'survival');
    const lines = km.series.filter((s) => s.type === 'line');
    expect(lines.map((s) => s.name)).toEqual(sv.curves.map((c) => c.key));
    sv.curves.forEach((c, i) => expect(round(lines[i].data), c.key).toEqual(round(c.points.map((p) => [p.t_days, p.survival]))));
    const atRisk = suite.page.locator('[data-table="at-risk"] tbody tr');
    expect(await atRisk.count()).toBe(sv.curves.length);

    if (cox.status === 422) {
      const err = (cox.body as { error: { code: string; message: string } }).error;
      expect(await cardState('drivers-forest')).toBe('error');
      expect(await suite.page.locator('[data-card="drivers-forest"] [data-error-code]').getAttribute('data-error-code')).toBe(err.code);
      expect(await suite.page.locator('[data-card="drivers-forest"] [role="alert"]').textContent()).toContain(err.message);
      expect(suite.watch.expected.some((l) => l.startsWith('422 GET') && l.includes('/v1/churn/drivers'))).toBe(true);
    } else {
      const terms = (cox.body as Drivers).terms;
      expect(round(await chartSeries(suite.page, 'drivers-forest', { type: 'scatter' }))).toEqual(round(terms.map((t, i) => [t.hazard_ratio, i])));
    }
    await screenshot(suite.page, 'drivers');
  });

  it('Drivers (lifetime view): the forest plot equals the Cox model, and "adjust for" re-fits it', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/drivers?view=lifetime`);
    const cox = await ok<Drivers>('/v1/churn/drivers?view=lifetime');
    expect(await cardState('drivers-forest')).toBe('ready');
    const forest = await chartOption(suite.page, 'drivers-forest');
    expect(forest.xAxis[0].type).toBe('log');
    expect(round(await chartSeries(suite.page, 'drivers-forest', { type: 'scatter' }))).toEqual(round(cox.terms.map((t, i) => [t.hazard_ratio, i])));
    expect(round(await chartSeries(suite.page, 'drivers-forest', { type: 'custom' }))).toEqual(round(cox.terms.map((t, i) => [i, t.hr_ci[0], t.hr_ci[1]])));
    const scatter = forest.series.find((s) => s.type === 'scatter') as unknown as { markLine: { data: { xAxis: number }[] } };
    expect(scatter.markLine.data[0].xAxis).toBe(1);
    await screenshot(suite.page, 'drivers-lifetime');

    // Adjust for vertical only: the URL carries `dimensions`, the plot shows the re-fitted model.
    await suite.page.locator('[data-filter="dimensions"] summary').click();
    await afterAction(suite.page, () => suite.page.locator('[data-filter="dimensions"] input[value="vertical"]').check(), (u) => u.searchParams.get('dimensions') === 'vertical');
    const refit = await ok<Drivers>('/v1/churn/drivers?view=lifetime&dimensions=vertical');
    await expect.poll(async () => round(await chartSeries(suite.page, 'drivers-forest', { type: 'scatter' }))).toEqual(round(refit.terms.map((t, i) => [t.hazard_ratio, i])));
    expect(refit.terms.some((t) => t.factor === 'age_band')).toBe(false);
  });

  it('Drivers: changing a filter re-queries every chart with the filter', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/drivers?view=lifetime`);
    const seen: string[] = [];
    suite.page.on('request', (r) => {
      if (r.url().includes('/v1/churn/by/payment_method_class')) seen.push(r.url());
    });
    await suite.page.locator('[data-filter="vertical"] summary').click();
    await afterAction(suite.page, () => suite.page.locator('[data-filter="vertical"] input[value="telecom"]').check(), (u) => u.searchParams.getAll('vertical').includes('telecom'));
    const d = await ok<ChurnByFactor>('/v1/churn/by/payment_method_class?view=lifetime&vertical=telecom');
    await expect.poll(async () => round(await chartSeries(suite.page, 'by-payment_method_class', { type: 'bar' }))).toEqual(round(refFirst(d.groups).map((g) => g.rate)));
    const last = new URL(seen.at(-1)!);
    expect(last.searchParams.getAll('vertical')).toEqual(['telecom']);
    expect(last.searchParams.get('view')).toBe('lifetime');
    // The table follows the filter too.
    const manual = d.groups.find((g) => g.key === 'manual')!;
    await expect
      .poll(async () => Number((await suite.page.locator('[data-table="relative-risk"] tbody[data-factor="payment_method_class"] tr[data-key="manual"] [data-col="n"]').textContent())!.replace(/\D/g, '')))
      .toBe(manual.n);
  });

  it('Segments: both segments on the same charts and scale; the heat map equals the API', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/segments`);
    const a = await ok<ChurnByFactor>('/v1/churn/by/timeliness?age_band=18-29');
    const b = await ok<ChurnByFactor>('/v1/churn/by/timeliness?age_band=30-49&age_band=50-79&age_band=80%2B');
    const keys: string[] = [];
    for (const g of [...[...a.groups, ...b.groups].filter((g) => g.is_reference), ...a.groups, ...b.groups]) if (!keys.includes(g.key)) keys.push(g.key);
    const rate = (d: ChurnByFactor, k: string) => d.groups.find((g) => g.key === k)?.rate ?? null;
    expect(round(await chartSeries(suite.page, 'segments-timeliness', { name: 'Segment A' }))).toEqual(round(keys.map((k) => rate(a, k))));
    expect(round(await chartSeries(suite.page, 'segments-timeliness', { name: 'Segment B' }))).toEqual(round(keys.map((k) => rate(b, k))));
    // One y scale for all comparison charts.
    const maxes = await Promise.all(['payment_method_class', 'timeliness', 'fee_exposure'].map(async (f) => (await chartOption(suite.page, `segments-${f}`)).yAxis[0] as unknown as { max: number }));
    expect(new Set(maxes.map((m) => m.max)).size).toBe(1);

    const checkHeat = async (rows: string) => {
      const hm = await ok<Heatmap>(`/v1/churn/heatmap?rows=${rows}&factor=payment_method_class`);
      await expect.poll(async () => ((await chartOption(suite.page, 'heatmap')).series[0].data as { name: string }[]).length).toBe(hm.cells.filter((c) => c.is_reference || (c.relative_risk ?? 0) > 0).length);
      const option = await chartOption(suite.page, 'heatmap');
      const items = new Map<string, number[]>();
      for (const s of option.series) for (const d of s.data as { name: string; value: number[] }[]) items.set(d.name, d.value);
      for (const c of hm.cells) {
        const v = items.get(`${c.row_key}|${c.key}`);
        expect(v, `${c.row_key}|${c.key}`).toBeDefined();
        if (!c.is_reference && c.relative_risk && c.relative_risk > 0) expect(v![2]).toBeCloseTo(Math.log2(c.relative_risk), 9);
      }
    };
    await checkHeat('age_band');
    await screenshot(suite.page, 'segments');

    await afterAction(suite.page, () => suite.page.locator('select[name="rows"]').selectOption('vertical'), (u) => u.searchParams.get('rows') === 'vertical');
    await checkHeat('vertical');

    // Edit segment B: broadband customers aged 30+. Both segments become explicit in the URL.
    await suite.page.locator('[data-segment="b"] [data-filter="b_vertical"] summary').click();
    await afterAction(suite.page, () => suite.page.locator('[data-segment="b"] [data-filter="b_vertical"] input[value="broadband"]').check(), (u) => u.searchParams.get('b_vertical') === 'broadband');
    expect(new URL(suite.page.url()).searchParams.getAll('a_age_band')).toEqual(['18-29']);
    const b2 = await ok<ChurnByFactor>('/v1/churn/by/fee_exposure?age_band=30-49&age_band=50-79&age_band=80%2B&vertical=broadband');
    const a2 = await ok<ChurnByFactor>('/v1/churn/by/fee_exposure?age_band=18-29');
    const keys2: string[] = [];
    for (const g of [...[...a2.groups, ...b2.groups].filter((g) => g.is_reference), ...a2.groups, ...b2.groups]) if (!keys2.includes(g.key)) keys2.push(g.key);
    await expect.poll(async () => round(await chartSeries(suite.page, 'segments-fee_exposure', { name: 'Segment B' }))).toEqual(round(keys2.map((k) => rate(b2, k))));
  });

  it('Cohorts: the retention heat map equals the API', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/cohorts`);
    const c = await ok<Cohorts>('/v1/churn/cohorts');
    const rows = c.cohorts.filter((x) => x.n > 0).slice(-36);
    const expected = rows.flatMap((r, y) => r.retention.map((x) => [x.months_since, y, x.share]));
    expect(round(await chartSeries(suite.page, 'cohorts', { type: 'heatmap' }))).toEqual(round(expected));
    await screenshot(suite.page, 'cohorts');
    await afterAction(suite.page, () => suite.page.locator('select[name="cohorts"]').selectOption('12'), (u) => u.searchParams.get('cohorts') === '12');
    const last12 = c.cohorts.filter((x) => x.n > 0).slice(-12);
    await expect.poll(async () => ((await chartOption(suite.page, 'cohorts')).yAxis[0].data as string[])).toEqual(last12.map((r) => r.signup_month));
  });

  it('Fees: revenue, costs and net per vertical equal the API, and the unit costs are inputs', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/fees`);
    const f = await ok<FeeEconomics>('/v1/fees/economics');
    expect(round(await chartSeries(suite.page, 'fee-economics', { name: 'Fee revenue' }))).toEqual(round(f.verticals.map((v) => v.fee_revenue)));
    expect(round(await chartSeries(suite.page, 'fee-economics', { name: 'Net' }))).toEqual(round(f.verticals.map((v) => v.net)));
    await screenshot(suite.page, 'fees');

    const input = suite.page.locator('input[name="handling_cost_per_reminder"]');
    await afterAction(
      suite.page,
      async () => {
        await input.fill('40');
        await input.blur();
      },
      (u) => u.searchParams.get('handling_cost_per_reminder') === '40',
    );
    const f40 = await ok<FeeEconomics>('/v1/fees/economics?handling_cost_per_reminder=40');
    expect(f40.parameters.handling_cost_per_reminder).toBe(40);
    await expect.poll(async () => round(await chartSeries(suite.page, 'fee-economics', { name: 'Net' }))).toEqual(round(f40.verticals.map((v) => v.net)));
  });

  it('Data: ingestion status, paged rejected rows, and classifying unknown payment methods', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/data`);
    const st = await ok<IngestionStatus>('/v1/ingestion/status');
    expect(await chartSeries(suite.page, 'events-by-type', { type: 'bar' })).toEqual(st.by_type.map((t) => t.events));
    const batches = suite.page.locator('[data-table="batches"] tbody tr');
    expect(await batches.count()).toBe(st.batches.length);

    const rj = await ok<{ total: number; rows: { batch_id: number; row: number; code: string }[] }>('/v1/rejected?limit=25&offset=25');
    expect(Number(await suite.page.locator('[data-rejected-total]').getAttribute('data-rejected-total'))).toBe(rj.total);
    expect(await suite.page.locator('[data-table="rejected"] tbody tr').count()).toBe(Math.min(25, rj.total));
    await screenshot(suite.page, 'data');
    if (rj.total > 25) {
      await afterAction(suite.page, () => suite.page.getByRole('button', { name: 'Next ›' }).click(), (u) => u.searchParams.get('rejected_offset') === '25');
      await expect.poll(async () => (await suite.page.locator('[data-table="rejected"] tbody tr').first().locator('td').nth(1).textContent())?.trim()).toBe(String(rj.rows[0].row));
    }

    const pm = await ok<PaymentMethodReport>('/v1/settings/payment-methods');
    const unknown = suite.page.locator('[data-table="unknown-methods"] tbody tr');
    expect(await unknown.count()).toBe(pm.unknown.length);
    if (pm.unknown.length) {
      const label = pm.unknown[0].label;
      await suite.page.locator(`select[name="class-${label}"]`).selectOption('manual');
      await suite.page.getByRole('button', { name: /^Save 1 classification$/ }).click();
      await expect.poll(() => suite.page.locator('[data-saved]').textContent()).toContain(`${label} → manual`);
      const after = await ok<PaymentMethodReport>('/v1/settings/payment-methods');
      expect(after.methods[label]).toBe('manual');
      expect(after.unknown.map((u) => u.label)).not.toContain(label);
      // The complete map was sent: nothing that was classified before was lost.
      for (const [l, c] of Object.entries(pm.methods)) expect(after.methods[l], l).toBe(c);
      expect(await unknown.count()).toBe(pm.unknown.length - 1);
    }
  });

  it('every chart has export buttons, and the CSV holds the chart data', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/drivers?view=lifetime`);
    const cards = suite.page.locator('[data-card]');
    const n = await cards.count();
    expect(n).toBeGreaterThanOrEqual(8);
    expect(await suite.page.locator('[data-card] button:text-is("CSV")').count()).toBe(n);
    expect(await suite.page.locator('[data-card] button:text-is("PNG")').count()).toBe(n);
    const [download] = await Promise.all([suite.page.waitForEvent('download'), suite.page.locator('[data-card="by-timeliness"]').getByRole('button', { name: 'CSV' }).click()]);
    const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
    const d = await ok<ChurnByFactor>('/v1/churn/by/timeliness?view=lifetime');
    const lines = text.replace(/^\ufeff/, '').trim().split(/\r\n/);
    expect(lines[0].split(',')).toEqual(expect.arrayContaining(['factor', 'group', 'n', 'churned', 'rate', 'rate_ci_low', 'rate_ci_high', 'relative_risk', 'p_value']));
    expect(lines.length).toBe(d.groups.length + 1);
    const [png] = await Promise.all([suite.page.waitForEvent('download'), suite.page.locator('[data-card="by-timeliness"]').getByRole('button', { name: 'PNG' }).click()]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
  });

  it('empty filters show the empty state, not a broken chart', async () => {
    const dims = await ok<Dimensions>('/v1/churn/dimensions');
    expect(dims.values.vertical.length).toBeGreaterThan(0);
    // A plan no customer has: every chart must say so instead of drawing nothing.
    suite.watch.allow({ status: 422, url: /\/v1\/churn\/drivers/ });
    await gotoReady(suite.page, `${suite.svc.url}/drivers?view=lifetime&plan=no-such-plan`);
    const d = await ok<ChurnByFactor>('/v1/churn/by/payment_method_class?view=lifetime&plan=no-such-plan');
    if (d.n === 0) {
      expect(await cardState('by-payment_method_class')).toBe('empty');
      expect(await suite.page.locator('[data-card="by-payment_method_class"]').textContent()).toContain('No customers match these filters');
    }
  });

  it('narrow window (400 px): pages stay usable', async () => {
    await suite.page.setViewportSize({ width: 400, height: 800 });
    await gotoReady(suite.page, `${suite.svc.url}/`);
    const overflow = await suite.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await suite.page.getByRole('button', { name: /^Filters/ }).click();
    await expect.poll(() => suite.page.locator('#filter-controls').isVisible()).toBe(true);
    await screenshot(suite.page, 'overview-narrow');
    await gotoReady(suite.page, `${suite.svc.url}/drivers?view=lifetime`);
    expect(await suite.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(1);
    await screenshot(suite.page, 'drivers-narrow');
  });

  it('keyboard: nav links and filters are reachable with Tab, with a visible focus ring', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/`);
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) {
      await suite.page.keyboard.press('Tab');
      seen.push(await suite.page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el ? `${el.tagName.toLowerCase()}:${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}` : '';
      }));
    }
    expect(seen).toEqual(expect.arrayContaining(['a:Drivers', 'a:Fees']));
    expect(seen.some((s) => s.startsWith('summary:Vertical'))).toBe(true);
    const outline = await suite.page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    // Open a filter with the keyboard and pick a value.
    await suite.page.locator('[data-filter="vertical"] summary').focus();
    await suite.page.keyboard.press('Enter');
    await suite.page.keyboard.press('Tab');
    await afterAction(suite.page, () => suite.page.keyboard.press('Space'), (u) => u.searchParams.getAll('vertical').length === 1);
  });
});
