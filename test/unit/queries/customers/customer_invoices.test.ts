/**
 * queries/customers/customer_invoices.sql on the staffing fixture: one customer's invoices with
 * their lateness as docs/definitions.md counts it, newest first.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { STAFFING_EVENTS } from '../staffing/fixture.ts';

const store = useStore(STAFFING_EVENTS);

describe('customers/customer_invoices', () => {
  it('calls an invoice paid after its due date late, by whole days, and counts both reminders', async () => {
    expect(await store().query('customers/customer_invoices', { customer_id: 's1' })).toEqual([
      // Due 31 January, paid 3 February: 3 days late; one soft and one hard reminder.
      { invoice_id: 'i1', issued_at: '2025-01-02T07:00:00Z', due_date: '2025-01-31', amount: 100, paid_at: '2025-02-03T10:00:00Z', status: 'late', days_late: 3, reminders: 2 },
    ]);
  });

  it('calls one paid by its due date on time, and an unpaid one past due overdue by the days since', async () => {
    expect(await store().query('customers/customer_invoices', { customer_id: 's2' })).toMatchObject([{ status: 'on_time', days_late: 0, reminders: 0 }]);
    // s3's invoice, due 14 February 2025, was never paid: late by the days from then to today.
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    const [s3] = await store().query('customers/customer_invoices', { customer_id: 's3' });
    expect(s3).toMatchObject({ status: 'unpaid_overdue', paid_at: null, days_late: (today - Date.UTC(2025, 1, 14)) / 86_400_000 });
  });

  it('answers nothing for an unknown id', async () => {
    expect(await store().query('customers/customer_invoices', { customer_id: 'nobody' })).toEqual([]);
  });
});
