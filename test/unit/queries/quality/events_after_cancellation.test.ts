/**
 * queries/quality/events_after_cancellation.sql on the quality fixture: events a final
 * cancellation rules out (a plan or method change, an accepted offer, anything past 90 days).
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { QUALITY_EVENTS } from './fixture.ts';

const store = useStore(QUALITY_EVENTS);

describe('quality/events_after_cancellation', () => {
  it('flags the plan change and the payment past the settlement period of a final cancellation only', async () => {
    expect(await store().query('quality/events_after_cancellation')).toEqual([
      {
        // q2: the plan change (9 days after) and the payment of 2025-07-01 (122 days after); its invoice
        // of 2025-03-15 is within 90 days. q3 started again, so its cancellation was not final.
        events: '2',
        customers: '1',
        by_type: [
          { type: 'payment_received', events: '1' },
          { type: 'plan_changed', events: '1' },
        ],
        // The example furthest from the cancellation first.
        examples: [
          { customer_id: 'q2', event_id: 'q2-late-pay', type: 'payment_received', occurred_at: '2025-07-01T00:00:00Z', cancelled_at: '2025-03-01T00:00:00Z' },
          { customer_id: 'q2', event_id: 'q2-plan', type: 'plan_changed', occurred_at: '2025-03-10T00:00:00Z', cancelled_at: '2025-03-01T00:00:00Z' },
        ],
      },
    ]);
  });
});
