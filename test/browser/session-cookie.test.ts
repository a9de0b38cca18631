/**
 * Issue 17, browser hygiene, in the real dashboard: signing in on the Data page leaves no token in
 * the page's storage (every localStorage and sessionStorage key and value is checked), the session
 * cookie is HttpOnly (absent from `document.cookie`) and SameSite=Strict, pages with data load
 * through it, signing out ends it, and a token an earlier version left in localStorage is
 * exchanged for a session once and deleted.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Summary } from '../../service/analytics/contracts.ts';
import { afterAction, gotoReady, openPage, waitReady } from '../helpers/browser.ts';
import { serviceAndBrowser } from '../helpers/dashboard-suite.ts';

const READ = 'read-token-for-session-tests';
const ADMIN = 'admin-token-for-session-tests';
const suite = serviceAndBrowser({ AUTH_TOKENS: `read:${READ},admin:${ADMIN}` });

/** Every key and value of both web storages, and what scripts see of the cookies. */
const pageSecrets = (page: Page) =>
  page.evaluate(() => ({
    storage: [...Object.entries(localStorage), ...Object.entries(sessionStorage)].flat(),
    cookie: document.cookie,
  }));

async function expectNoTokenInPage(page: Page) {
  const { storage, cookie } = await pageSecrets(page);
  for (const entry of storage) {
    expect(entry).not.toContain(READ);
    expect(entry).not.toContain(ADMIN);
  }
  expect(storage).not.toContain('invoice-pulse.token');
  expect(cookie).not.toContain('ip_session');
}

describe('session cookie sign-in', () => {
  it('signs in on the Data page without keeping the token, loads data through the HttpOnly cookie, and signs out', async () => {
    const { context, page, watch: w } = await openPage(suite.browser);
    w.allow({ status: 401, url: /\/v1\// });
    w.allow({ status: 422, url: /\/v1\/churn\/drivers/ });

    await gotoReady(page, `${suite.svc.url}/data`);
    expect(await page.locator('[data-session]').getAttribute('data-session')).toBe('signed-out');
    expect(await page.locator('[data-card="events-by-type"]').getAttribute('data-state')).toBe('error');

    await page.locator('#token-input').fill(READ);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('[data-session]').getAttribute('data-session')).toBe('read');
    await expect.poll(() => page.locator('[data-card="events-by-type"]').getAttribute('data-state')).toBe('ready');
    await waitReady(page);
    expect(await page.locator('.signed-in').textContent()).toMatch(/^Signed in as read until /);
    expect(await page.locator('#token-input').count()).toBe(0); // the field (and its value) is gone

    await expectNoTokenInPage(page);
    const cookies = await context.cookies(suite.svc.url);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ name: 'ip_session', path: '/', httpOnly: true, secure: false, sameSite: 'Strict' });
    expect(cookies[0].value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Max-Age=43200: the browser keeps it 12 hours (within the seconds this test took).
    expect(cookies[0].expires - Date.now() / 1000).toBeGreaterThan(43_200 - 120);
    expect(cookies[0].expires - Date.now() / 1000).toBeLessThanOrEqual(43_200);

    // Another page with data, and a reload: the cookie carries the session.
    await afterAction(page, () => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click(), (u) => u.pathname === '/');
    const summary = (await (await suite.svc.call('/v1/churn/summary', { token: READ })).json()) as Summary;
    const customers = String(summary.kpis.find((k) => k.key === 'customers')!.value);
    expect(await page.locator('[data-kpi="customers"] .value').getAttribute('data-value')).toBe(customers);
    await page.reload();
    await waitReady(page);
    expect(await page.locator('[data-kpi="customers"] .value').getAttribute('data-value')).toBe(customers);
    await expectNoTokenInPage(page);

    // Sign out: the service forgets the session, the browser drops the cookie, data needs a token again.
    await afterAction(page, () => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data' }).click(), (u) => u.pathname === '/data');
    const id = cookies[0].value;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.locator('[data-session]').getAttribute('data-session')).toBe('signed-out');
    expect(await context.cookies(suite.svc.url)).toEqual([]);
    await expect.poll(() => page.locator('[data-card="events-by-type"]').getAttribute('data-state')).toBe('error');
    expect((await suite.svc.call('/v1/rejected', { headers: { cookie: `ip_session=${id}` } })).status).toBe(401);

    const problems = [...w.problems];
    await context.close();
    expect(problems).toEqual([]);
  });

  it('exchanges a token an earlier version left in localStorage for a session once, and deletes it', async () => {
    const { context, page, watch: w } = await openPage(suite.browser);
    w.allow({ status: 422, url: /\/v1\/churn\/drivers/ });
    // Any page of the origin will do to plant the old entry before the dashboard loads.
    await page.goto(`${suite.svc.url}/v1/health`);
    await page.evaluate((t) => localStorage.setItem('invoice-pulse.token', t), READ);

    await gotoReady(page, `${suite.svc.url}/data`);
    await expect.poll(() => page.locator('[data-session]').getAttribute('data-session')).toBe('read');
    expect(await page.locator('[data-card="events-by-type"]').getAttribute('data-state')).toBe('ready');
    await expectNoTokenInPage(page);
    const cookies = await context.cookies(suite.svc.url);
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([['ip_session', true, 'Strict']]);

    const problems = [...w.problems];
    await context.close();
    expect(problems).toEqual([]);
  });
});
