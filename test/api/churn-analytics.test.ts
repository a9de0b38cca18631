import { describe, expect, it } from 'vitest';
import { toNdjson } from '../helpers/events.ts';
import { serviceForTests } from '../helpers/service-hooks.ts';
import { expectRefusedNaming } from '../helpers/refused.ts';

const svc = serviceForTests({ SAMPLE_DATA: 'small' });

const get = async (path: string) => {
  const res = await svc.call(path);
  return { status: res.status, body: await res.json() };
};

describe('filters', () => {
  it('a filter that matches no one gives an empty, well-formed answer', async () => {
    for (const path of [
      '/v1/churn/by/payment_method_class?market=ZZ',
      '/v1/churn/dose-response/fees?market=ZZ',
      '/v1/churn/survival?by=timeliness&market=ZZ',
      '/v1/churn/cohorts?market=ZZ',
      '/v1/churn/heatmap?rows=vertical&factor=fee_exposure&market=ZZ',
      '/v1/churn/summary?market=ZZ',
      '/v1/engagement?market=ZZ',
      '/v1/fees/economics?market=ZZ',
    ]) {
      const { status, body } = await get(path);
      expect(status, path).toBe(200);
      if ('groups' in body) expect(body.groups, path).toEqual([]);
      if ('curves' in body) expect(body.curves, path).toEqual([]);
      if ('cohorts' in body) expect(body.cohorts, path).toEqual([]);
      if ('cells' in body) expect(body.cells, path).toEqual([]);
      if ('verticals' in body) expect(body.verticals, path).toEqual([]);
      if ('kpis' in body) expect(body.kpis.find((k: { key: string }) => k.key === 'customers').value, path).toBe(0);
    }
    const drivers = await get('/v1/churn/drivers?market=ZZ');
    expect(drivers.status).toBe(422);
    expect(drivers.body.error.message).toMatch(/no customers match/);
  });

  it("the filter bar's count beside each value is the customers that filter selects in the default lifetime analysis", async () => {
    const dims = (await get('/v1/churn/dimensions')).body as { values: Record<string, { value: string; customers: number }[]> };
    for (const d of ['tenure_band', 'age_band', 'market']) {
      expect(dims.values[d].length, d).toBeGreaterThan(1);
      for (const { value, customers } of dims.values[d]) {
        const { body } = await get(`/v1/churn/summary?view=lifetime&${d}=${encodeURIComponent(value)}`);
        expect(body.kpis.find((k: { key: string }) => k.key === 'customers').value, `${d}=${value}`).toBe(customers);
      }
    }
  });

  it("the drivers' note counts the customers left out for an unclassified payment method in words that agree with the number", async () => {
    const { body } = await get('/v1/churn/drivers?view=lifetime&market=SE');
    const all = (await get('/v1/churn/by/payment_method_class?view=lifetime&market=SE')).body as { groups: { key: string; n: number }[] };
    const unknown = all.groups.find((g) => g.key === 'unknown')?.n ?? 0;
    expect(unknown).toBe(1); // the small sample has exactly one in SE
    expect(body.note).toContain('1 customer with an unclassified payment method is left out.');
  });

  it('impossible filter values give 400 with the offending parameter', async () => {
    await expectRefusedNaming(get, [
      ['/v1/churn/by/payment_method_class?view=sideways', 'view'],
      ['/v1/churn/by/payment_method_class?age_band=12-15', 'age_band'],
      ['/v1/churn/by/payment_method_class?lookback_days=-5', 'lookback_days'],
      ['/v1/churn/by/payment_method_class?horizon_days=abc', 'horizon_days'],
      ['/v1/churn/survival?by=shoe_size', 'by'],
      ['/v1/churn/drivers?dimensions=shoe_size', 'dimensions'],
    ]);
    expect((await get('/v1/churn/by/shoe_size')).status).toBe(400);
  });

  it('repeated and comma-separated segment values mean the same filter', async () => {
    const a = (await get('/v1/churn/by/payment_method_class?vertical=telecom&vertical=broadband')).body;
    const b = (await get('/v1/churn/by/payment_method_class?vertical=telecom,broadband')).body;
    const all = (await get('/v1/churn/by/payment_method_class')).body;
    expect(a).toEqual(b);
    expect(a.n).toBeLessThan(all.n);
    const telecom = (await get('/v1/churn/by/payment_method_class?vertical=telecom')).body;
    const broadband = (await get('/v1/churn/by/payment_method_class?vertical=broadband')).body;
    expect(a.n).toBe(telecom.n + broadband.n);
  });
});

describe('statistics on the stored data', () => {
  it('churn by factor is consistent with the groups and names its reference', async () => {
    const { body } = await get('/v1/churn/by/timeliness');
    expect(body.reference).toBe('on_time');
    expect(body.groups.reduce((s: number, g: { n: number }) => s + g.n, 0)).toBe(body.n);
    const ref = body.groups.find((g: { key: string }) => g.key === 'on_time');
    for (const g of body.groups) {
      expect(g.rate).toBeCloseTo(g.churned / g.n, 12);
      expect(g.rate_ci[0]).toBeLessThan(g.rate);
      expect(g.rate_ci[1]).toBeGreaterThan(g.rate);
      if (g.key !== 'on_time') expect(g.relative_risk).toBeCloseTo(g.rate / ref.rate, 12);
    }
  });

  it('survival curves start at 1, never rise, and carry a log-rank test', async () => {
    const { body } = await get('/v1/churn/survival?by=payment_method_class');
    expect(body.curves.length).toBeGreaterThanOrEqual(2);
    for (const c of body.curves) {
      expect(c.points[0].survival).toBe(1);
      for (let i = 1; i < c.points.length; i++) expect(c.points[i].survival).toBeLessThanOrEqual(c.points[i - 1].survival);
    }
    expect(body.log_rank.p_value).toBeLessThan(0.001);
  });

  it('answers Arrow IPC with an explicit schema when asked', async () => {
    const { tableFromIPC } = await import('apache-arrow');
    const res = await svc.call('/v1/churn/by/payment_method_class', { headers: { accept: 'application/vnd.apache.arrow.stream' } });
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    const json = (await get('/v1/churn/by/payment_method_class')).body;
    expect(table.numRows).toBe(json.groups.length);
    expect(String(table.schema.fields.find((f) => f.name === 'n')!.type)).toBe('Int32');
    expect(table.getChild('n')!.toArray()).toEqual(Int32Array.from(json.groups.map((g: { n: number }) => g.n)));
    expect(table.schema.metadata.get('reference')).toBe(json.reference);
  });
});

describe('the landmark view really hides the future', () => {
  it('events after the as-of date change nothing as of that date, and do change the present', async () => {
    const asOf = '2026-06-30';
    const paths = [
      `/v1/churn/by/timeliness?view=landmark&as_of=${asOf}`,
      `/v1/churn/by/fee_exposure?view=landmark&as_of=${asOf}`,
      `/v1/churn/by/payment_method_class?view=landmark&as_of=${asOf}`,
      `/v1/churn/survival?view=landmark&by=timeliness&as_of=${asOf}`,
      `/v1/churn/by/timeliness?view=lifetime&as_of=${asOf}`,
      `/v1/churn/dose-response/late_invoices?view=landmark&as_of=${asOf}`,
    ];
    const before = await Promise.all(paths.map((p) => get(p)));
    const present = (await get('/v1/churn/by/fee_exposure?view=landmark')).body;
    const active = await svc.query<{ customer_id: string }>(`SELECT customer_id FROM customer_facts WHERE NOT churned ORDER BY customer_id LIMIT 400`);
    // After the as-of date: every one of them pays late, is charged fees, switches to a manual
    // method, and half of them cancel.
    const future = active.flatMap(({ customer_id }, i) => [
      { event_id: `fut-inv-${i}`, type: 'invoice_issued', occurred_at: '2026-07-02T08:00:00Z', customer_id, invoice_id: `FUT-${i}`, amount: 100, due_date: '2026-07-10' },
      { event_id: `fut-fee-${i}`, type: 'fee_charged', occurred_at: '2026-07-20T08:00:00Z', customer_id, invoice_id: `FUT-${i}`, fee_type: 'reminder', amount: 60 },
      { event_id: `fut-pay-${i}`, type: 'payment_received', occurred_at: '2026-07-25T08:00:00Z', customer_id, invoice_id: `FUT-${i}`, amount: 160, method: 'paper_giro' },
      { event_id: `fut-pmc-${i}`, type: 'payment_method_changed', occurred_at: '2026-07-26T08:00:00Z', customer_id, method: 'bank_transfer' },
      ...(i % 2 ? [{ event_id: `fut-cancel-${i}`, type: 'subscription_cancelled', occurred_at: '2026-08-01T08:00:00Z', customer_id, reason: 'price' }] : []),
    ]);
    const res = await svc.call('/v1/events', { method: 'POST', body: toNdjson(future), headers: { 'content-type': 'application/x-ndjson' } });
    expect((await res.json()).accepted).toBe(future.length);
    const after = await Promise.all(paths.map((p) => get(p)));
    // Identical figures; only the snapshot they are stamped with moved on (the new batch).
    const figures = (a: { status: number; body: Record<string, unknown> }) => ({ status: a.status, body: { ...a.body, data_as_of: undefined, lag_seconds: undefined } });
    for (let i = 0; i < paths.length; i++) {
      expect(figures(after[i]), paths[i]).toEqual(figures(before[i]));
      expect(after[i].body.data_as_of.batch_id).toBeGreaterThan(before[i].body.data_as_of.batch_id);
      expect(after[i].body.lag_seconds).toBe(0);
    }
    const presentAfter = (await get('/v1/churn/by/fee_exposure?view=landmark')).body;
    expect(presentAfter).not.toEqual(present);
    // Answers are cached per data version: the same question again is served from the cache.
    const again = await svc.call('/v1/churn/by/fee_exposure?view=landmark');
    expect(again.headers.get('x-result-cache')).toBe('hit');
    expect(await again.json()).toEqual(presentAfter);
  });
});
