/**
 * The Offers page in a real browser against the real service (small sample data): ranked offers
 * draw the API's numbers, the what-if slider rescales them, the audience table pages and sorts on
 * the server, the export downloads the same rows as the API's audience, and the performance and
 * calibration charts show the API's figures. Screenshot: test-output/screenshots/offers.png.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AudiencePage, Performance, Recommendations, RiskModel } from '../../service/offers/contracts.ts';
import { afterAction, chartOption, chartSeries, gotoReady, round, screenshot } from '../helpers/browser.ts';
import { dashboardSuite } from '../helpers/dashboard-suite.ts';

const suite = dashboardSuite({ width: 1280, height: 900 });

describe('Offers page', () => {
  it('shows the ranked offers, the audience, past performance and the model check with the API numbers', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/offers`);
    const rec = await suite.ok<Recommendations>('/v1/offers/recommendations');
    const ranked = rec.offers.filter((o) => o.audience_size > 0).sort((a, b) => b.expected_saved_revenue_monthly - a.expected_saved_revenue_monthly);
    expect(ranked.length).toBeGreaterThanOrEqual(2);

    // Ranked offers: bars are the API's net values, best first; the title names the best offer.
    const value = await chartOption(suite.page, 'offer-value');
    expect(value.yAxis[0].data).toEqual(ranked.map((o) => o.name));
    expect(round(await chartSeries(suite.page, 'offer-value', { type: 'bar' }), 6)).toEqual(round(ranked.map((o) => o.expected_saved_revenue_monthly), 6));
    expect(await suite.page.locator('[data-card="offer-value"] h2').textContent()).toContain(ranked[0].name);
    for (const o of rec.offers) {
      expect(await suite.page.locator(`[data-table="offers"] tr[data-offer="${o.offer_id}"] [data-col="audience"]`).textContent(), o.offer_id).toBe(o.audience_size.toLocaleString());
    }
    expect(await suite.page.locator('[data-kpi="recommended"] .value').textContent()).toBe(rec.customers_recommended.toLocaleString());

    // Audience table: first page equals the API's first suite.page.
    const first = await suite.ok<AudiencePage>('/v1/offers/audience?limit=25');
    const ids = await suite.page.locator('[data-table="audience"] tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.customer));
    expect(ids).toEqual(first.rows.map((r) => r.customer_id));

    // Past performance: churn after acceptance vs not, the API's rates.
    const perf = await suite.ok<Performance>('/v1/offers/performance');
    const all = perf.rows.filter((r) => r.segment === 'all' && r.shown > 0);
    expect(round(await chartSeries(suite.page, 'offer-performance', { name: 'Accepted', type: 'bar' }), 6)).toEqual(round(all.map((r) => r.accepted_churn_rate), 6));
    expect(round(await chartSeries(suite.page, 'offer-performance', { name: 'Shown, not accepted', type: 'bar' }), 6)).toEqual(round(all.map((r) => r.not_accepted_churn_rate), 6));
    expect(await suite.page.locator('[data-card="offer-performance"] .note').textContent()).toMatch(/Observational/);

    // Model check: calibration points are the API's deciles; the title prints the hold-out concordance.
    const model = await suite.ok<RiskModel>('/v1/offers/model');
    const points = (await chartSeries(suite.page, 'risk-calibration', { type: 'scatter' })) as number[][];
    expect(round(points, 6)).toEqual(round(model.validation!.calibration.map((d) => [d.mean_predicted, d.observed]), 6));
    expect(await suite.page.locator('[data-card="risk-calibration"] h2').textContent()).toContain(`C = ${model.validation!.concordance!.toFixed(2)}`);

    await screenshot(suite.page, 'offers');
  });

  it('the what-if slider rescales every offer to one acceptance rate, and back', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/offers`);
    const rec = await suite.ok<Recommendations>('/v1/offers/recommendations');
    const ranked = rec.offers.filter((o) => o.audience_size > 0).sort((a, b) => b.expected_saved_revenue_monthly - a.expected_saved_revenue_monthly);
    await suite.page.locator('#whatif').fill('0.3');
    await expect.poll(() => suite.page.locator('output[data-whatif]').getAttribute('data-whatif')).toBe('0.3');
    const scaled = ranked.map((o) => ({ name: o.name, value: (o.expected_saved_revenue_monthly * 0.3) / o.acceptance_rate })).sort((a, b) => b.value - a.value);
    await expect.poll(async () => round(await chartSeries(suite.page, 'offer-value', { type: 'bar' }), 6)).toEqual(round(scaled.map((s) => s.value), 6));
    expect((await chartOption(suite.page, 'offer-value')).yAxis[0].data).toEqual(scaled.map((s) => s.name));
    await suite.page.getByRole('button', { name: 'Use the evidence' }).click();
    await expect.poll(async () => round(await chartSeries(suite.page, 'offer-value', { type: 'bar' }), 6)).toEqual(round(ranked.map((o) => o.expected_saved_revenue_monthly), 6));
  });

  it('the audience table filters by offer, sorts and pages on the server, and exports the same rows as CSV', async () => {
    const rec = await suite.ok<Recommendations>('/v1/offers/recommendations');
    const offer = rec.offers.filter((o) => o.audience_size > 25).sort((a, b) => b.audience_size - a.audience_size)[0];
    await gotoReady(suite.page, `${suite.svc.url}/offers`);
    await afterAction(suite.page, () => suite.page.locator('select[name="offer"]').selectOption(offer.offer_id), (u) => u.searchParams.get('offer') === offer.offer_id);
    await afterAction(suite.page, () => suite.page.locator('button[data-sort="risk"]').click(), (u) => u.searchParams.get('sort') === 'risk');
    const api = await suite.ok<AudiencePage>(`/v1/offers/audience?offer_id=${offer.offer_id}&sort=risk&order=desc&limit=25&offset=25`);
    await afterAction(suite.page, () => suite.page.locator('[data-action="next-page"]').click(), (u) => u.searchParams.get('page') === '2');
    const rows = suite.page.locator('[data-table="audience"] tbody tr');
    expect(await rows.evaluateAll((r) => r.map((x) => (x as HTMLElement).dataset.customer))).toEqual(api.rows.map((r) => r.customer_id));
    expect(await rows.evaluateAll((r) => r.map((x) => (x as HTMLElement).dataset.offer))).toEqual(api.rows.map(() => offer.offer_id));
    await expect.poll(() => suite.page.locator('th[aria-sort="descending"] button').getAttribute('data-sort')).toBe('risk');

    // Export: the whole audience of this offer, in the table's order.
    const [download] = await Promise.all([suite.page.waitForEvent('download'), suite.page.locator('[data-action="export-audience"]').click()]);
    const text = fs.readFileSync(await download.path(), 'utf8');
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^customer_id,offer_id,channel,risk/);
    const full = await suite.ok<AudiencePage>(`/v1/offers/audience?offer_id=${offer.offer_id}&sort=risk&order=desc&limit=1000`);
    expect(lines.length - 1).toBe(offer.audience_size);
    expect(lines.slice(1).map((l) => JSON.parse(l.split(',')[0]))).toEqual(full.rows.map((r) => r.customer_id));
    await expect.poll(() => suite.page.locator('[data-export-status]').textContent()).toContain(`${offer.audience_size}`);
  });

  it('segment filters from the filter bar narrow the page', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/offers?vertical=broadband`);
    const rec = await suite.ok<Recommendations>('/v1/offers/recommendations?vertical=broadband');
    expect(await suite.page.locator('[data-kpi="scored"] .value').textContent()).toBe(rec.customers_scored.toLocaleString());
    const first = await suite.ok<AudiencePage>('/v1/offers/audience?vertical=broadband&limit=25');
    const ids = await suite.page.locator('[data-table="audience"] tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.customer));
    expect(ids).toEqual(first.rows.map((r) => r.customer_id));
  });
});
