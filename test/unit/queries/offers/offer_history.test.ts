/**
 * queries/offers/offer_history.sql on the offers fixture: per customer and offer, when it was last
 * shown and last accepted before the end of the as-of day.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { EXP_END, OFFER_EVENTS } from './fixture.ts';

const store = useStore(OFFER_EVENTS);
const history = async (exp_end: string) =>
  (await store().query('offers/offer_history', { exp_end })).map((r) => [r.customer_id, r.offer_id, r.last_shown_at, r.last_accepted_at]).sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));

describe('offers/offer_history', () => {
  it('keeps the latest showing and acceptance per customer and offer', async () => {
    expect(await history(EXP_END)).toEqual([
      // f1 was shown A twice: the June showing is the last.
      ['f1', 'A', '2025-06-20 12:00:00+00', '2025-01-20 12:00:00+00'],
      ['f2', 'A', '2025-02-01 12:00:00+00', null],
      // f3 accepted A without a showing of it.
      ['f3', 'A', null, '2025-01-10 12:00:00+00'],
      ['f3', 'B', '2025-01-05 12:00:00+00', '2025-03-01 12:00:00+00'],
      ['f4', 'A', '2025-01-15 12:00:00+00', '2025-01-25 12:00:00+00'],
    ]);
  });

  it('reads nothing at or after the end it is given', async () => {
    // As of the end of 2025-01-31: f1's June showing, f2's showing and f3's acceptance of B are later.
    expect(await history('2025-02-01T00:00:00Z')).toEqual([
      ['f1', 'A', '2025-01-10 12:00:00+00', '2025-01-20 12:00:00+00'],
      ['f3', 'A', null, '2025-01-10 12:00:00+00'],
      ['f3', 'B', '2025-01-05 12:00:00+00', null],
      ['f4', 'A', '2025-01-15 12:00:00+00', '2025-01-25 12:00:00+00'],
    ]);
  });
});
