/**
 * queries/staffing/calendar_projection.sql on the staffing fixture, cutoff 2025-01-20 local: the
 * coming invoice runs of every customer still billed, on the day of the month of their last
 * invoice, due after the same term.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { dayOf, STAFFING_EVENTS, TZ } from './fixture.ts';

const store = useStore(STAFFING_EVENTS);
const run = (issue: string, due: string, months_ahead: number, stage: string) => ({ issue_day: dayOf(issue), due_day: dayOf(due), months_ahead, stage, invoices: 1 });

describe('staffing/calendar_projection', () => {
  it('projects each billed customer’s next invoices month by month, by stage', async () => {
    expect(await store().query('staffing/calendar_projection', { tz: TZ, cutoff: '2025-01-20 00:00:00', start_day: '2025-01-20', end_day: '2025-04-01', months_ahead: 2 })).toEqual([
      // s1 (first year) and s2 (other): last invoiced 2 January, due 29 days later.
      run('2025-02-02', '2025-03-03', 1, 'first_year'),
      run('2025-02-02', '2025-03-03', 1, 'other'),
      // s3: last invoiced on the 16th locally (23:30Z on the 15th), due 14 February: 29 days again.
      run('2025-02-16', '2025-03-17', 1, 'first_year'),
      run('2025-03-02', '2025-03-31', 2, 'first_year'),
      run('2025-03-02', '2025-03-31', 2, 'other'),
      run('2025-03-16', '2025-04-14', 2, 'first_year'),
    ]);
  });

  it('keeps to the issue-day window', async () => {
    // From 1 March: only the second month's runs.
    const rows = await store().query('staffing/calendar_projection', { tz: TZ, cutoff: '2025-01-20 00:00:00', start_day: '2025-03-01', end_day: '2025-04-01', months_ahead: 2 });
    expect(rows.map((r) => r.months_ahead)).toEqual([2, 2, 2]);
  });
});
