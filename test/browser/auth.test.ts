/**
 * A secured deployment (AUTH_TOKENS set): without a token every analysis says a token is needed;
 * signing in with a token on the Data page (a session cookie since issue 17; the page no longer
 * keeps the token, see session-cookie.test.ts) serves every request from then on; a read session
 * may not change settings (the 403 is shown); after signing out and in again with an admin token
 * it may.
 */
import { describe, expect, it } from 'vitest';
import type { Summary } from '../../service/analytics/contracts.ts';
import type { PaymentMethodReport } from '../../service/settings/payment-methods.ts';
import { afterAction, gotoReady, openPage, waitReady } from '../helpers/browser.ts';
import { serviceAndBrowser } from '../helpers/dashboard-suite.ts';

const READ = 'read-token-for-tests';
const ADMIN = 'admin-token-for-tests';
const suite = serviceAndBrowser({ AUTH_TOKENS: `read:${READ},admin:${ADMIN}` });

describe('secured deployment', () => {
  it('asks for a token, signs in with the one entered on the Data page for every page, and shows 403 for a read session on settings', async () => {
    const { context, page, watch: w } = await openPage(suite.browser);
    w.allow({ status: 401, url: /\/v1\// });
    w.allow({ status: 403, url: /\/v1\/settings\/payment-methods/ });
    w.allow({ status: 422, url: /\/v1\/churn\/drivers/ });

    await gotoReady(page, `${suite.svc.url}/data`);
    expect(await page.locator('[data-health]').getAttribute('data-health')).toBe('ok'); // /v1/health is public
    expect(await page.locator('[data-card="events-by-type"]').getAttribute('data-state')).toBe('error');
    expect(await page.locator('[data-card="events-by-type"] [role="alert"]').textContent()).toMatch(/bearer token is required.*Data page/);
    expect(await page.locator('.filter-error').textContent()).toContain('bearer token');

    // A read token: every resource asks again, the filter bar included.
    await page.locator('#token-input').fill(READ);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('[data-session]').getAttribute('data-session')).toBe('read');
    await expect.poll(() => page.locator('[data-card="events-by-type"]').getAttribute('data-state')).toBe('ready');
    await expect.poll(() => page.locator('.filter-error').count()).toBe(0);
    await waitReady(page);
    const pm = (await (await suite.svc.call('/v1/settings/payment-methods', { token: READ })).json()) as PaymentMethodReport;
    expect(pm.unknown.length).toBeGreaterThan(0);
    const label = pm.unknown[0].label;

    // The read role may not classify: the 403 message is shown, nothing changes.
    await page.locator(`select[name="class-${label}"]`).selectOption('automatic');
    await page.getByRole('button', { name: /^Save 1 classification$/ }).click();
    await expect.poll(() => page.locator('p.error[role="alert"]').textContent()).toMatch(/Not saved: the read role may not do this/);

    // An admin token may (signing out first: the signed-in panel offers only that).
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.locator('[data-session]').getAttribute('data-session')).toBe('signed-out');
    await page.locator('#token-input').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('[data-session]').getAttribute('data-session')).toBe('admin');
    await waitReady(page);
    await page.locator(`select[name="class-${label}"]`).selectOption('automatic');
    await page.getByRole('button', { name: /^Save 1 classification$/ }).click();
    await expect.poll(() => page.locator('[data-saved]').textContent()).toContain(`${label} → automatic`);
    const after = (await (await suite.svc.call('/v1/settings/payment-methods', { token: READ })).json()) as PaymentMethodReport;
    expect(after.methods[label]).toBe('automatic');

    // The session is kept for the other pages (and reloads).
    await afterAction(page, () => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click(), (u) => u.pathname === '/');
    const summary = (await (await suite.svc.call('/v1/churn/summary', { token: READ })).json()) as Summary;
    expect(await page.locator('[data-kpi="customers"] .value').getAttribute('data-value')).toBe(String(summary.kpis.find((k) => k.key === 'customers')!.value));
    await page.reload();
    await waitReady(page);
    expect(await page.locator('[data-card="churn-trend"]').getAttribute('data-state')).toBe('ready');

    const problems = [...w.problems];
    await context.close();
    expect(problems).toEqual([]);
    expect(w.expected.some((l) => l.startsWith('401'))).toBe(true);
    expect(w.expected.some((l) => l.startsWith('403 PUT'))).toBe(true);
  });
});
