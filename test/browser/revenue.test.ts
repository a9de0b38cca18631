/**
 * The Revenue page (issue 15): the headline and the tables show the API's figures (revenue churn
 * with its interval, MRR movements month by month, reasons by segment), the breakdown selector
 * lives in the URL, the page follows the filter bar, and at 400 px nothing overflows.
 * Screenshots at 1280 and 400 px.
 */
import { describe, expect, it } from 'vitest';
import type { MrrMovements, RevenueChurn } from '../../service/revenue/contracts.ts';
import { afterAction, gotoReady, screenshot, waitReady } from '../helpers/browser.ts';
import { dashboardSuite } from '../helpers/dashboard-suite.ts';

const suite = dashboardSuite();
const api = async <T,>(path: string) => (await (await suite.svc.call(path)).json()) as T;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

describe('revenue page', () => {
  it('shows the API figures, follows filters and its breakdown in the URL, fits 400 px', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/revenue?market=SE`);
    const churn = await api<RevenueChurn>('/v1/revenue/churn?market=SE');
    const title = (await suite.page.locator('[data-card="revenue-churn"] h2').textContent())!;
    expect(title).toContain(pct(churn.overall.revenue_rate!));
    expect(title).toContain(`n = ${churn.overall.n.toLocaleString('en-GB')}`);
    expect(title).toContain(`${pct(churn.overall.revenue_rate_ci![0])}–${pct(churn.overall.revenue_rate_ci![1])}`);
    await suite.page.locator('[data-card="revenue-churn"] details summary', { hasText: /^Table$/ }).click();
    const manual = churn.groups.find((g) => g.key === 'manual')!;
    const row = suite.page.locator('[data-table="revenue-churn"] tr[data-key="manual"] td');
    expect(await row.nth(0).textContent()).toBe(manual.n.toLocaleString('en-GB'));
    expect(await row.nth(4).textContent()).toContain(pct(manual.revenue_rate!));

    const moves = await api<MrrMovements>('/v1/revenue/mrr-movements?market=SE');
    await suite.page.locator('[data-card="mrr-movements"] details summary', { hasText: /^Table$/ }).click();
    const rows = suite.page.locator('[data-table="mrr-movements"] tbody tr');
    expect(await rows.count()).toBe(moves.months.length);
    const last = moves.months.at(-1)!;
    expect(await rows.last().locator('td').nth(5).textContent()).toBe(`${Math.round(last.mrr_end).toLocaleString('en-GB')} EUR`);

    // The breakdown is a page parameter.
    await afterAction(suite.page, () => suite.page.locator('select[name="by"]').selectOption('vertical'), (u) => u.searchParams.get('by') === 'vertical');
    await waitReady(suite.page);
    const byVertical = await api<RevenueChurn>('/v1/revenue/churn?market=SE&by=vertical');
    await expect.poll(() => suite.page.locator('[data-table="revenue-churn"] tbody tr').count()).toBe(byVertical.groups.length + 1);
    expect(new URL(suite.page.url()).searchParams.getAll('market')).toEqual(['SE']);
    await screenshot(suite.page, 'revenue-1280');

    const reasons = suite.page.locator('[data-table="cancellation-reasons"] tbody tr');
    expect(await reasons.count()).toBeGreaterThan(0);

    await suite.page.setViewportSize({ width: 400, height: 900 });
    await gotoReady(suite.page, `${suite.svc.url}/revenue?market=SE`);
    expect(await suite.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await screenshot(suite.page, 'revenue-400');
  });
});
