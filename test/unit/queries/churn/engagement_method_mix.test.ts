/**
 * queries/churn/engagement_method_mix.sql on the churn fixture: customers per payment-method class
 * within each level of one allow-listed segment dimension.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { AS_OF, CHURN_EVENTS } from './fixture.ts';

const store = useStore(CHURN_EVENTS);

describe('churn/engagement_method_mix', () => {
  it('crosses the method class with the vertical', async () => {
    // telecom: c1 autogiro, c2 OCR; energy: c4 recurring card, c3 swish.
    expect(await store().filtered('churn/engagement_method_mix', AS_OF, { identifiers: { dimension: 'vertical' } })).toEqual([
      { dimension: 'vertical', segment: 'energy', method_class: 'automatic', customers: '1' },
      { dimension: 'vertical', segment: 'energy', method_class: 'manual', customers: '1' },
      { dimension: 'vertical', segment: 'telecom', method_class: 'automatic', customers: '1' },
      { dimension: 'vertical', segment: 'telecom', method_class: 'manual', customers: '1' },
    ]);
  });

  it('crosses it with the market, and names the dimension it used', async () => {
    // NO: c3 alone (manual); SE: c1 and c4 automatic, c2 manual.
    expect(await store().filtered('churn/engagement_method_mix', AS_OF, { identifiers: { dimension: 'market' } })).toEqual([
      { dimension: 'market', segment: 'NO', method_class: 'manual', customers: '1' },
      { dimension: 'market', segment: 'SE', method_class: 'automatic', customers: '2' },
      { dimension: 'market', segment: 'SE', method_class: 'manual', customers: '1' },
    ]);
  });
});
