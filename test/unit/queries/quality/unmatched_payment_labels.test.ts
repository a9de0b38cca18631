/**
 * queries/quality/unmatched_payment_labels.sql on the quality fixture: payment-method labels the
 * map does not classify.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';
import { QUALITY_EVENTS } from './fixture.ts';

const store = useStore(QUALITY_EVENTS);

describe('quality/unmatched_payment_labels', () => {
  it('folds case and spaces into one label and leaves out mapped labels and those naming "automatic"', async () => {
    expect(await store().query('quality/unmatched_payment_labels')).toEqual([
      // " Giro-Plus " (q2) and "giro-plus" (q3) are one label; autogiro and swish are mapped, "My Automatic Pay" is automatic by its name.
      { label: 'giro-plus', events: '2', customers: '2', last_day: '2025-02-20' },
    ]);
  });
});
