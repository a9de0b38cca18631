/**
 * queries/dimension_values.sql on the churn fixture: the values of each segment dimension in the
 * lifetime base of the latest event date, with their customer counts (the filter bar's choices).
 */
import { describe, expect, it } from 'vitest';
import { useStore } from './store.ts';
import { CHURN_EVENTS } from './churn/fixture.ts';

const store = useStore(CHURN_EVENTS);

describe('dimension_values', () => {
  it('counts customers per value of each dimension, largest first', async () => {
    const [{ d }] = await store().rows(`SELECT strftime(max(occurred_at), '%Y-%m-%d') AS d FROM events`);
    const rows = await store().query('dimension_values', {}, { base: await store().base(String(d), 'lifetime') });
    const of = (d: string) => rows.filter((r) => r.dimension === d).map((r) => [r.value, r.customers]);
    // Three in SE (c1, c2, c4), one in NO (c3); two per vertical.
    expect(of('market')).toEqual([['SE', '3'], ['NO', '1']]);
    expect(of('vertical')).toEqual([['energy', '2'], ['telecom', '2']]);
    // autogiro and recurring card are automatic; OCR and swish manual.
    expect(of('payment_method_class')).toEqual([['automatic', '2'], ['manual', '2']]);
    expect(of('payment_method')).toEqual([['autogiro', '1'], ['card_recurring', '1'], ['ocr_transfer', '1'], ['swish', '1']]);
    expect(of('plan')).toEqual([['basic', '4']]);
    // Every dimension of the list, and nothing else.
    expect([...new Set(rows.map((r) => r.dimension))]).toEqual(['age_band', 'invoice_channel', 'market', 'payment_method', 'payment_method_class', 'plan', 'tenure_band', 'vertical']);
  });
});
