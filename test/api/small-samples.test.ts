// Issue 13 (problem 7) on the real service and the small sample: every response that lists groups
// marks the groups under MIN_GROUP_SIZE (default 30) with `small_sample: true` — rates by factor,
// dose–response, the heat map's cells, survival curves and cohorts — and the size is configurable.
import { describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.ts';
import { serviceForTests } from '../helpers/service-hooks.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const svc = serviceForTests({ SAMPLE_DATA: 'small' });
const get = async (s: TestService, p: string): Promise<Json> => {
  const res = await s.call(p);
  expect(res.status, p).toBe(200);
  return res.json();
};
const TINY = 'market=DK&vertical=alarm&age_band=80%2B';

describe('small_sample', () => {
  it('marks every group of a tiny segment, and none of 30 or more', async () => {
    const sat = await get(svc, `/v1/churn/by/satisfaction_level?${TINY}`);
    expect(sat.n).toBe(2);
    const rows = sat.groups.map((g: Json) => [g.key, g.n, g.small_sample]).sort((a: string[], b: string[]) => a[0].localeCompare(b[0]));
    expect(rows).toEqual([
      ['dissatisfied', 1, true],
      ['satisfied', 1, true],
    ]);
    const all = await get(svc, '/v1/churn/by/payment_method_class');
    for (const g of all.groups) expect(g.small_sample, g.key).toBe(g.n < 30);
    expect(all.groups.filter((g: Json) => !g.small_sample).length).toBeGreaterThanOrEqual(2);
  });

  it('marks dose-response groups, heat-map cells, survival curves and cohorts', async () => {
    const dose = await get(svc, '/v1/churn/dose-response/fees');
    for (const g of dose.groups) expect(g.small_sample).toBe(g.n < 30);
    const heat = await get(svc, '/v1/churn/heatmap?rows=market&factor=fee_exposure');
    expect(heat.cells.some((c: Json) => c.small_sample)).toBe(true);
    for (const c of heat.cells) expect(c.small_sample).toBe(c.n < 30);
    const sv = await get(svc, `/v1/churn/survival?by=payment_method_class&${TINY}`);
    expect(sv.curves.length).toBeGreaterThan(0);
    for (const c of sv.curves) expect([c.n < 30, c.small_sample]).toEqual([true, true]);
    const co = await get(svc, '/v1/churn/cohorts');
    expect(co.cohorts.some((c: Json) => c.small_sample) && co.cohorts.some((c: Json) => !c.small_sample)).toBe(true);
    for (const c of co.cohorts) expect(c.small_sample).toBe(c.n < 30);
  });

  it('follows MIN_GROUP_SIZE', async () => {
    const big = await startTestService({ SAMPLE_DATA: 'small', MIN_GROUP_SIZE: '1000' });
    try {
      const body = await get(big, '/v1/churn/by/payment_method_class');
      for (const g of body.groups) expect(g.small_sample, g.key).toBe(g.n < 1000);
      expect(body.groups.some((g: Json) => g.n >= 30 && g.n < 1000)).toBe(true);
    } finally {
      await big.stop();
    }
  });
});
