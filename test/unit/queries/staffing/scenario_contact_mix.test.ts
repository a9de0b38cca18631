/**
 * queries/staffing/scenario_contact_mix.sql on the staffing fixture: inbound contacts per topic
 * and channel, split by the paper or digital invoices of the customer, with those invoices.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { STAFFING_EVENTS } from './fixture.ts';

const store = useStore(STAFFING_EVENTS);

describe('staffing/scenario_contact_mix', () => {
  it('groups contacts by the invoice channel of the customer and counts each group’s invoices', async () => {
    expect(await store().query('staffing/scenario_contact_mix', { from_day: '2025-01-01', to_day: '2025-03-01' })).toEqual([
      // s2 (email invoice): its inbound payment call; its outbound call is not demand.
      { kind: 'contacts', invoice_group: 'digital', topic: 'payment', channel: 'phone', n: 1 },
      // s1 (paper invoice): the fee call, the invoice chat and the invoice call.
      { kind: 'contacts', invoice_group: 'paper', topic: 'fee', channel: 'phone', n: 1 },
      { kind: 'contacts', invoice_group: 'paper', topic: 'invoice', channel: 'chat', n: 1 },
      { kind: 'contacts', invoice_group: 'paper', topic: 'invoice', channel: 'phone', n: 1 },
      // s2's and s3's email invoices; s1's paper one.
      { kind: 'invoices', invoice_group: 'digital', topic: null, channel: null, n: 2 },
      { kind: 'invoices', invoice_group: 'paper', topic: null, channel: null, n: 1 },
    ]);
  });
});
