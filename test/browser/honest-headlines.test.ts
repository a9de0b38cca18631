/**
 * Issue 13 in a real browser: with the dirt of real data injected (2 000 contact events for ids
 * with no other event, all on one day), the rendered headlines say what is true. Overview counts
 * only customers, the Fees title states its currency and claims nothing without fees, an as-of
 * date outside the data is a message with a link to the latest date, and the Data page lists the
 * orphans in its data-quality panel.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeeEconomics, Summary } from '../../service/analytics/contracts.ts';
import type { DataQuality } from '../../service/quality/contracts.ts';
import { strayContacts, toNdjson } from '../helpers/events.ts';
import { gotoReady, screenshot } from '../helpers/browser.ts';
import { dashboardSuite } from '../helpers/dashboard-suite.ts';

const suite = dashboardSuite();

let before: Summary;
beforeAll(async () => {
  before = await suite.ok<Summary>('/v1/churn/summary');
  const stray = strayContacts();
  const res = await suite.svc.call('/v1/events', { method: 'POST', body: toNdjson(stray), headers: { 'content-type': 'application/x-ndjson' } });
  expect((await res.json()).accepted).toBe(2000);
  await suite.svc.query('SELECT 1');
}, 120_000);

const fmt = (n: number) => n.toLocaleString('en-US');

describe('honest headlines on messy data', () => {
  it('Overview: the customer and active counts ignore the 2 000 stray ids', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/`);
    const now = await suite.ok<Summary>('/v1/churn/summary');
    const active = now.kpis.find((k) => k.key === 'active')!;
    expect(active.value).toBe(before.kpis.find((k) => k.key === 'active')!.value);
    expect(active.change).toBe(before.kpis.find((k) => k.key === 'active')!.change);
    await expect.poll(() => suite.page.locator('[data-kpi="active"] .value').getAttribute('data-value')).toBe(String(active.value));
    expect((await suite.page.locator('[data-kpi="active"] .value').textContent())!.trim()).toBe(fmt(active.value!));
    expect((await suite.page.locator('[data-kpi="customers"] .value').textContent())!.trim()).toBe('2,000');
    expect(await suite.page.locator('[data-kpi="active"]').textContent()).not.toContain(fmt(active.value! + 2000));
    const note = suite.page.locator('[data-orphans-note]');
    await expect.poll(() => note.getAttribute('data-orphans-note')).toBe('2000');
    expect((await note.textContent())!.trim()).toMatch(/^2,000 ids have events but no subscription, invoice or customer record: they are not customers/);
    await screenshot(suite.page, 'overview-with-orphans');
  });

  it('Fees: the title states the reporting currency, and claims nothing when no fee was charged', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/fees`);
    const f = await suite.ok<FeeEconomics>('/v1/fees/economics');
    const title = suite.page.locator('[data-card="fee-economics"] h2');
    await expect.poll(() => title.textContent()).toContain(' EUR');
    const text = (await title.textContent())!;
    expect(text).not.toContain('money units');
    expect(text).toContain(`net ${f.totals.net < 0 ? '−' : '+'}`);
    expect(text).toContain(`on ${fmt(Math.round(f.totals.fee_revenue))} EUR of fee revenue`);
    expect(await suite.page.locator('[data-table="fee-economics"] td[data-col="currencies"]').first().textContent()).toMatch(/DKK .*EUR .*NOK .*SEK/);

    await gotoReady(suite.page, `${suite.svc.url}/fees?as_of=2024-11-05`);
    const none = await suite.ok<FeeEconomics>('/v1/fees/economics?as_of=2024-11-05');
    expect(none.totals.fees).toBe(0);
    await expect.poll(() => title.textContent()).toBe(`No reminder fees were charged to these ${fmt(none.totals.customers)} customers: there is no fee revenue to weigh against churn`);
    expect(await title.textContent()).not.toContain('pay for themselves');
    await screenshot(suite.page, 'fees-no-fees');
  });

  it('as_of after the data: a message naming the range, with a link to the latest date', async () => {
    suite.watch.allow({ status: 422, url: /as_of=2030-01-01/ });
    await gotoReady(suite.page, `${suite.svc.url}/?as_of=2030-01-01`);
    const res = await suite.svc.call('/v1/churn/summary?as_of=2030-01-01');
    const problem = (await res.json()).error;
    expect(problem.code).toBe('as_of_out_of_range');
    const message = suite.page.locator('.kpis [data-as-of-message]');
    await expect.poll(() => message.textContent()).toBe(problem.message);
    expect(problem.message).toContain('the data runs from');
    expect(await suite.page.locator('.kpis').textContent()).not.toContain('0.0 %');
    expect(await suite.page.locator('[data-card="churn-trend"] h2').textContent()).toBe('No data for this date');
    const link = suite.page.locator('.kpis [data-as-of-latest]');
    expect((await link.textContent())!.trim()).toBe('Show the latest date, 2026-10-31');
    expect(new URL((await link.getAttribute('href'))!).searchParams.get('as_of')).toBe('2026-10-31');
    await screenshot(suite.page, 'as-of-out-of-range');
    await link.click();
    await expect.poll(() => suite.page.locator('[data-kpi="active"] .value').getAttribute('data-value'), { timeout: 30_000 }).toBe(String(before.kpis.find((k) => k.key === 'active')!.value));
  });

  it('as_of not on the calendar: a sentence saying why', async () => {
    suite.watch.allow({ status: 422, url: /as_of=2026-02-30/ });
    await gotoReady(suite.page, `${suite.svc.url}/?as_of=2026-02-30`);
    await expect.poll(() => suite.page.locator('.kpis [data-as-of-message]').textContent()).toBe('as_of: 2026-02-30 is not a date: February 2026 has 28 days.');
  });

  it('Data: the data-quality panel lists the orphans and the spike', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/data`);
    const dq = await suite.ok<DataQuality>('/v1/data-quality');
    const orphans = suite.page.locator('[data-check="orphans"]');
    await expect.poll(() => orphans.getAttribute('data-count')).toBe('2000');
    expect(await orphans.locator('[data-check-title]').textContent()).toBe('2,000 ids with 2,000 events but no subscription, invoice or customer record');
    expect(await orphans.textContent()).toContain('contact 2,000 events from 2,000 ids');
    const spike = dq.checks.find((c) => c.key === 'volume_outliers')!;
    expect(await suite.page.locator('[data-check="volume_outliers"]').getAttribute('data-count')).toBe(String(spike.count));
    expect(spike.examples[0]).toMatchObject({ type: 'contact', day: '2026-10-16' });
    await screenshot(suite.page, 'data-quality');
  });
});
