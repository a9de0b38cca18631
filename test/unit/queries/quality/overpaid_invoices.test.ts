/**
 * queries/quality/overpaid_invoices.sql on the quality fixture: invoices paid more than their
 * amount plus the fees charged on them.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { QUALITY_EVENTS } from './fixture.ts';

const store = useStore(QUALITY_EVENTS);

describe('quality/overpaid_invoices', () => {
  it('counts fees as owed, flags a double payment and a 50-cent excess, largest excess first', async () => {
    const [check] = await store().query('quality/overpaid_invoices');
    // q1/i1 paid 250 = 200 + the 50 fee: not overpaid. q1/i2 (paid 200 of 100) and q2/i1 (300.50 of 300) are.
    expect([check.invoices, check.customers]).toEqual(['2', '2']);
    // Five invoices in all: q1 i1, i2; q2 i1, i2; q3 i1 (o1's payment names no issued invoice).
    expect(check.all_invoices).toBe('5');
    // Largest excess first.
    expect(check.examples).toEqual([
      { customer_id: 'q1', invoice_id: 'i2', amount: 100, fees: 0, paid: 200 },
      { customer_id: 'q2', invoice_id: 'i1', amount: 300, fees: 0, paid: 300.5 },
    ]);
  });
});
