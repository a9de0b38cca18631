/**
 * Alerts in the browser (issue 15): make a rule from the filter bar's segment on the Alerts
 * page, ingest cancellations through the API, and see the alert appear in the page's list and as
 * a badge on the Alerts link, and arrive at a real webhook receiver on loopback with a valid
 * signature. Screenshots at 1280 and 400 px; no horizontal overflow at 400 px.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { AlertRule } from '../../service/alerts/contracts.ts';
import type { Summary } from '../../service/analytics/contracts.ts';
import { gotoReady, openPage, screenshot } from '../helpers/browser.ts';
import { serviceAndBrowser } from '../helpers/dashboard-suite.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

const SECRET = 'browser-alert-secret-0123456';
let hook: Receiver;
// Registered first, so it runs after the service has stopped (after-hooks run in reverse order).
afterAll(async () => {
  await hook?.close();
});
const suite = serviceAndBrowser(async () => {
  hook = await startReceiver(SECRET);
  return { ALERT_WEBHOOK_URL: hook.url, ALERT_WEBHOOK_SECRET: SECRET, ALERT_EVAL_DEBOUNCE_MS: '100', ALERT_WEBHOOK_BACKOFF_MS: '200' };
});

describe('alerts page', () => {
  it('a rule made from the filter bar fires after events are ingested: listed, badged, delivered signed', async () => {
    const { context, page, watch: w } = await openPage(suite.browser);
    const s = (await (await suite.svc.call('/v1/churn/summary?view=landmark&horizon_days=30&vertical=broadband')).json()) as Summary;
    const rate = s.kpis.find((k) => k.key === 'churn_rate')!;
    const threshold = Math.round((rate.value! + 0.02) * 1000) / 10; // percent, one decimal

    await gotoReady(page, `${suite.svc.url}/alerts?vertical=broadband`);
    expect(await page.locator('[data-new-segment]').textContent()).toBe('Vertical: broadband');
    await page.locator('input[name="rule_name"]').fill('Broadband churn up');
    await page.locator('input[name="threshold"]').fill(String(threshold));
    await page.getByRole('button', { name: 'Create rule' }).click();
    const row = page.locator('[data-table="alert-rules"] tr[data-rule="Broadband churn up"]');
    await expect.poll(() => row.getAttribute('data-state')).toBe('ok');
    const [rule] = ((await (await suite.svc.call('/v1/alerts/rules')).json()) as { rules: AlertRule[] }).rules;
    expect(rule).toMatchObject({ segment: { vertical: ['broadband'] }, threshold: threshold / 100, window_days: 30, kind: 'rate_above' });
    expect(await row.locator('td.num').first().textContent()).toContain(`${(rate.value! * 100).toFixed(1)}`);
    expect(await page.locator('[data-alert-badge]').count()).toBe(0);

    // Cancellations on the latest day among broadband customers active at the window's start.
    const start = new Date(Date.parse(`${s.as_of}T00:00:00Z`) - 60 * 86_400_000).toISOString();
    const ids = (await suite.svc.query<{ customer_id: string }>(`SELECT customer_id FROM customer_facts WHERE vertical = 'broadband' AND NOT churned AND tenure_start < $t::TIMESTAMPTZ ORDER BY customer_id LIMIT 400`, { t: start })).map((r) => r.customer_id);
    const k = Math.ceil(0.04 * rate.n);
    const body = ids.slice(0, k).map((id, i) => JSON.stringify({ event_id: `ui-alert-${i}`, type: 'subscription_cancelled', occurred_at: `${s.as_of}T12:00:00Z`, customer_id: id, reason: 'competitor' })).join('\n');
    const ing = await suite.svc.call('/v1/events', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    expect((await ing.json()).accepted).toBe(k);

    // The page refreshes on its own: the alert is listed, the rule is firing, the badge shows 1.
    await expect.poll(() => page.locator('[data-table="alerts"] tr[data-state="firing"]').count(), { timeout: 45_000 }).toBe(1);
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 15_000 }).toBe('firing');
    await expect.poll(() => page.locator('[data-alert-badge]').getAttribute('data-alert-badge'), { timeout: 45_000 }).toBe('1');
    await expect.poll(() => page.locator('[data-table="alerts"] [data-delivery]').getAttribute('data-delivery'), { timeout: 30_000 }).toBe('delivered');
    const msg = await page.locator('[data-table="alerts"] td.message').textContent();
    expect(msg).toContain('vertical = broadband');
    expect(msg).toContain(`above ${threshold.toFixed(1)} %`);

    // …and at the receiver, once, signed.
    expect(hook.received.length).toBe(1);
    expect(hook.received[0].signatureValid).toBe(true);
    expect(hook.received[0].body).toMatchObject({ state: 'firing', rule: { id: rule.id, name: 'Broadband churn up' } });
    await screenshot(page, 'alerts-1280');

    await page.setViewportSize({ width: 400, height: 900 });
    await gotoReady(page, `${suite.svc.url}/alerts?vertical=broadband`);
    await screenshot(page, 'alerts-400');
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .filter((e) => {
          for (let p = e.parentElement; p; p = p.parentElement) if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return false;
          return true;
        })
        .slice(0, 8)
        .map((e) => `${e.tagName}.${e.className}:${Math.round(e.getBoundingClientRect().right)}`),
    );
    expect(wide).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect(w.problems).toEqual([]);
    await context.close();
  });
});
