/**
 * queries/staffing/calendar_daily.sql on the staffing fixture, over every customer's rows of
 * invoice_stages.sql: the invoice calendar per local day, invoices by the customer's stage,
 * follow-up events, and due rows per due date and issue day.
 */
import { describe, expect, it } from 'vitest';
import { sql } from '../../../../service/db/sql-files.ts';
import { useStore } from '../store.ts';
import { dayOf, STAFFING_EVENTS, TZ } from './fixture.ts';

const store = useStore(STAFFING_EVENTS);
const ZERO = { issued_first: 0, issued_first_year: 0, issued_other: 0, due_first: 0, due_first_year: 0, due_other: 0, hard_reminders: 0, soft_reminders: 0, fees: 0, payment_failures: 0, collections: 0, starts: 0, cancels: 0 };
const row = (date: string, issueDate: string | null, counts: Partial<typeof ZERO>) => ({ day: dayOf(date), issue_day: issueDate === null ? null : dayOf(issueDate), ...ZERO, ...counts });

describe('staffing/calendar_daily', () => {
  it('stages each invoice, dates it by the local day, and keys due rows by their issue day', async () => {
    await store().rows(`CREATE OR REPLACE TABLE stages AS ${sql('staffing/invoice_stages', { invoices: 'fact_invoices' })}`);
    expect(await store().query('staffing/calendar_daily', { tz: TZ, after: null, upto: null }, { stages: 'stages' })).toEqual([
      row('2023-01-01', null, { starts: 1 }),
      row('2024-06-01', null, { starts: 1 }),
      row('2024-12-20', null, { starts: 1 }),
      // s1's first invoice (13 days after signing up) and s2's (a customer of two years: "other").
      row('2025-01-02', null, { issued_first: 1, issued_other: 1 }),
      // s3's invoice at 23:30Z on the 15th is issued on the 16th locally; seven months after signing up it is a first-year one.
      row('2025-01-16', null, { issued_first_year: 1 }),
      row('2025-01-31', null, { soft_reminders: 1, payment_failures: 1 }),
      row('2025-01-31', '2025-01-02', { due_first: 1, due_other: 1 }),
      row('2025-02-10', null, { hard_reminders: 1, fees: 1 }),
      row('2025-02-14', '2025-01-16', { due_first_year: 1 }),
      row('2025-03-01', null, { collections: 1 }),
    ]);
  });
});
