/**
 * Saved views in the browser (issue 15): save the current filters under a name, reload and find
 * the view still active, open its share link in a fresh browser and get the same filters, apply
 * a view by choosing it, rename and delete it — each checked against the service's stored views.
 */
import { describe, expect, it } from 'vitest';
import type { SavedView } from '../../service/views/contracts.ts';
import { afterAction, gotoReady, newContext, screenshot, waitReady, watch } from '../helpers/browser.ts';
import { dashboardSuite } from '../helpers/dashboard-suite.ts';

const suite = dashboardSuite();
const stored = async () => ((await (await suite.svc.call('/v1/views')).json()) as { views: SavedView[] }).views;
const select = () => suite.page.locator('[data-saved-views] select[name="saved_view"]');
const selectedName = () => select().evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent?.trim());

describe('saved views', () => {
  it('create, reload, share by link in a new browser, apply, rename and delete', async () => {
    suite.watch.allow({ status: 422, url: /\/v1\/churn\/drivers/ });
    await gotoReady(suite.page, `${suite.svc.url}/segments?vertical=broadband&market=SE&view=landmark`);
    expect(await selectedName()).toBe('None saved yet');

    // Create.
    await suite.page.getByRole('button', { name: 'Save view…' }).click();
    await suite.page.locator('input[name="view_name"]').fill('Broadband Sweden');
    await suite.page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(selectedName).toBe('Broadband Sweden');
    const [view] = await stored();
    expect(view).toMatchObject({ name: 'Broadband Sweden', filters: { vertical: ['broadband'], market: ['SE'], view: 'landmark' }, created_by: { role: 'open', token: null } });
    await screenshot(suite.page, 'saved-views-1280');

    // Reload: still there, still active.
    await suite.page.reload();
    await waitReady(suite.page);
    await expect.poll(selectedName).toBe('Broadband Sweden');

    // Change a filter: no view is active any more.
    await afterAction(suite.page, () => suite.page.locator('select[name="view"]').selectOption('lifetime'), (u) => u.searchParams.get('view') === 'lifetime');
    await expect.poll(selectedName).toBe('Unsaved filters');

    // Choose it again: the URL gets the view's filters.
    await afterAction(suite.page, () => select().selectOption({ label: 'Broadband Sweden' }), (u) => u.searchParams.get('view') === 'landmark');
    const p = new URL(suite.page.url()).searchParams;
    expect([p.getAll('vertical'), p.getAll('market'), p.get('view')]).toEqual([['broadband'], ['SE'], 'landmark']);

    // Share: the link carries only the view id; a fresh browser gets its filters.
    await suite.page.getByRole('button', { name: 'Share link' }).click();
    const link = await suite.page.locator('input[name="share_link"]').inputValue();
    expect(link).toBe(`${suite.svc.url}/?saved_view=${view.id}`);
    const other = await newContext(suite.browser);
    try {
      const page2 = await other.newPage();
      const w2 = watch(page2);
      await page2.goto(link);
      await expect.poll(() => new URL(page2.url()).searchParams.getAll('vertical')).toEqual(['broadband']);
      await waitReady(page2);
      const u = new URL(page2.url());
      expect(u.pathname).toBe('/');
      expect(u.searchParams.has('saved_view')).toBe(false);
      expect([u.searchParams.getAll('market'), u.searchParams.get('view')]).toEqual([['SE'], 'landmark']);
      expect(await page2.locator('select[name="view"]').inputValue()).toBe('landmark');
      await expect.poll(() => page2.locator('[data-saved-views] select[name="saved_view"]').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent?.trim())).toBe('Broadband Sweden');
      expect(w2.problems).toEqual([]);
    } finally {
      await other.close();
    }

    // Rename.
    await suite.page.getByRole('button', { name: 'Rename' }).click();
    await suite.page.locator('input[name="view_name"]').fill('SE broadband (landmark)');
    await suite.page.getByRole('button', { name: 'Rename', exact: true }).click();
    await expect.poll(selectedName).toBe('SE broadband (landmark)');
    expect((await stored()).map((v) => [v.id, v.name])).toEqual([[view.id, 'SE broadband (landmark)']]);

    // A second view of a taken name is refused with the service's message.
    await suite.watch.allow({ status: 409, url: /\/v1\/views/ });
    await suite.page.getByRole('button', { name: 'Save view…' }).click();
    await suite.page.locator('input[name="view_name"]').fill('se BROADBAND (landmark)');
    await suite.page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(suite.page.locator('[data-saved-views] [role="alert"]').textContent()).resolves.toMatch(/exists already/);
    await suite.page.getByRole('button', { name: 'Cancel' }).click();

    // Delete.
    await suite.page.getByRole('button', { name: 'Delete' }).click();
    await suite.page.getByRole('button', { name: 'Delete view' }).click();
    await expect.poll(selectedName).toBe('None saved yet');
    expect(await stored()).toEqual([]);

    // The old link now says the view is gone, and keeps the page usable.
    await gotoReady(suite.page, link);
    await expect.poll(() => suite.page.locator('[data-saved-views] [role="status"]').textContent()).toMatch(/no longer exists/);
    expect(new URL(suite.page.url()).searchParams.has('saved_view')).toBe(false);
  });
});
