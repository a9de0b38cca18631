/**
 * Charts below the fold draw after the page is interactive (web/src/lib/echart.ts): `data-ready`
 * waits for the charts in view only, and the others draw when scrolled near or in idle time
 * (`data-complete`). To make "in idle time" deterministic, the browser's requestIdleCallback is
 * replaced by one that never fires: then only scrolling draws a chart below the fold, the PNG
 * export of a chart not yet drawn still works, and with the real idle callback everything draws
 * without any scrolling.
 */
import { describe, expect, it } from 'vitest';
import { gotoReady, openPage, waitComplete } from '../helpers/browser.ts';
import { dashboardSuite } from '../helpers/dashboard-suite.ts';

const suite = dashboardSuite();
const allowCoxRefusal = () => suite.watch.allow({ status: 422, url: /\/v1\/churn\/drivers/ });
const rendered = (id: string) => suite.page.locator(`[data-chart="${id}"]`).getAttribute('data-rendered');

describe('charts out of view', () => {
  it('wait for the viewport (or an idle moment) and do not hold data-ready', async () => {
    await suite.page.addInitScript({ content: 'window.requestIdleCallback = () => 0; window.cancelIdleCallback = () => undefined;' });
    allowCoxRefusal();
    await gotoReady(suite.page, `${suite.svc.url}/drivers`);
    // Interactive: the first chart (at the top) is drawn; the survival chart, far below the fold, is not.
    expect(await rendered('by-payment_method_class')).toBe('true');
    expect(await rendered('survival')).toBe('false');
    expect(await suite.page.locator('main').getAttribute('data-complete')).toBe('false');

    expect(await rendered('dose-late')).toBe('false');

    // The PNG export of a chart not drawn yet draws it first.
    const [png] = await Promise.all([suite.page.waitForEvent('download'), suite.page.locator('[data-card="dose-late"]').getByRole('button', { name: 'PNG' }).click()]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    expect(await rendered('dose-late')).toBe('true');

    // Scrolling a chart near the viewport draws it.
    await suite.page.locator('[data-chart="survival"]').scrollIntoViewIfNeeded();
    await suite.page.waitForSelector('[data-chart="survival"][data-rendered="true"]', { state: 'attached', timeout: 10_000 });
  });

  it('all draw without scrolling once the page is idle', async () => {
    allowCoxRefusal();
    await gotoReady(suite.page, `${suite.svc.url}/drivers`);
    await waitComplete(suite.page, 15_000);
    const states = await suite.page.locator('[data-chart]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.rendered));
    expect(states.length).toBeGreaterThanOrEqual(8);
    expect(states.every((s) => s === 'true'), states.join(',')).toBe(true);
    // A narrow screen shows one chart at a time: the same holds there.
    const narrow = await openPage(suite.browser, { width: 400, height: 800 });
    narrow.watch.allow({ status: 422, url: /\/v1\/churn\/drivers/ });
    await gotoReady(narrow.page, `${suite.svc.url}/drivers`);
    await waitComplete(narrow.page, 15_000);
    expect(await narrow.page.locator('[data-chart][data-rendered="false"]').count()).toBe(0);
    expect(narrow.watch.problems).toEqual([]);
    await narrow.context.close();
  });
});
