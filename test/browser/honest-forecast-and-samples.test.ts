/**
 * Issue 13 in a real browser against the real service (small sample): the dirt a new user brings
 * (a tiny segment filter, a one-day contact spike) can no longer produce a wrong headline. Drivers:
 * the survival headline names a horizon where every named curve still has 30+ customers at risk
 * (never "after 0 days, 100 % vs 100 %"), small groups are labelled "n too small" and never
 * headlined, merged Cox levels are listed, and a line says which view each part of the page shows.
 * Staffing (after posting 20 000 contacts on one Friday): the spike is listed and marked as an
 * outlier, and the title says what the back-test's interval allows — here, too uncertain to plan on.
 * The Drivers checks run first: the spike's stray customer ids would otherwise join the churn base.
 */
import { describe, expect, it } from 'vitest';
import type { ChurnByFactor, Drivers, SurvivalCurves } from '../../service/analytics/contracts.ts';
import type { Backtest, Plan } from '../../service/staffing/contracts.ts';
import { chartOption, gotoReady, screenshot } from '../helpers/browser.ts';
import { dashboardSuite } from '../helpers/dashboard-suite.ts';

const suite = dashboardSuite({ width: 1280, height: 900 });

const h2 = (card: string) => suite.page.locator(`[data-card="${card}"] h2`).textContent();

/** The headline horizon by the rule, computed here from the API's curves. */
function expectedHorizon(sv: SurvivalCurves): number | null {
  const big = sv.curves.filter((c) => c.n >= 30);
  const atRisk = (c: SurvivalCurves['curves'][number], t: number) => c.points.find((p) => p.t_days >= t)?.at_risk ?? 0;
  return [365, 180, 90, 30].find((t) => big.every((c) => atRisk(c, t) >= 30)) ?? null;
}

describe('honest headlines', () => {
  it('Drivers: the survival headline rests on a horizon with enough at risk, merges and views are explained', async () => {
    const [sv, dr, rates] = await Promise.all([
      suite.ok<SurvivalCurves>('/v1/churn/survival?by=payment_method_class'),
      suite.ok<Drivers>('/v1/churn/drivers'),
      suite.ok<ChurnByFactor>('/v1/churn/by/payment_method_class'),
    ]);
    await gotoReady(suite.page, `${suite.svc.url}/drivers`);
    const t = expectedHorizon(sv);
    expect(t).not.toBeNull();
    const title = (await h2('survival'))!;
    expect(title).toMatch(new RegExp(`^(No clear survival difference by payment method class )?${t === 365 ? '[Aa]fter one year' : `[Aa]fter ${t} days`}`));
    expect(title).not.toMatch(/After 0 days/);
    expect(await suite.page.locator('[data-table="at-risk"] thead').textContent()).toContain(`Still subscribed at day ${t}`);

    // The default landmark model merges two_or_more fees (7 customers) into one_or_more, and says so.
    expect(dr.merged_levels.length).toBeGreaterThan(0);
    const merges = suite.page.locator('[data-testid="merged-levels"] li[data-merge]');
    expect(await merges.count()).toBe(dr.merged_levels.length);
    expect(await suite.page.locator('[data-merge="fee_exposure:two_or_more"]').textContent()).toBe('fee exposure: 2+ fees → 1+ fees (n = 7, 1 churned)');

    // Which view each part shows, with its n.
    const views = (await suite.page.locator('[data-testid="views-line"]').textContent())!;
    expect(views).toContain(`the ${rates.view} view (n = ${rates.n.toLocaleString('en')} customers)`);
    expect(views).toContain(`the ${dr.view} view (n = ${dr.n.toLocaleString('en')}`);
    expect(views).toContain('They differ because');
    // The glossary tooltip explains "landmark" on hover.
    const landmark = suite.page.locator('[data-testid="views-line"] [data-term="landmark"]');
    await landmark.hover();
    await expect.poll(() => landmark.locator('.tip').isVisible()).toBe(true);
    expect(await landmark.locator('.tip').textContent()).toMatch(/^Landmark view:/);
    await screenshot(suite.page, 'drivers-honest');
  });

  it('Drivers: a tiny segment gets "n too small" labels and no confident headline', async () => {
    const filter = 'market=DK&vertical=alarm&age_band=80%2B';
    const sat = await suite.ok<ChurnByFactor>(`/v1/churn/by/satisfaction_level?${filter}`);
    expect(sat.n).toBeGreaterThan(0);
    expect(sat.n).toBeLessThan(30);
    // The adjusted model cannot be fitted on so few customers even with merging: a clean 422.
    suite.watch.allow({ status: 422, url: /\/v1\/churn\/drivers/ });
    await gotoReady(suite.page, `${suite.svc.url}/drivers?${filter}`);

    const satTitle = (await h2('by-satisfaction_level'))!;
    expect(satTitle).not.toMatch(/ranges from/);
    expect(satTitle).toBe(`Too few customers to compare churn by satisfaction: no two groups of 30 or more (largest n = ${Math.max(...sat.groups.map((g) => g.n))})`);
    // Every group is drawn greyed with its label.
    const option = await chartOption<{ xAxis: { data: string[] }[]; series: { type: string; data: { itemStyle?: { color?: string } }[] }[] }>(suite.page, 'by-satisfaction_level');
    for (const label of option.xAxis[0].data) expect(label).toContain('n too small');
    for (const d of option.series.find((s) => s.type === 'bar')!.data) expect(d.itemStyle?.color).toBe('#d4d4d4');

    const survivalTitle = (await h2('survival'))!;
    expect(survivalTitle).toMatch(/^Too few customers to compare survival by payment method class: no group of 30 or more/);
    expect(await suite.page.locator('[data-table="at-risk"] [data-small-sample]').count()).toBeGreaterThan(0);

    const refused = await suite.svc.call(`/v1/churn/drivers?${filter}`);
    expect(refused.status).toBe(422);
    const err = ((await refused.json()) as { error: { code: string; message: string } }).error;
    expect(['group_too_small', 'model_refused']).toContain(err.code);
    expect(await suite.page.locator('[data-card="drivers-forest"] [data-error-code]').getAttribute('data-error-code')).toBe(err.code);
    expect(await suite.page.locator('[data-card="drivers-forest"] [role="alert"]').textContent()).toContain(err.message);
    await screenshot(suite.page, 'drivers-tiny-segment');
  });

  it('Staffing: a one-day contact spike is listed as an outlier and the title says what the back-test allows', async () => {
    const start = Date.parse('2026-10-16T08:00:00Z');
    const lines = Array.from({ length: 20_000 }, (_, i) =>
      JSON.stringify({ event_id: `browser-spike-${i}`, type: 'contact', occurred_at: new Date(start + Math.floor(i * 1.8) * 1000).toISOString().replace('.000Z', 'Z'), customer_id: `STRAY${i}`, channel: 'phone', topic: 'invoice', direction: 'inbound', handle_seconds: 240 }),
    );
    const res = await suite.svc.call('/v1/events', { method: 'POST', body: lines.join('\n') + '\n', headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.status).toBe(200);

    const [bt, plan] = await Promise.all([
      suite.ok<Backtest>('/v1/staffing/backtest?weeks=4&interval_minutes=30&time_zone=UTC'),
      suite.ok<Plan>('/v1/staffing/plan?weeks=4&interval_minutes=30&time_zone=UTC&intervals=false'),
    ]);
    expect(plan.model.outliers.days.map((d) => d.date)).toEqual(['2026-10-16']);
    await gotoReady(suite.page, `${suite.svc.url}/staffing`, 120_000);

    const all = bt.channels.find((c) => c.channel === 'all')!;
    const title = (await h2('forecast-vs-actual'))!;
    expect(title).toBe(`All channels: ${all.verdict.statement}, over the last 4 held-out weeks`);
    expect(title).toMatch(/^All channels: the forecast is too uncertain to plan on — daily error \d+ %, above 30 %/);
    expect(title).not.toMatch(/beats/);

    const listed = suite.page.locator('[data-testid="forecast-outliers"] li[data-outlier="2026-10-16"]');
    expect(await listed.count()).toBe(1);
    expect(await listed.textContent()).toMatch(/20.?002 contacts \(Phone\)/);
    const option = await chartOption<{ series: { name: string; markPoint?: { data: { coord: [string, number] }[] } }[] }>(suite.page, 'forecast-vs-actual');
    expect(option.series.find((s) => s.name === 'Actual')!.markPoint!.data.map((d) => d.coord)).toEqual([['2026-10-16', bt.daily.find((d) => d.channel === 'all' && d.date === '2026-10-16')!.actual]]);
    // The plan's peak stays where a normal week puts it.
    expect(await suite.page.locator('[data-kpi="peak"] .value').textContent()).toBe(String(plan.totals.peak_rostered_agents));
    expect(plan.totals.peak_rostered_agents).toBeLessThan(20);
    await screenshot(suite.page, 'staffing-spike');
  });
});
