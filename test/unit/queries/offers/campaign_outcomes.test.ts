/**
 * queries/offers/campaign_outcomes.sql on the offers fixture with a campaign of offer A started
 * 2025-01-01: f1, f4 and f5 treated, f2 held out.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { OFFER_EVENTS } from './fixture.ts';

const store = useStore(OFFER_EVENTS);

describe('offers/campaign_outcomes', () => {
  it('counts shown, accepted and finally churned members per group since the start', async () => {
    await store().rows(`INSERT INTO offer_campaign_members VALUES ('cmp1', 'f1', 'A', 'treatment'), ('cmp1', 'f4', 'A', 'treatment'), ('cmp1', 'f5', 'A', 'treatment'), ('cmp1', 'f2', 'A', 'holdout')`);
    expect(await store().query('offers/campaign_outcomes', { campaign_id: 'cmp1', start: '2025-01-01T00:00:00Z', until: '2025-07-01T00:00:00Z' })).toEqual([
      // f2 was shown A although held out (contamination), and cancelled.
      { grp: 'holdout', members: '1', shown: '1', accepted: '0', churned: '1' },
      // f1 and f4 were shown and accepted A; f4 cancelled; f5 cancelled but started again, so it has not churned.
      { grp: 'treatment', members: '3', shown: '2', accepted: '2', churned: '1' },
    ]);
    // Up to 2025-05-01, f4's June cancellation has not happened yet.
    const early = await store().query('offers/campaign_outcomes', { campaign_id: 'cmp1', start: '2025-01-01T00:00:00Z', until: '2025-05-01T00:00:00Z' });
    expect(early.map((r) => [r.grp, r.churned])).toEqual([['holdout', '1'], ['treatment', '0']]);
  });
});
