/**
 * queries/offers/observed_acceptance.sql on the offers fixture: per offer, showings that had their
 * full acceptance window and how many of them the same customer accepted within it.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { EXP_END, OFFER_EVENTS } from './fixture.ts';

const store = useStore(OFFER_EVENTS);

describe('offers/observed_acceptance', () => {
  it('counts an acceptance of the same offer by the same customer within the window only', async () => {
    expect(await store().query('offers/observed_acceptance', { exp_end: EXP_END, window_days: 30 })).toEqual([
      // f1's January and f4's showings were accepted, f2's was not; f1's June showing is within 30 days of the end.
      // f3's acceptance of A had no showing of A and counts for nothing.
      { offer_id: 'A', shown: '3', accepted: '2' },
      // f3 accepted B 55 days after it was shown.
      { offer_id: 'B', shown: '1', accepted: '0' },
    ]);
  });
});
