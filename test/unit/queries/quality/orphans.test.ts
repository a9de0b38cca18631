/**
 * queries/quality/orphans.sql on the quality fixture: ids with events but none that make a
 * customer, per event type.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { QUALITY_EVENTS } from './fixture.ts';

const store = useStore(QUALITY_EVENTS);

describe('quality/orphans', () => {
  it('lists the orphan ids per event type, most events first, the most active id first among the examples', async () => {
    expect(await store().query('quality/orphans')).toEqual([
      // o1's two contacts and o2's one; q1–q3 have contacts of no kind and are customers anyway.
      { type: 'contact', ids: '2', events: '3', first_day: '2025-01-15', last_day: '2025-04-03', orphan_ids: '2', examples: ['o1', 'o2'] },
      // o1's payment: a payment does not make a customer.
      { type: 'payment_received', ids: '1', events: '1', first_day: '2025-03-01', last_day: '2025-03-01', orphan_ids: '2', examples: ['o1'] },
    ]);
  });
});
