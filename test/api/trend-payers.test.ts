/**
 * The Overview trend's payers and automatic payers come from per-customer months
 * (fact_payment_months), not from every payment event: they must equal the distinct customers
 * counted from the events themselves, for an as-of date inside a month (its payments after the
 * as-of end do not count), within a segment, before and after the payment-method map changes (the
 * map decides which payments are automatic, so a change rebuilds the months).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopeFor } from '../../service/analytics/scope.ts';
import type { Summary } from '../../service/analytics/contracts.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

let svc: TestService;
let asOf: string;
beforeAll(async () => {
  svc = await startTestService({ SAMPLE_DATA: 'small' });
  const latest = (await (await svc.call('/v1/churn/dimensions')).json()).default_as_of as string;
  // The 17th of the month before the latest: a month whose later payments the as-of end excludes.
  const d = new Date(`${latest}T00:00:00Z`);
  asOf = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 17)).toISOString().slice(0, 10);
});
afterAll(() => svc.stop());

/** Payers per month counted from the payment events, for the customers of the market's lifetime base. */
async function fromEvents(market: string) {
  const scope = scopeFor(asOf, 'lifetime', 180, 90);
  const base = await svc.ctx.engine.cache.table(scope);
  const rows = await svc.query<{ month: string; payers: number; automatic: number }>(
    `SELECT strftime(date_trunc('month', e.occurred_at::TIMESTAMP), '%Y-%m') AS month, count(DISTINCT e.customer_id)::INT AS payers,
            count(DISTINCT e.customer_id) FILTER (WHERE pmc.class = 'automatic' OR (pmc.class IS NULL AND lower(e.method) LIKE '%automatic%'))::INT AS automatic
     FROM events e SEMI JOIN (SELECT customer_id FROM ${base} WHERE market = $market) b USING (customer_id)
     LEFT JOIN payment_method_classes pmc ON pmc.label = lower(trim(e.method))
     WHERE e.type = 'payment_received' AND e.occurred_at < $end::TIMESTAMPTZ GROUP BY 1 ORDER BY 1`,
    { market, end: scope.params.exp_end },
  );
  return new Map(rows.map((r) => [r.month, { payers: r.payers, automatic: r.automatic }]));
}

async function fromTrend(market: string) {
  const s = (await (await svc.call(`/v1/churn/summary?as_of=${asOf}&market=${market}`)).json()) as Summary;
  return new Map(s.trend.filter((m) => m.payers > 0).map((m) => [m.month, { payers: m.payers, automatic: Math.round((m.automatic_share ?? 0) * m.payers) }]));
}

describe('trend payers from per-customer months', () => {
  it('equal the distinct payers of the events, month by month, up to the as-of end', async () => {
    const trend = await fromTrend('SE');
    const events = await fromEvents('SE');
    expect(trend.size).toBeGreaterThan(6);
    // The trend starts at the first invoice month; every month it shows has exactly the events' counts.
    for (const [month, counts] of trend) expect(counts, month).toEqual(events.get(month));
    // The as-of month is cut at the as-of end: fewer payers than the full month has.
    const last = [...trend.keys()].at(-1)!;
    expect(last).toBe(asOf.slice(0, 7));
    const [{ n: fullMonth }] = await svc.query<{ n: number }>(
      `SELECT count(DISTINCT customer_id)::INT AS n FROM events WHERE type = 'payment_received' AND strftime(occurred_at::TIMESTAMP, '%Y-%m') = $m`,
      { m: last },
    );
    expect(trend.get(last)!.payers).toBeLessThan(fullMonth);
  });

  it('follow a change of the payment-method map', async () => {
    const before = await fromTrend('NO');
    const map = (await (await svc.call('/v1/settings/payment-methods')).json()).methods as Record<string, string>;
    // The manual label Norwegian customers pay with most becomes automatic.
    const [{ label }] = await svc.query<{ label: string }>(
      `SELECT pmc.label FROM events e JOIN payment_method_classes pmc ON pmc.label = lower(trim(e.method)) JOIN customer_facts f USING (customer_id)
       WHERE e.type = 'payment_received' AND pmc.class = 'manual' AND f.market = 'NO' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    );
    expect(map[label]).toBe('manual');
    const put = await svc.call('/v1/settings/payment-methods', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ methods: { ...map, [label]: 'automatic' } }) });
    expect(put.status).toBe(200);
    const after = await fromTrend('NO');
    const events = await fromEvents('NO');
    for (const [month, counts] of after) expect(counts, month).toEqual(events.get(month));
    const gained = [...after].filter(([m, c]) => c.automatic > before.get(m)!.automatic).length;
    expect(gained).toBeGreaterThan(3);
  });
});
