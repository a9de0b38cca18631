/**
 * queries/churn/cohort_retention.sql on the churn fixture: per signup month after the first
 * invoice, how many of its customers are still active k months later, for each observable k.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { AS_OF, AS_OF_END, CHURN_EVENTS } from './fixture.ts';

const store = useStore(CHURN_EVENTS);
const cohort = (month: string, ks: number, activeUntil: number) =>
  Array.from({ length: ks }, (_, k) => ({ signup_month: month, n: '1', months_since: String(k), active: k <= activeUntil ? '1' : '0' }));

describe('churn/cohort_retention', () => {
  it('follows each cohort signed up from the first invoice month, for the months the as-of date lets it be seen', async () => {
    expect(await store().filtered('churn/cohort_retention', AS_OF, { params: { as_of_end: AS_OF_END } })).toEqual([
      // c2 (5 Feb 2024): Feb 2024 + k + 1 month fits before 1 Jul 2025 for k <= 16; it cancelled on
      // 15 Apr 2025, after its 14-month mark (5 Apr) and before its 15-month mark.
      ...cohort('2024-02', 17, 14),
      // c4 (10 Mar 2024): k <= 15, never cancelled. c1 (January) and c3 (2023) signed up before the
      // first invoice in the data, so they are no cohort.
      ...cohort('2024-03', 16, 15),
    ]);
  });
});
