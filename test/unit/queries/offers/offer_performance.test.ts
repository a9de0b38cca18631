/**
 * queries/offers/offer_performance.sql on the offers fixture: every showing with full follow-up,
 * accepted within the window or not, and churned within the horizon or not, per offer and segment.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { AS_OF, EXP_END, OFFER_EVENTS } from './fixture.ts';

const store = useStore(OFFER_EVENTS);
const perf = (offer_id: string, segment: string, [shown, customers, accepted, accepted_churned, not_accepted, not_accepted_churned]: number[], first_shown: string) => ({
  offer_id, segment, shown: String(shown), customers: String(customers), accepted: String(accepted), accepted_churned: String(accepted_churned),
  not_accepted: String(not_accepted), not_accepted_churned: String(not_accepted_churned), first_shown,
});

describe('offers/offer_performance', () => {
  it('follows each showing from its own date, per offer overall and per segment', async () => {
    expect(await store().filtered('offers/offer_performance', AS_OF, { identifiers: { by: 'vertical' }, params: { exp_end: EXP_END, horizon_days: 90, window_days: 30 } })).toEqual([
      // A: f1 (accepted in 10 days), f2 (not accepted, cancelled 28 days later), f4 (accepted; its cancellation
      // is 137 days after the showing, past the horizon). f1's June showing has no full follow-up yet.
      perf('A', 'all', [3, 3, 2, 0, 1, 1], '2025-01-10'),
      perf('A', 'energy', [1, 1, 1, 0, 0, 0], '2025-01-15'),
      perf('A', 'telecom', [2, 2, 1, 0, 1, 1], '2025-01-10'),
      // B: f3 accepted only after 55 days, so not within the window.
      perf('B', 'all', [1, 1, 0, 0, 1, 0], '2025-01-05'),
      perf('B', 'energy', [1, 1, 0, 0, 1, 0], '2025-01-05'),
    ]);
  });

  it('counts an acceptance only within the window it is given', async () => {
    // With a 60-day window f3's acceptance of B (55 days) counts.
    const rows = await store().filtered('offers/offer_performance', AS_OF, { identifiers: { by: 'vertical' }, params: { exp_end: EXP_END, horizon_days: 90, window_days: 60 } });
    expect(rows.find((r) => r.offer_id === 'B' && r.segment === 'all')).toMatchObject({ shown: '1', accepted: '1' });
  });
});
