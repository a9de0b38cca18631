/**
 * The Staffing page in a real browser against the real service (small sample data): the forecast
 * vs actual chart draws the back-test's and the plan's numbers, the heat map the plan's agents, the
 * scenario comparison and the time-thief chart the API's hours; the parameter controls and the
 * channel choice go into the URL and the requests; the plan exports as CSV with every interval.
 * Screenshot: test-output/screenshots/staffing.png (and -full).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Backtest, Plan, Scenarios, TimeThieves } from '../../service/staffing/contracts.ts';
import { afterAction, chartOption, chartSeries, gotoReady, round, screenshot } from '../helpers/browser.ts';
import { dashboardSuite } from '../helpers/dashboard-suite.ts';

const suite = dashboardSuite({ width: 1280, height: 900 });

const r1 = (v: number) => Math.round(v * 10) / 10;

describe('Staffing page', () => {
  it('draws the API’s forecast, agents, scenarios and time thieves', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/staffing`, 120_000);
    const [bt, plan, sc, tt] = await Promise.all([
      suite.ok<Backtest>('/v1/staffing/backtest?weeks=4&interval_minutes=30&time_zone=UTC'),
      suite.ok<Plan>('/v1/staffing/plan?weeks=4&interval_minutes=30&time_zone=UTC&intervals=false'),
      suite.ok<Scenarios>('/v1/staffing/scenarios?weeks=4&interval_minutes=30&time_zone=UTC'),
      suite.ok<TimeThieves>('/v1/operations/time-thieves?time_zone=UTC'),
    ]);

    // Forecast vs actual: held-out weeks from the back-test, then the plan's daily forecast.
    const held = bt.daily.filter((d) => d.channel === 'all');
    const fva = await chartOption(suite.page, 'forecast-vs-actual');
    const dates = fva.xAxis[0].data as string[];
    expect(dates.slice(0, held.length)).toEqual(held.map((d) => d.date));
    expect(dates).toHaveLength(held.length + 28);
    expect((await chartSeries(suite.page, 'forecast-vs-actual', { name: 'Actual' })).slice(0, held.length)).toEqual(held.map((d) => d.actual));
    const forecast = (await chartSeries(suite.page, 'forecast-vs-actual', { name: 'Forecast' })) as number[];
    expect(forecast.slice(0, held.length)).toEqual(held.map((d) => r1(d.forecast)));
    const future = new Map<string, number>();
    for (const d of plan.daily) future.set(d.date, (future.get(d.date) ?? 0) + d.forecast_contacts);
    expect(forecast.slice(held.length)).toEqual([...future.values()].map(r1));
    const all = bt.channels.find((c) => c.channel === 'all')!;
    const title = await suite.page.locator('[data-card="forecast-vs-actual"] h2').textContent();
    // The back-test's verdict is the title (forecast-verdict.ts decides the wording).
    expect(title).toBe(`All channels: ${all.verdict.statement}, over the last 4 held-out weeks`);
    expect(title).toContain(`${Math.round(all.model.daily_wape! * 100)}`);

    // Heat map: weekday × interval, the plan's mean rostered agents.
    const heat = (await chartSeries(suite.page, 'agents-heatmap', { type: 'heatmap' })) as number[][];
    expect(heat).toHaveLength(7 * 48);
    expect(round(heat.map((c) => c[2]), 6)).toEqual(round(plan.heatmap.cells.map((c) => Math.round(c.agents * 100) / 100), 6));
    expect(await suite.page.locator('[data-kpi="peak"] .value').textContent()).toBe(String(plan.totals.peak_rostered_agents));

    // Scenarios: hours saved are the API's, with the opposite sign (saved = positive).
    expect(await chartSeries(suite.page, 'scenarios', { name: 'Admin hours saved / month' })).toEqual(sc.scenarios.map((s) => r1(-s.time_thief_hours_per_month) || 0));
    expect(await chartSeries(suite.page, 'scenarios', { name: 'Rostered agent hours saved / week' })).toEqual(sc.scenarios.map((s) => r1(-s.rostered_hours_per_week) || 0));
    const rows = await suite.page.locator('[data-table="scenarios"] tbody tr').evaluateAll((trs) => trs.map((t) => (t as HTMLElement).dataset.scenario));
    expect(rows).toEqual(['baseline', 'direct_debit', 'soft_reminders', 'paper_to_digital', 'waive_disputed_fees', 'combined']);

    // Time thieves: stacked hours per month.
    const paper = tt.items.find((i) => i.item === 'paper_invoices')!;
    expect(await chartSeries(suite.page, 'time-thieves', { name: 'Paper invoices' })).toEqual(paper.monthly.map((m) => r1(m.hours)));
    expect(await suite.page.locator('[data-card="time-thieves"] h2').textContent()).toContain(`${Math.round(tt.run_rate_hours_per_month)} hours a month`);

    // The contact calendar and the channel table.
    expect(await suite.page.locator('[data-card="contact-calendar"] h2').textContent()).toMatch(/after they are sent and again around the due date/);
    for (const c of plan.channels) expect(await suite.page.locator(`[data-table="plan-channels"] tr[data-channel="${c.channel}"]`).count()).toBe(1);

    await screenshot(suite.page, 'staffing');
  });

  it('puts the channel, the targets and the scenario shares into the URL and the requests', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/staffing`, 120_000);
    const before = Number((await suite.page.locator('[data-kpi="rostered"] .value').textContent())!.replace(/[^\d]/g, ''));

    await afterAction(suite.page, () => suite.page.selectOption('[data-card="forecast-vs-actual"] select[name="channel"]', 'phone'), (u) => u.searchParams.get('channel') === 'phone');
    expect(await suite.page.locator('[data-card="forecast-vs-actual"] h2').textContent()).toMatch(/^Phone:/);
    const bt = await suite.ok<Backtest>('/v1/staffing/backtest?weeks=4&interval_minutes=30&time_zone=UTC');
    const phone = bt.daily.filter((d) => d.channel === 'phone');
    expect((await chartSeries(suite.page, 'forecast-vs-actual', { name: 'Actual' })).slice(0, phone.length)).toEqual(phone.map((d) => d.actual));

    const planRequest = suite.page.waitForRequest((r) => r.url().includes('/v1/staffing/plan?') && r.url().includes('service_level=0.95') && r.url().includes('shrinkage=0.4'));
    await suite.page.fill('input[name="service_level"]', '95');
    await afterAction(suite.page, () => suite.page.locator('input[name="service_level"]').blur(), (u) => u.searchParams.get('service_level') === '95');
    await suite.page.fill('input[name="shrinkage"]', '40');
    await afterAction(suite.page, () => suite.page.locator('input[name="shrinkage"]').blur(), (u) => u.searchParams.get('shrinkage') === '40');
    await planRequest;
    const after = Number((await suite.page.locator('[data-kpi="rostered"] .value').textContent())!.replace(/[^\d]/g, ''));
    expect(after).toBeGreaterThanOrEqual(before);

    const scRequest = suite.page.waitForRequest((r) => r.url().includes('/v1/staffing/scenarios?') && r.url().includes('direct_debit=60'));
    await suite.page.fill('input[name="direct_debit"]', '60');
    await afterAction(suite.page, () => suite.page.locator('input[name="direct_debit"]').blur(), (u) => u.searchParams.get('direct_debit') === '60');
    await scRequest;
    expect(await suite.page.locator('[data-table="scenarios"] tr[data-scenario="direct_debit"] td').first().textContent()).toMatch(/60/);

    // A reload keeps everything.
    await gotoReady(suite.page, suite.page.url(), 120_000);
    expect(await suite.page.inputValue('input[name="service_level"]')).toBe('95');
    expect(await suite.page.inputValue('[data-card="forecast-vs-actual"] select[name="channel"]')).toBe('phone');
  });

  it('exports the plan as CSV with every interval of every channel', async () => {
    await gotoReady(suite.page, `${suite.svc.url}/staffing?weeks=1`, 120_000);
    const download = suite.page.waitForEvent('download');
    await suite.page.click('text=Export plan (CSV, every interval)');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^staffing-plan-2026-11-01-to-2026-11-07-30min\.csv$/);
    const text = fs.readFileSync((await file.path())!, 'utf8');
    const lines = text.trim().split(/\r\n/);
    expect(lines[0].split(',').slice(0, 6)).toEqual(['interval_start', 'weekday', 'channel', 'forecast_contacts', 'agents', 'agents_with_shrinkage']);
    expect(lines).toHaveLength(1 + 7 * 48 * 6);
    await suite.page.locator('[data-card="plan-channels"] [role="status"]').waitFor();
    expect(await suite.page.locator('[data-card="plan-channels"] [role="status"]').textContent()).toMatch(/Downloaded/);
  });
});
