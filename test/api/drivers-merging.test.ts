// Issue 13 (problem 6) on the real service and the small sample: ordinary segments used to get 422
// `group_too_small` from the adjusted model because one level (two or more fees, 80+) had a handful
// of customers. Now thin levels are merged into a neighbour, every merge is listed with its counts,
// and only a selection that no merging can rescue is refused. The figures are the small sample's
// (seed 42); the merged levels' counts are checked against the per-level counts of the unmerged
// analysis (/v1/churn/by/{factor} on the same window), so they cannot drift unnoticed.
import { describe, expect, it } from 'vitest';
import { serviceForTests } from '../helpers/service-hooks.ts';
import { offThreadRuns } from '../../service/off-thread.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const svc = serviceForTests({ SAMPLE_DATA: 'small' });
const get = async (p: string) => {
  const res = await svc.call(p);
  return { status: res.status, body: (await res.json()) as Json };
};
const hr = (b: Json) => Object.fromEntries(b.terms.map((t: Json) => [t.term, Number(t.hazard_ratio.toFixed(4))]));
const merged = (b: Json) => b.merged_levels.map((m: Json) => `${m.dimension}:${m.from}->${m.into}:${m.n}/${m.events}`);

describe('adjusted model on small segments', () => {
  it('answers market=DK with the merges listed', async () => {
    const fits = offThreadRuns.drivers ?? 0;
    const { status, body } = await get('/v1/churn/drivers?view=lifetime&market=DK');
    expect(status).toBe(200);
    // The coding and fit ran in the worker thread (off-thread.ts), not on the event loop that answers ingests.
    expect(offThreadRuns.drivers).toBe(fits + 1);
    expect([body.n, body.events]).toEqual([279, 71]);
    expect(merged(body)).toEqual([
      'timeliness:late_once->late:47/21',
      'timeliness:late_repeatedly->late:29/12',
      'fee_exposure:one->one_or_more:28/11',
      'fee_exposure:two_or_more->one_or_more:6/3',
      'age_band:50-79->50+:113/25',
      'age_band:80+->50+:16/5',
      'vertical:alarm->other:29/4',
      'vertical:broadband->other:62/14',
    ]);
    expect(hr(body)).toEqual({
      'payment_method_class=manual': 2.6872,
      'timeliness=late': 1.2149,
      'fee_exposure=one_or_more': 1.2583,
      'age_band=18-29': 0.9756,
      'age_band=30-49': 0.9402,
      'vertical=energy': 0.8369,
      'vertical=other': 0.6047,
    });
    expect(body.note).toContain('fee_exposure two_or_more → one_or_more (n = 6)');
    // The merged level's size is the sum of the levels the unmerged analysis reports (the model
    // leaves unclassified payment methods out, so the same filter does).
    const fees = (await get('/v1/churn/by/fee_exposure?view=lifetime&market=DK&payment_method_class=automatic,manual')).body;
    const n = (k: string) => fees.groups.find((g: Json) => g.key === k).n;
    expect(body.terms.find((t: Json) => t.term === 'fee_exposure=one_or_more').n).toBe(n('one') + n('two_or_more'));
  });

  it('answers vertical=alarm, leaving the constant vertical out', async () => {
    const { status, body } = await get('/v1/churn/drivers?view=lifetime&vertical=alarm');
    expect(status).toBe(200);
    expect([body.n, body.events]).toEqual([221, 38]);
    expect(body.constant_factors).toEqual(['vertical']);
    expect(merged(body)).toContain('fee_exposure:two_or_more->one_or_more:11/2');
    expect(hr(body)).toEqual({ 'payment_method_class=manual': 2.2886, 'timeliness=late': 3.0654, 'fee_exposure=one_or_more': 0.953, 'age_band=18-29': 0.775, 'age_band=50+': 1.2591 });
  });

  it('answers age_band=80+', async () => {
    const { status, body } = await get('/v1/churn/drivers?view=lifetime&age_band=80%2B');
    expect(status).toBe(200);
    expect([body.n, body.events]).toEqual([128, 28]);
    expect(body.constant_factors).toEqual(['fee_exposure', 'age_band']);
    expect(merged(body)).toEqual(['timeliness:late_once->late:24/9', 'timeliness:late_repeatedly->late:10/6', 'vertical:alarm->other:15/3', 'vertical:broadband->other:25/5']);
    expect(hr(body)).toEqual({ 'payment_method_class=manual': 2.0915, 'timeliness=late': 2.6601, 'vertical=energy': 0.5412, 'vertical=other': 0.5514 });
  });

  it('answers a plan filter', async () => {
    const { status, body } = await get('/v1/churn/drivers?view=lifetime&plan=mobile_10gb');
    expect(status).toBe(200);
    expect([body.n, body.events]).toEqual([259, 78]);
    expect(merged(body)).toEqual(['fee_exposure:one->one_or_more:40/21', 'fee_exposure:two_or_more->one_or_more:10/7', 'age_band:50-79->50+:104/27', 'age_band:80+->50+:19/6']);
    expect(hr(body)['fee_exposure=one_or_more']).toBe(1.6446);
  });

  it('answers the default landmark model, which two_or_more fees (7 customers) used to refuse', async () => {
    const { status, body } = await get('/v1/churn/drivers');
    expect(status).toBe(200);
    expect(body.view).toBe('landmark');
    expect([body.n, body.events]).toEqual([1444, 74]);
    expect(merged(body)).toEqual(['fee_exposure:one->one_or_more:64/15', 'fee_exposure:two_or_more->one_or_more:7/1', 'age_band:50-79->50+:601/25', 'age_band:80+->50+:96/3']);
  });

  it('still refuses, with the numbers, when no merging can reach the thresholds', async () => {
    const { status, body } = await get('/v1/churn/drivers?view=lifetime&plan=alarm_premium');
    expect(status).toBe(422);
    expect(body.error.code).toBe('group_too_small');
    expect(body.error.message).toBe(
      'the model refuses: these filters leave 29 customers with 6 churn events in this window, below the 30 customers and 5 churn events one level needs, so merging levels cannot help. Widen the filters or the window.',
    );
    expect(body.error.details).toEqual({ n: 29, events: 6, min_customers: 30, min_events: 5 });
  });
});
