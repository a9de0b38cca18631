/**
 * Hold-out campaigns on the Offers page (issue 15): a campaign created from the current audience
 * (a market filter and one offer, from the URL) with a 20 % hold-out is listed with its requested
 * and realised hold-out share and its uplift as GET /v1/offers/campaigns/{id} reports them, its
 * members are exactly the audience the API lists for those filters, it stays listed after a
 * reload, and the panel is labelled experimental while the performance card says observational.
 * At 400 px nothing overflows. Screenshots: offers-campaigns(.png, -narrow.png).
 */
import { describe, expect, it } from 'vitest';
import type { AudiencePage, Recommendations } from '../../service/offers/contracts.ts';
import type { CampaignReport } from '../../service/offers/campaigns.ts';
import { gotoReady, screenshot, waitReady } from '../helpers/browser.ts';
import { dashboardSuite } from '../helpers/dashboard-suite.ts';

const suite = dashboardSuite({ width: 1280, height: 900 });

describe('Offers hold-out campaigns', () => {
  it('creates a campaign from the current audience and lists it with its hold-out share and uplift', async () => {
    // A campaign dated 120 days before the latest event, so its groups have churn to compare.
    const dims = await suite.ok<{ default_as_of: string }>('/v1/churn/dimensions');
    const asOf = new Date(Date.parse(`${dims.default_as_of}T00:00:00Z`) - 120 * 86_400_000).toISOString().slice(0, 10);
    const rec = await suite.ok<Recommendations>(`/v1/offers/recommendations?market=SE&as_of=${asOf}`);
    const best = rec.offers.filter((o) => o.audience_size > 0).sort((a, b) => b.audience_size - a.audience_size)[0];
    await gotoReady(suite.page, `${suite.svc.url}/offers?as_of=${asOf}&market=SE&offer=${best.offer_id}`);
    await expect.poll(() => suite.page.locator('[data-card="campaigns"] [data-campaigns]').getAttribute('data-campaigns')).toBe('0');
    expect(await suite.page.locator('[data-card="campaigns"] .badge').textContent()).toBe('experimental');
    expect(await suite.page.locator('[data-card="offer-performance"]').textContent()).toContain('Observational');
    expect(await suite.page.locator('[data-audience]').getAttribute('data-audience')).toBe(best.offer_id);

    await suite.page.locator('input[name="campaign_id"]').fill('se-autumn');
    await suite.page.locator('input[name="holdout_percent"]').fill('20');
    await suite.page.locator('[data-action="create-campaign"]').click();
    const row = suite.page.locator('tr[data-campaign="se-autumn"]');
    await row.waitFor({ timeout: 30_000 });

    const report = await suite.ok<CampaignReport>('/v1/offers/campaigns/se-autumn');
    expect(report.holdout_share).toBe(0.2);
    expect(report.offer_id).toBe(best.offer_id);
    expect(report.filters).toEqual({ as_of: asOf, market: ['SE'] });
    expect(report.as_of).toBe(asOf);
    expect(report.days_observed).toBe(120);
    expect(report.treatment.churned + report.holdout.churned).toBeGreaterThan(0);
    // The members are the audience the API lists for these filters and this offer.
    const audience = await suite.ok<AudiencePage>(`/v1/offers/audience?as_of=${asOf}&market=SE&offer_id=${best.offer_id}&limit=1`);
    expect(report.treatment.members + report.holdout.members).toBe(audience.total);
    expect(report.realised_holdout_share).toBeGreaterThan(0.1);
    expect(report.realised_holdout_share).toBeLessThan(0.3);
    expect(await row.getAttribute('data-holdout-share')).toBe('0.2');
    expect(await row.getAttribute('data-realised-share')).toBe(String(report.realised_holdout_share));
    expect(await row.locator('[data-col="holdout"]').textContent()).toContain('20%');
    expect(report.churn_prevented).not.toBeNull();
    expect(await row.locator('[data-col="uplift"]').getAttribute('data-uplift')).toBe(String(report.churn_prevented));
    const ci = report.churn_prevented_ci!;
    expect(await row.locator('[data-col="uplift"]').textContent()).toContain(`${ci[0] < 0 ? '−' : '+'}${(Math.abs(ci[0]) * 100).toFixed(1)} pp to`);
    await expect.poll(() => suite.page.locator('[role="status"]').textContent()).toContain(`${report.holdout.members.toLocaleString()} held out`);
    await row.scrollIntoViewIfNeeded();
    await screenshot(suite.page, 'offers-campaigns');

    // Listed after a reload, as GET /v1/offers/campaigns lists it; a second id with the same id is refused in words.
    await suite.page.reload();
    await waitReady(suite.page);
    await row.waitFor({ timeout: 30_000 });
    const list = await suite.ok<{ campaigns: CampaignReport[] }>('/v1/offers/campaigns');
    expect(list.campaigns.map((c) => c.campaign_id)).toEqual(['se-autumn']);
    suite.watch.allow({ status: 409, url: /\/v1\/offers\/campaigns$/ });
    await suite.page.locator('input[name="campaign_id"]').fill('se-autumn');
    await suite.page.locator('[data-action="create-campaign"]').click();
    await expect.poll(() => suite.page.locator('[data-card="campaigns"] [role="alert"]').textContent()).toContain('exists already');

    await suite.page.setViewportSize({ width: 400, height: 900 });
    await waitReady(suite.page);
    // Resized in place (no navigation): the charts follow through a ResizeObserver a moment later,
    // so the page may overflow for a frame or two; it must not stay so.
    await expect
      .poll(() => suite.page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), { timeout: 5_000 })
      .toBe(true);
    await suite.page.locator('[data-card="campaigns"]').scrollIntoViewIfNeeded();
    await screenshot(suite.page, 'offers-campaigns-narrow');
  });
});
