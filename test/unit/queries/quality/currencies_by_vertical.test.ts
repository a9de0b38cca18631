/**
 * queries/quality/currencies_by_vertical.sql on the quality fixture: customers by their latest
 * currency and invoices by their own currency, per vertical, and whether a rate covers each.
 */
import { listValue } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { QUALITY_EVENTS } from './fixture.ts';

const store = useStore(QUALITY_EVENTS);

describe('quality/currencies_by_vertical', () => {
  it('counts a customer once, by its latest currency, and an invoice by its own currency else the customer’s', async () => {
    expect(await store().query('quality/currencies_by_vertical', { rate_currencies: listValue(['NOK', 'SEK']) })).toEqual([
      // q3 has no currency (customers '(none)'); its invoice is in EUR, which no rate covers.
      { vertical: 'energy', currency: '(none)', customers: '1', invoices: '0', has_rate: false },
      { vertical: 'energy', currency: 'EUR', customers: '0', invoices: '1', has_rate: false },
      // o1 and o2 are no customers of any vertical: they never appear.
      // q2 started in SEK but was updated to NOK, so it counts under NOK only; its two invoices are NOK.
      { vertical: 'telecom', currency: 'NOK', customers: '1', invoices: '2', has_rate: true },
      // q1's two invoices carry no currency and take the customer's SEK.
      { vertical: 'telecom', currency: 'SEK', customers: '1', invoices: '2', has_rate: true },
    ]);
  });
});
