/**
 * service/off-thread.ts: a fit in the worker thread equals the same fit on the main thread bit for
 * bit (on the R reference data set of test/unit/stats), and a domain error raised there comes back
 * as the same class with its fields, so the routes map it exactly as before.
 */
import { describe, expect, it } from 'vitest';
import { offThread, offThreadRuns } from '../../service/off-thread.ts';
import { CoxModelError, fitCox } from '../../service/stats/cox.ts';
import { concordance } from '../../service/stats/concordance.ts';
import { indicator, loadChurnReference, numeric } from './stats/reference-data.ts';

const reference = () => {
  const { columns } = loadChurnReference();
  return {
    time: numeric(columns.tenure_months),
    event: Uint8Array.from(numeric(columns.churned)),
    covariates: [
      { name: 'manual', values: indicator(columns.method_class, 'manual') },
      { name: 'late', values: numeric(columns.late) },
      { name: 'fee_exposed', values: numeric(columns.fee_exposed) },
    ],
  };
};

describe('model fits in the worker thread', () => {
  it('give the in-thread Cox fit and concordance bit for bit', async () => {
    const { time, event, covariates } = reference();
    const before = offThreadRuns.cox ?? 0;
    const off = await offThread('cox', { time, event, covariates, options: { ties: 'efron' } });
    const here = fitCox(time, event, covariates, { ties: 'efron' });
    expect(offThreadRuns.cox).toBe(before + 1);
    expect(off.fit.terms).toEqual(here.terms);
    expect(off.fit.loglik).toEqual(here.loglik);
    expect(off.fit.variance).toEqual(here.variance);
    expect(Array.from(off.fit.linearPredictor)).toEqual(Array.from(here.linearPredictor));
    expect(off.concordance).toEqual(concordance(time, event, here.linearPredictor));
    // Not a trivially equal pair: the reference model has real effects.
    expect(here.terms.find((t) => t.name === 'manual')!.hazardRatio).toBeGreaterThan(1.2);
  });

  it('return a refusal as the same domain error, with its code and terms', async () => {
    const { time, event, covariates } = reference();
    const constant = new Float64Array(time.length).fill(1);
    const error = await offThread('cox', { time, event, covariates: [...covariates, { name: 'everyone', values: constant }], options: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoxModelError);
    expect((error as CoxModelError).code).toBe('constant_covariate');
    expect((error as CoxModelError).terms).toEqual(['everyone']);
  });
});
