/**
 * The Staffing page's shift plan and roster in a real browser against the real service (small
 * sample, named agents stored through the API first): the coverage chart draws the API's required
 * and rostered agents and service levels per open interval, the shifts-per-day table has one row
 * per open day and channel with the API's shift counts, the scenario table the API's changes, the
 * roster table every agent; the shifts CSV, the roster CSV and an agent's .ics download. At 400 px
 * nothing overflows the page. Screenshots: test-output/screenshots/staffing-shifts(-400).png.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ShiftPlanResponse } from '../../service/staffing/shift-contracts.ts';
import { chartSeries, gotoReady, newContext, screenshot } from '../helpers/browser.ts';
import { dashboardSuite } from '../helpers/dashboard-suite.ts';

const suite = dashboardSuite({ width: 1280, height: 900 });
const agents = Array.from({ length: 10 }, (_, i) => ({
  agent_id: `agent-${i}`,
  name: `Agent ${i}`,
  contracted_hours_per_week: [40, 32, 24][i % 3],
  skills: [['phone', 'chat'], ['chat', 'email'], ['phone', 'email']][i % 3],
  unavailable_weekdays: i === 0 ? [6] : [],
  unavailable_dates: [],
}));

async function storeAgents() {
  const res = await suite.svc.call('/v1/staffing/agents', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agents }) });
  expect(res.status).toBe(200);
}
const shiftCard = '[data-card="shift-coverage"]';
/** Element screenshots scroll the element under the sticky page header; unstick it for the picture. */
const unstickHeader = (page = suite.page) => page.addStyleTag({ content: '.top { position: static !important; }' });
async function waitForShifts(page = suite.page) {
  await page.locator(`${shiftCard}[data-state="ready"] [data-chart="shift-coverage"]`).waitFor({ timeout: 120_000 });
  await page.locator('[data-table="shift-scenarios"]').waitFor({ timeout: 120_000 });
  await page.locator('[data-table="roster"]').waitFor({ timeout: 120_000 });
}

describe('Staffing page, shifts and roster', () => {
  it('shows the coverage chart, the shifts per day, the scenario changes and the roster from the API', async () => {
    await storeAgents();
    await gotoReady(suite.page, `${suite.svc.url}/staffing`, 120_000);
    await waitForShifts();
    const res = await suite.svc.call('/v1/staffing/shifts?weeks=1&interval_minutes=30&time_zone=UTC&objective=cover&hourly_rate=30&compare_scenarios=true&direct_debit=25&soft_reminders=100&paper_to_digital=50&waive_disputed_fees=100');
    const plan = (await res.json()) as ShiftPlanResponse;
    const phone = plan.intervals!.filter((i) => i.channel === 'phone');
    expect(await chartSeries(suite.page, 'shift-coverage', { name: 'Required agents' })).toEqual(phone.map((i) => i.required_agents));
    expect(await chartSeries(suite.page, 'shift-coverage', { name: 'Rostered agents' })).toEqual(phone.map((i) => i.rostered_agents));
    expect(await chartSeries(suite.page, 'shift-coverage', { name: 'Service level reached' })).toEqual(phone.map((i) => Math.round(i.service_level! * 1000) / 1000));
    const title = await suite.page.locator(`${shiftCard} h2`).textContent();
    expect(title).toContain(`Phone: ${plan.channels.find((c) => c.channel === 'phone')!.shifts_per_week} shifts cover every open interval`);

    const open = plan.daily.filter((d) => d.opening_hours !== null);
    const rows = suite.page.locator('[data-table="shifts-per-day"] tbody tr');
    expect(await rows.count()).toBe(open.length);
    for (const d of open.slice(0, 6)) {
      expect(await suite.page.locator(`[data-table="shifts-per-day"] tr[data-day="${d.date}"][data-channel="${d.channel}"] [data-col="shifts"]`).textContent()).toBe(String(d.shifts));
    }
    expect(await suite.page.locator('[data-kpi="shifts"] .value').textContent()).toBe(String(plan.totals.shifts_per_week));
    const sc = await suite.page.locator('[data-table="shift-scenarios"] tbody tr').evaluateAll((trs) => trs.map((t) => (t as HTMLElement).dataset.scenario));
    expect(sc).toEqual(['baseline', ...plan.scenarios!.map((s) => s.scenario)]);
    expect(await suite.page.locator('[data-table="roster"] tbody tr').count()).toBe(agents.length);
    await screenshot(suite.page, 'staffing-shifts');
    await unstickHeader();
    await suite.page.locator(shiftCard).screenshot({ path: 'test-output/screenshots/staffing-shifts-card.png' });
  });

  it('exports the shifts and the roster as CSV and an agent’s shifts as iCalendar', async () => {
    await storeAgents();
    await gotoReady(suite.page, `${suite.svc.url}/staffing`, 120_000);
    await waitForShifts();
    const shiftsFile = suite.page.waitForEvent('download');
    await suite.page.click('text=Export shifts (CSV)');
    const shifts = fs.readFileSync((await (await shiftsFile).path())!, 'utf8').trim().split('\r\n');
    expect(shifts[0]).toBe('date,weekday,channel,start,end,length_hours,lunch_start,lunch_end,paid_hours,agents,late,weekend');
    const total = shifts.slice(1).reduce((s, l) => s + Number(l.split(',')[9]), 0);
    expect(String(total)).toBe(await suite.page.locator('[data-kpi="shifts"] .value').textContent());

    const rosterFile = suite.page.waitForEvent('download');
    await suite.page.click('text=Export roster (CSV)');
    const roster = fs.readFileSync((await (await rosterFile).path())!, 'utf8').trim().split('\r\n');
    expect(roster[0].startsWith('agent_id,name,date')).toBe(true);
    expect(roster.length).toBeGreaterThan(1);

    const ics = suite.page.waitForEvent('download');
    await suite.page.locator('[data-table="roster"] tr[data-agent="agent-1"] button').click();
    const file = await ics;
    expect(file.suggestedFilename()).toBe('agent-1.ics');
    const text = fs.readFileSync((await file.path())!, 'utf8');
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text.split('BEGIN:VEVENT').length - 1).toBe(roster.filter((l) => l.startsWith('agent-1,')).length);
    await suite.page.locator('[data-card="shift-coverage"] [role="status"]').waitFor();
  });

  it('fits a 400-pixel-wide screen', async () => {
    await storeAgents();
    const context = await newContext(suite.browser, { width: 400, height: 900 });
    try {
      const page = await context.newPage();
      await gotoReady(page, `${suite.svc.url}/staffing`, 120_000);
      await waitForShifts(page);
      await page.locator(shiftCard).scrollIntoViewIfNeeded();
      // Wide tables scroll inside their .table-wrap; nothing else may stick out of the viewport.
      const offenders = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.table-wrap'))
          .map((e) => `${e.tagName.toLowerCase()} in ${(e.closest('[data-card]') as HTMLElement | null)?.dataset.card ?? 'page'}`)
          .filter((x, i, all) => all.indexOf(x) === i),
      );
      expect(offenders).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await unstickHeader(page);
      await page.locator(shiftCard).screenshot({ path: 'test-output/screenshots/staffing-shifts-400.png' });
      await page.locator('[data-card="roster"]').screenshot({ path: 'test-output/screenshots/staffing-roster-400.png' });
    } finally {
      await context.close();
    }
  });
});
