/**
 * queries/staffing/scenario_invoice_rates.sql on the staffing fixture: per payment-method class,
 * for invoices due in the window, lateness, reminders, fees and their disputes, failed debits,
 * collections, the payment contacts that follow, and unmatched payments.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { STAFFING_EVENTS } from './fixture.ts';

const store = useStore(STAFFING_EVENTS);
const ZERO = {
  invoices: 1, customers: 1, late: 0, hard_reminders: 0, soft_reminders: 0, unpaid_reminded: 0, unpaid_reminded_late: 0, unpaid_not_reminded: 0, unpaid_not_reminded_late: 0,
  payment_failures: 0, collections: 0, fees: 0, disputed_fees: 0, fee_amount: 0, fee_contacts: 0, pay_contacts_after_hard: 0, pay_contacts_background_hard: 0,
  pay_contacts_after_fail: 0, pay_contacts_background_fail: 0, unmatched_payments: 0,
};

describe('staffing/scenario_invoice_rates', () => {
  it('measures each class’s invoices due in the window', async () => {
    expect(await store().query('staffing/scenario_invoice_rates', { from_day: '2025-01-01', to_day: '2025-03-01' })).toEqual([
      // s2 (autogiro): paid on time, one failed debit, and its unmatched payment of 25 January.
      { ...ZERO, class: 'automatic', payment_failures: 1, unmatched_payments: 1 },
      // s1 (OCR): unpaid at the soft reminder and late after it, hard-reminded with a 60 fee that its fee call disputes.
      { ...ZERO, class: 'manual', late: 1, hard_reminders: 1, soft_reminders: 1, unpaid_reminded: 1, unpaid_reminded_late: 1, fees: 1, disputed_fees: 1, fee_amount: 60, fee_contacts: 1 },
      // s3 (never paid, so no class): late without a reminder, sent to collection.
      { ...ZERO, class: 'unknown', late: 1, unpaid_not_reminded: 1, unpaid_not_reminded_late: 1, collections: 1 },
    ]);
  });
});
