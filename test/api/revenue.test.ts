/**
 * Revenue analyses on the small sample (issue 15), each against a computation written here
 * independently of the service's queries: revenue churn equals lost over at-risk MRR counted
 * straight from the events (cents exact) with the delta-method interval recomputed per customer;
 * MRR movements add up exactly month to month and end at the MRR counted from the events; the
 * cancellation reasons are the reasons of the churned customers' cancellations; money follows
 * the catalogue's exchange rates (changing one rate changes the figures as it should).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CancellationReasons, MrrMovements, RevenueChurn } from '../../service/revenue/contracts.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

let svc: TestService;
const RATES: Record<string, number> = { EUR: 1, SEK: 0.087, NOK: 0.085, DKK: 0.134, USD: 0.9, GBP: 1.17 };

beforeAll(async () => {
  svc = await startTestService({ SAMPLE_DATA: 'small' });
});
afterAll(() => svc.stop());

const get = async <T,>(path: string): Promise<T> => {
  const res = await svc.call(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};
const cents = (x: number) => Math.round(x * 100);
const rateSql = Object.entries(RATES)
  .map(([c, r]) => `('${c}', ${r}::DOUBLE)`)
  .join(', ');

/** MRR per customer at instant `t` (exclusive), straight from the events: latest lifecycle event a start, latest price, latest currency. */
const mrrAt = (t: string, churnUntil?: string) => `
  WITH r(currency, rate) AS (VALUES ${rateSql}),
  c AS (
    SELECT customer_id,
      arg_max(type, occurred_at) FILTER (WHERE type IN ('subscription_started', 'subscription_cancelled') AND occurred_at < TIMESTAMPTZ '${t}') AS last_life,
      arg_max(monthly_price, occurred_at) FILTER (WHERE monthly_price IS NOT NULL AND type IN ('subscription_started', 'plan_changed', 'customer_updated') AND occurred_at < TIMESTAMPTZ '${t}') AS price,
      arg_max(currency, occurred_at) FILTER (WHERE currency IS NOT NULL AND occurred_at < TIMESTAMPTZ '${churnUntil ?? t}') AS currency
      ${churnUntil ? `, bool_or(type = 'subscription_cancelled' AND occurred_at >= TIMESTAMPTZ '${t}' AND occurred_at < TIMESTAMPTZ '${churnUntil}') AS churned` : ''}
    FROM events GROUP BY customer_id
  )
  SELECT customer_id, round(price * rate * 100)::BIGINT AS x ${churnUntil ? ', churned' : ''}
  FROM c JOIN r USING (currency) WHERE last_life = 'subscription_started' AND price IS NOT NULL`;

describe('revenue-weighted churn', () => {
  it('equals lost over at-risk MRR counted from the events, with the delta-method interval', async () => {
    const body = await get<RevenueChurn>('/v1/revenue/churn?by=payment_method_class');
    expect(body.money.reporting_currency).toBe('EUR');
    expect(body.money.exchange_rates).toEqual(RATES);
    const landmark = `${body.window.landmark}T00:00:00Z`;
    const end = new Date(Date.parse(`${body.as_of}T00:00:00Z`) + 86_400_000).toISOString();
    // The landmark population: customers active at T (latest lifecycle event before T a start).
    const rows = await svc.query<{ customer_id: string; x: number; churned: boolean }>(mrrAt(landmark, end));
    const atRisk = rows.reduce((s, r) => s + Number(r.x), 0);
    const lost = rows.filter((r) => r.churned).reduce((s, r) => s + Number(r.x), 0);
    expect(body.overall.n).toBe(rows.length);
    expect(body.overall.churned).toBe(rows.filter((r) => r.churned).length);
    expect(cents(body.overall.mrr_at_risk)).toBe(atRisk);
    expect(cents(body.overall.mrr_lost)).toBe(lost);
    const R = lost / atRisk;
    expect(body.overall.revenue_rate).toBeCloseTo(R, 14);
    // Delta method, per customer: Var = n/(n−1) Σ (y − R x)² / (Σx)².
    const n = rows.length;
    const ss = rows.reduce((s, r) => s + ((r.churned ? Number(r.x) : 0) - R * Number(r.x)) ** 2, 0);
    const se = Math.sqrt((n / (n - 1)) * ss) / atRisk;
    expect(body.overall.revenue_rate_ci![0]).toBeCloseTo(R - 1.959963984540054 * se, 10);
    expect(body.overall.revenue_rate_ci![1]).toBeCloseTo(R + 1.959963984540054 * se, 10);
    // The groups add up to the total; manual payers lose more revenue than automatic ones here.
    expect(body.groups.reduce((s, g) => s + cents(g.mrr_at_risk), 0)).toBe(atRisk);
    expect(body.groups.reduce((s, g) => s + g.n, 0)).toBe(n);
    const manual = body.groups.find((g) => g.key === 'manual')!;
    const automatic = body.groups.find((g) => g.key === 'automatic')!;
    expect(manual.revenue_rate!).toBeGreaterThan(automatic.revenue_rate!);
    expect(body.groups.find((g) => g.key === 'unknown')?.small ?? true).toBe(true);
    // Same population as the churn KPI of the Overview.
    const summary = await get<{ kpis: { key: string; n: number; value: number }[] }>('/v1/churn/summary');
    expect(summary.kpis.find((k) => k.key === 'churn_rate')!.n).toBe(n);
  });
});

describe('MRR movements', () => {
  it('add up exactly month to month, chain, and end at the MRR counted from the events', async () => {
    const body = await get<MrrMovements>('/v1/revenue/mrr-movements');
    expect(body.months.length).toBe(24);
    for (const m of body.months) {
      expect(cents(m.mrr_end), m.month).toBe(cents(m.mrr_start) + cents(m.new) + cents(m.expansion) - cents(m.contraction) - cents(m.churned));
      expect(m.customers_end, m.month).toBe(m.customers_start + m.new_customers - m.churned_customers);
    }
    for (let i = 1; i < body.months.length; i++) {
      expect(cents(body.months[i].mrr_start)).toBe(cents(body.months[i - 1].mrr_end));
      expect(body.months[i].customers_start).toBe(body.months[i - 1].customers_end);
    }
    expect(body.months.at(-1)!).toMatchObject({ month: '2026-10', period_end: body.as_of, partial: false });
    expect(body.months.some((m) => m.contraction > 0)).toBe(true);

    const end = new Date(Date.parse(`${body.as_of}T00:00:00Z`) + 86_400_000).toISOString();
    const now = await svc.query<{ x: number }>(mrrAt(end));
    expect(cents(body.months.at(-1)!.mrr_end)).toBe(now.reduce((s, r) => s + Number(r.x), 0));
    expect(body.months.at(-1)!.customers_end).toBe(now.length);
    const start = await svc.query<{ x: number }>(mrrAt(`${body.months[0].period_start}T00:00:00Z`));
    expect(cents(body.months[0].mrr_start)).toBe(start.reduce((s, r) => s + Number(r.x), 0));
  });

  it('a price rise is expansion and a cut is contraction, by exactly their amount', async () => {
    const before = await get<MrrMovements>('/v1/revenue/mrr-movements');
    const end = new Date(Date.parse(`${before.as_of}T00:00:00Z`) + 86_400_000).toISOString();
    const monthStart = `${before.months.at(-1)!.period_start}T00:00:00Z`;
    // Two EUR customers active all month with no price change in it.
    const [up, down] = await svc.query<{ customer_id: string; price: number }>(`
      WITH x AS (${mrrAt(end)}) SELECT x.customer_id, x.x / 100.0 AS price FROM x
      WHERE x.customer_id IN (SELECT customer_id FROM events GROUP BY customer_id HAVING arg_max(currency, occurred_at) FILTER (WHERE currency IS NOT NULL) = 'EUR')
        AND x.customer_id IN (SELECT customer_id FROM (${mrrAt(monthStart)}))
        AND x.customer_id NOT IN (SELECT customer_id FROM events WHERE monthly_price IS NOT NULL AND occurred_at >= TIMESTAMPTZ '${monthStart}')
      ORDER BY x.customer_id LIMIT 2`);
    const at = `${before.as_of}T08:00:00Z`;
    const events = [
      { event_id: 'rev-up', type: 'plan_changed', occurred_at: at, customer_id: up.customer_id, plan: 'bigger', monthly_price: Number(up.price) + 12.34 },
      { event_id: 'rev-down', type: 'plan_changed', occurred_at: at, customer_id: down.customer_id, plan: 'smaller', monthly_price: Number(down.price) - 1.5 },
    ];
    const res = await svc.call('/v1/events', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: events.map((e) => JSON.stringify(e)).join('\n') + '\n' });
    expect((await res.json()).accepted).toBe(2);
    const after = await get<MrrMovements>('/v1/revenue/mrr-movements');
    const [b, a] = [before.months.at(-1)!, after.months.at(-1)!];
    expect(cents(a.expansion) - cents(b.expansion)).toBe(1234);
    expect(cents(a.contraction) - cents(b.contraction)).toBe(150);
    expect(a.expanded_customers - b.expanded_customers).toBe(1);
    expect(a.contracted_customers - b.contracted_customers).toBe(1);
    expect(cents(a.mrr_end) - cents(b.mrr_end)).toBe(1234 - 150);
    expect(cents(a.mrr_start)).toBe(cents(b.mrr_start));
  });

  it('a segment filter narrows it to that segment (and still adds up)', async () => {
    const all = await get<MrrMovements>('/v1/revenue/mrr-movements');
    const se = await get<MrrMovements>('/v1/revenue/mrr-movements?market=SE');
    const other = await get<MrrMovements>('/v1/revenue/mrr-movements?market=NO,DK,FI');
    const last = (b: MrrMovements) => cents(b.months.at(-1)!.mrr_end);
    expect(last(se)).toBeGreaterThan(0);
    expect(last(se)).toBeLessThan(last(all));
    const markets = await get<{ values: { market: string[] } }>('/v1/churn/dimensions');
    if (markets.values.market.every((m) => ['SE', 'NO', 'DK', 'FI'].includes(m))) expect(last(se) + last(other)).toBe(last(all));
  });
});

describe('cancellation reasons', () => {
  it('are the reasons of the churned customers\' cancellations, by segment, with lost MRR', async () => {
    const body = await get<CancellationReasons>('/v1/revenue/cancellation-reasons?by=vertical');
    const churn = await get<RevenueChurn>('/v1/revenue/churn?by=vertical');
    expect(body.overall.churned).toBe(churn.overall.churned);
    expect(cents(body.overall.mrr_lost)).toBe(cents(churn.overall.mrr_lost));
    for (const g of body.groups) {
      const c = churn.groups.find((x) => x.key === g.key)!;
      expect(g.churned, g.key).toBe(c.churned);
      expect(g.reasons.reduce((s, r) => s + r.customers, 0)).toBe(g.churned);
      for (const r of g.reasons) expect(r.share_ci[0] <= r.share && r.share <= r.share_ci[1]).toBe(true);
    }
    const landmark = `${body.window.landmark}T00:00:00Z`;
    const end = new Date(Date.parse(`${body.as_of}T00:00:00Z`) + 86_400_000).toISOString();
    const hand = await svc.query<{ reason: string; n: number }>(`
      WITH pop AS (${mrrAt(landmark, end)}),
      first_cancel AS (SELECT customer_id, arg_min(reason, occurred_at) AS reason FROM events WHERE type = 'subscription_cancelled' AND occurred_at >= TIMESTAMPTZ '${landmark}' AND occurred_at < TIMESTAMPTZ '${end}' GROUP BY customer_id)
      SELECT coalesce(reason, 'unspecified') AS reason, count(*)::INTEGER AS n FROM pop JOIN first_cancel USING (customer_id) WHERE churned GROUP BY 1 ORDER BY 2 DESC, 1`);
    expect(body.overall.reasons.map((r) => [r.reason, r.customers])).toEqual(hand.map((h) => [h.reason, Number(h.n)]));
  });
});

describe('money', () => {
  it('follows the catalogue\'s exchange rates', async () => {
    const before = await get<RevenueChurn>('/v1/revenue/churn?market=SE');
    const cat = await (await svc.call('/v1/offers/catalogue')).json();
    const doc = { reporting_currency: cat.reporting_currency, exchange_rates: { ...cat.exchange_rates, SEK: 0.174 }, offers: cat.offers };
    expect((await svc.call('/v1/offers/catalogue', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc) })).status).toBe(200);
    const after = await get<RevenueChurn>('/v1/revenue/churn?market=SE');
    expect(after.money.exchange_rates.SEK).toBe(0.174);
    // Swedish customers pay in SEK: doubling its rate doubles their MRR (to rounding per customer).
    expect(Math.abs(after.overall.mrr_at_risk - 2 * before.overall.mrr_at_risk)).toBeLessThanOrEqual(after.overall.n * 0.01);
    expect(after.overall.revenue_rate).toBeCloseTo(before.overall.revenue_rate!, 3);
  });
});
