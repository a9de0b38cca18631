/**
 * queries/revenue/unconverted_customers.sql on the revenue fixture: customers whose currency has
 * no exchange rate, or who have none.
 */
import { listValue } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { RATES, REVENUE_EVENTS } from './fixture.ts';

const store = useStore(REVENUE_EVENTS);

describe('revenue/unconverted_customers', () => {
  it('counts the customers without a rate for their currency and those without a currency', async () => {
    // r4 (EUR) and r7 (no currency).
    expect(await store().filtered('revenue/unconverted_customers', '2025-06-20', { params: RATES })).toEqual([{ n: '2' }]);
    // With SEK alone, r3 (NOK) joins them.
    expect(await store().filtered('revenue/unconverted_customers', '2025-06-20', { params: { rate_currencies: listValue(['SEK']), rate_values: listValue(['1']) } })).toEqual([{ n: '3' }]);
  });
});
