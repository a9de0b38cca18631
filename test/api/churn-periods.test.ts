/**
 * Periods and comparison periods on /v1/churn/summary and /v1/churn/by/{factor} (issue 15), on the
 * small sample, against counts written here straight from the events table (not the service's
 * queries): a period from–to counts the customers active at the start of `from` (their latest
 * start/cancellation before it is a start) and, of those, who cancelled by the end of `to`; the
 * comparison period is the same count on the earlier window, and the change's interval is
 * Newcombe's hybrid score interval recomputed here from the Wilson bounds. Also: the last 90
 * days as a period is exactly the default summary's window, and every bad period is refused with
 * its own code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChurnByFactor, Dimensions, Summary } from '../../service/analytics/contracts.ts';
import { wilsonInterval } from '../../service/stats/wilson.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

let svc: TestService;
let last: string;
let first: string;
const DAY = 86_400_000;
const shift = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  svc = await startTestService({ SAMPLE_DATA: 'small' });
  const dims = (await (await svc.call('/v1/churn/dimensions')).json()) as Dimensions;
  last = dims.default_as_of!;
  first = String(dims.first_event).slice(0, 10);
});
afterAll(() => svc.stop());

const get = async <T,>(path: string): Promise<T> => {
  const res = await svc.call(path);
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return (await res.json()) as T;
};

/** Per vertical: customers active at the start of `from`, and those of them who cancelled by the end of `to`. */
async function handCounts(from: string, to: string) {
  const rows = await svc.query<{ vertical: string; n: number; churned: number }>(
    `WITH c AS (
       SELECT customer_id,
         arg_max(type, occurred_at) FILTER (WHERE type IN ('subscription_started', 'subscription_cancelled') AND occurred_at < $t::TIMESTAMPTZ) AS last_life,
         bool_or(type = 'subscription_cancelled' AND occurred_at >= $t::TIMESTAMPTZ AND occurred_at < $e::TIMESTAMPTZ) AS churned,
         arg_max(vertical, occurred_at) FILTER (WHERE vertical IS NOT NULL AND occurred_at < $t::TIMESTAMPTZ) AS vertical
       FROM events GROUP BY customer_id)
     SELECT coalesce(vertical, 'other') AS vertical, count(*)::INT AS n, (count(*) FILTER (WHERE churned))::INT AS churned
     FROM c WHERE last_life = 'subscription_started' GROUP BY 1 ORDER BY 1`,
    { t: `${from}T00:00:00Z`, e: `${shift(to, 1)}T00:00:00Z` },
  );
  const byVertical = new Map(rows.map((r) => [r.vertical, { n: Number(r.n), churned: Number(r.churned) }]));
  return { byVertical, n: rows.reduce((s, r) => s + Number(r.n), 0), churned: rows.reduce((s, r) => s + Number(r.churned), 0) };
}

/** Newcombe's hybrid score interval (method 10) of k1/n1 − k2/n2, from the Wilson bounds. */
function newcombe(k1: number, n1: number, k2: number, n2: number): [number, number] {
  const a = wilsonInterval(k1, n1);
  const b = wilsonInterval(k2, n2);
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  return [p1 - p2 - Math.hypot(p1 - a.lower, b.upper - p2), p1 - p2 + Math.hypot(a.upper - p1, p2 - b.lower)];
}

describe('summary over a period', () => {
  it('counts churn among customers active at from who cancelled by to, against the previous period', async () => {
    const from = shift(last, -119);
    const to = shift(last, -60);
    const body = await get<Summary>(`/v1/churn/summary?from=${from}&to=${to}&compare=previous_period`);
    const prevFrom = shift(from, -60);
    const prevTo = shift(from, -1);
    expect(body.as_of).toBe(to);
    expect(body.period).toEqual({ start: from, end: to });
    expect(body.previous_period).toEqual({ start: prevFrom, end: prevTo });
    expect(body.period_query).toEqual({ period: { start: from, end: to, days: 60 }, comparison: { start: prevFrom, end: prevTo, days: 60, kind: 'previous_period', within_data: prevFrom >= first } });
    const now = await handCounts(from, to);
    const before = await handCounts(prevFrom, prevTo);
    expect(now.n).toBeGreaterThan(300);
    expect(now.churned).toBeGreaterThan(10);
    const rate = body.kpis.find((k) => k.key === 'churn_rate')!;
    expect(rate.n).toBe(now.n);
    expect(rate.value).toBeCloseTo(now.churned / now.n, 12);
    expect(rate.previous_n).toBe(before.n);
    expect(rate.previous).toBeCloseTo(before.churned / before.n, 12);
    expect(rate.change).toBeCloseTo(now.churned / now.n - before.churned / before.n, 12);
    const ci = newcombe(now.churned, now.n, before.churned, before.n);
    expect(rate.change_ci![0]).toBeCloseTo(ci[0], 12);
    expect(rate.change_ci![1]).toBeCloseTo(ci[1], 12);
    expect(rate.label).toBe(`Churn rate (60 days, of those active at ${from})`);
    const churned = body.kpis.find((k) => k.key === 'churned')!;
    expect([churned.value, churned.previous, churned.change]).toEqual([now.churned, before.churned, now.churned - before.churned]);
    expect(churned.change_ci).toBeNull();
  });

  it('compares with the same dates a year earlier', async () => {
    const from = shift(last, -89);
    const body = await get<Summary>(`/v1/churn/summary?from=${from}&to=${last}&compare=previous_year`);
    const [y, m, d] = from.split('-').map(Number);
    const yFrom = `${y - 1}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    const yTo = `${Number(last.slice(0, 4)) - 1}${last.slice(4)}`;
    expect(body.period_query!.comparison).toMatchObject({ start: yFrom, end: yTo, kind: 'previous_year', within_data: yFrom >= first });
    const before = await handCounts(yFrom, yTo);
    const rate = body.kpis.find((k) => k.key === 'churn_rate')!;
    expect(rate.previous_n).toBe(before.n);
    expect(rate.previous).toBeCloseTo(before.n ? before.churned / before.n : NaN, 12);
  });

  it('the last 90 days as a period is the default window, and compare=none drops the comparison', async () => {
    const plain = await get<Summary>('/v1/churn/summary');
    const period = await get<Summary>(`/v1/churn/summary?from=${shift(last, -89)}&to=${last}`);
    expect(period.kpis.map((k) => [k.key, k.value, k.n, k.previous])).toEqual(plain.kpis.map((k) => [k.key, k.value, k.n, k.previous]));
    expect(period.previous_period).toEqual(plain.previous_period);
    const none = await get<Summary>(`/v1/churn/summary?from=${shift(last, -89)}&to=${last}&compare=none`);
    expect(none.previous_period).toBeNull();
    expect(none.kpis.every((k) => k.previous === null && k.change === null && k.change_ci === null && k.previous_n === 0)).toBe(true);
    expect(none.kpis.map((k) => k.value)).toEqual(plain.kpis.map((k) => k.value));
  });
});

describe('compare without a period', () => {
  it('compares the landmark window of as_of and horizon_days', async () => {
    const asOf = shift(last, -30);
    const body = await get<Summary>(`/v1/churn/summary?as_of=${asOf}&horizon_days=45&compare=previous_year`);
    const from = shift(asOf, -44);
    expect(body.period_query!.period).toEqual({ start: from, end: asOf, days: 45 });
    const yFrom = `${Number(from.slice(0, 4)) - 1}${from.slice(4)}`;
    const yTo = `${Number(asOf.slice(0, 4)) - 1}${asOf.slice(4)}`;
    expect(body.previous_period).toEqual({ start: yFrom, end: yTo });
    const [now, before] = [await handCounts(from, asOf), await handCounts(yFrom, yTo)];
    const rate = body.kpis.find((k) => k.key === 'churn_rate')!;
    expect([rate.n, rate.previous_n]).toEqual([now.n, before.n]);
    expect(rate.value).toBeCloseTo(now.churned / now.n, 12);
    const res = await svc.call('/v1/churn/summary?compare=previous_year&view=lifetime');
    expect(res.status).toBe(400);
  });
});

describe('churn by factor over a period', () => {
  it('gives each group its rate in the period, in the comparison period and the change with its interval', async () => {
    const from = shift(last, -179);
    const to = shift(last, -90);
    const body = await get<ChurnByFactor>(`/v1/churn/by/vertical?from=${from}&to=${to}&compare=previous_period`);
    expect(body.view).toBe('landmark');
    expect(body.window).toMatchObject({ landmark: from, horizon_end: to });
    const now = await handCounts(from, to);
    const before = await handCounts(shift(from, -90), shift(from, -1));
    expect(body.n).toBe(now.n);
    expect(body.period_query).toMatchObject({ comparison_n: before.n, comparison_churned: before.churned });
    expect(body.groups.map((g) => g.key).sort()).toEqual([...now.byVertical.keys()].sort());
    for (const g of body.groups) {
      const a = now.byVertical.get(g.key)!;
      const b = before.byVertical.get(g.key)!;
      expect([g.n, g.churned], g.key).toEqual([a.n, a.churned]);
      expect([g.comparison!.n, g.comparison!.churned], g.key).toEqual([b.n, b.churned]);
      expect(g.comparison!.change).toBeCloseTo(a.churned / a.n - b.churned / b.n, 12);
      const ci = newcombe(a.churned, a.n, b.churned, b.n);
      expect(g.comparison!.change_ci![0]).toBeCloseTo(ci[0], 12);
      expect(g.comparison!.change_ci![1]).toBeCloseTo(ci[1], 12);
    }
  });

  it('without compare has no comparison, and without a period answers as before', async () => {
    const from = shift(last, -89);
    const body = await get<ChurnByFactor>(`/v1/churn/by/vertical?from=${from}&to=${last}`);
    expect(body.period_query).toEqual({ period: { start: from, end: last, days: 90 }, comparison: null, comparison_n: null, comparison_churned: null });
    expect(body.groups.every((g) => g.comparison === undefined)).toBe(true);
    const landmark = await get<ChurnByFactor>('/v1/churn/by/vertical?view=landmark');
    expect(landmark.period_query).toBeUndefined();
    expect(landmark.groups.map((g) => [g.key, g.n, g.churned])).toEqual(body.groups.map((g) => [g.key, g.n, g.churned]));
  });
});

describe('OpenAPI', () => {
  it('documents from, to and compare on the two endpoints that take a period, and only there', async () => {
    const doc = (await (await svc.call('/v1/openapi.json')).json()) as { paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }> };
    const names = (path: string) => (doc.paths[path]?.get?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    for (const path of ['/v1/churn/summary', '/v1/churn/by/{factor}']) expect(names(path), path).toEqual(expect.arrayContaining(['from', 'to', 'compare', 'as_of']));
    for (const path of ['/v1/churn/survival', '/v1/churn/drivers', '/v1/churn/cohorts']) expect(names(path), path).not.toContain('from');
  });
});

describe('refused periods', () => {
  const refused = async (path: string, status: number, code: string) => {
    const res = await svc.call(path);
    const body = (await res.json()) as { error: { code: string; message: string; details: Record<string, unknown> } };
    expect([res.status, body.error.code], `${path}: ${body.error.message}`).toEqual([status, code]);
    return body.error;
  };
  it('names the problem of each bad period', async () => {
    const to = shift(last, -10);
    await refused(`/v1/churn/summary?from=${shift(to, -30)}`, 400, 'invalid_period');
    await refused(`/v1/churn/summary?from=${to}&to=${shift(to, -30)}`, 400, 'invalid_period');
    await refused(`/v1/churn/summary?from=${shift(to, -5)}&to=${to}`, 400, 'invalid_period');
    const long = await refused(`/v1/churn/summary?from=${shift(to, -800)}&to=${to}`, 400, 'invalid_period');
    expect(long.details).toMatchObject({ days: 801, max_days: 730 });
    await refused(`/v1/churn/by/vertical?from=${shift(to, -30)}&to=${to}&as_of=${to}`, 400, 'invalid_period');
    await refused(`/v1/churn/by/vertical?from=${shift(to, -30)}&to=${to}&horizon_days=30`, 400, 'invalid_period');
    await refused(`/v1/churn/by/vertical?from=${shift(to, -30)}&to=${to}&view=lifetime`, 400, 'invalid_period');
    await refused(`/v1/churn/summary?from=${shift(to, -30)}&to=${to}&compare=last_week`, 400, 'invalid_request');
    await refused('/v1/churn/summary?from=2026-02-01&to=2026-02-30', 422, 'invalid_date');
    const out = await refused(`/v1/churn/summary?from=${shift(first, -20)}&to=${shift(first, 20)}`, 422, 'period_out_of_range');
    expect(out.details).toMatchObject({ first_day: first, last_day: last });
    await refused(`/v1/churn/by/vertical?from=${shift(last, -20)}&to=${shift(last, 1)}`, 422, 'period_out_of_range');
  });
});
