/**
 * GET /v1/customers (drill-down) and GET /v1/customers/{id} (the customer page) against the real
 * service with the `small` sample: for every kind of click — a factor level, a heat-map cell, a
 * cohort cell, each Overview KPI — the list holds exactly the customers the clicked figure counted,
 * as the figure's own endpoint reports it; pages are stable and sorted; the CSV streams with its
 * header and defuses spreadsheet formulas; the customer page shows a hand-made customer's exact
 * timeline; erased customers are gone; reads are role-checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChurnByFactor, Cohorts, DoseResponse, Heatmap, Summary } from '../../service/analytics/contracts.ts';
import type { CustomerPage, DrillPage } from '../../service/customers/contracts.ts';
import { toNdjson } from '../helpers/events.ts';
import { syntheticCustomer } from '../helpers/offer-customers.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

let svc: TestService;
let asOf: string;
const ADMIN = 'admin-token-15';
const READ = 'reader-token-15';
const INGEST = 'ingest-token-15';

beforeAll(async () => {
  svc = await startTestService({ SAMPLE_DATA: 'small', AUTH_TOKENS: `admin:${ADMIN},read:${READ},ingest:${INGEST}` });
  asOf = (await (await svc.call('/v1/churn/dimensions', { token: READ })).json()).default_as_of;
}, 180_000);
afterAll(() => svc.stop());

const get = async <T,>(path: string): Promise<T> => {
  const res = await svc.call(path, { token: READ });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};
const drill = (qs: string) => get<DrillPage>(`/v1/customers?${qs}`);
/** Every customer id of a list, read page by page. */
async function allIds(qs: string, limit = 500): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += limit) {
    const p = await drill(`${qs}&limit=${limit}&offset=${offset}`);
    ids.push(...p.rows.map((r) => r.customer_id));
    if (p.rows.length < limit) return ids;
  }
}

describe('drill-down: the list counts what was clicked', () => {
  it('a Drivers bar (factor level), all of it and its churners, in both views', async () => {
    for (const view of ['lifetime', 'landmark'] as const) {
      const by = await get<ChurnByFactor>(`/v1/churn/by/payment_method_class?view=${view}`);
      for (const g of by.groups) {
        const page = await drill(`view=${view}&factor=payment_method_class&level=${g.key}&limit=5`);
        expect(page.total).toBe(g.n);
        expect(page.figure.count).toBe(g.n);
        expect(page.view).toBe(view);
        const churners = await drill(`view=${view}&factor=payment_method_class&level=${g.key}&outcome=churned&limit=5`);
        expect(churners.total).toBe(g.churned);
        expect(churners.figure).toEqual({ count: g.churned, denominator: g.n, share: g.n ? g.churned / g.n : null });
        expect(churners.rows.every((r) => r.churned && r.payment_method_class === g.key)).toBe(true);
      }
    }
    // Exact values of the small sample (lifetime view, default as-of).
    const manual = await drill('factor=payment_method_class&level=manual&limit=1');
    const manualChurned = await drill('factor=payment_method_class&level=manual&outcome=churned&limit=1');
    expect([manual.total, manualChurned.total]).toEqual(EXPECTED.manual);
  });

  it('a factor level under segment filters narrows like the chart did', async () => {
    const by = await get<ChurnByFactor>('/v1/churn/by/timeliness?vertical=telecom,broadband&age_band=18-29');
    const g = by.groups.find((x) => x.key === 'late_repeatedly')!;
    const page = await drill('factor=timeliness&level=late_repeatedly&vertical=telecom,broadband&age_band=18-29&limit=500');
    expect(page.total).toBe(g.n);
    expect(page.rows.length).toBe(g.n);
    expect(page.rows.every((r) => ['telecom', 'broadband'].includes(r.vertical) && r.age_band === '18-29' && r.timeliness === 'late_repeatedly')).toBe(true);
  });

  it('a dose–response bar (number of late invoices or fees, 3 = three or more)', async () => {
    for (const measure of ['late_invoices', 'fees'] as const) {
      const dr = await get<DoseResponse>(`/v1/churn/dose-response/${measure}`);
      for (const g of dr.groups) {
        const page = await drill(`measure=${measure}&count=${g.count_min}&limit=1`);
        expect(page.total, `${measure} ${g.key}`).toBe(g.n);
        expect((await drill(`measure=${measure}&count=${g.count_min}&outcome=churned&limit=1`)).total).toBe(g.churned);
      }
    }
    const three = await drill('measure=late_invoices&count=3&limit=500&sort=late_invoices');
    expect(three.rows.every((r) => r.late_invoices >= 3)).toBe(true);
  });

  it('a heat-map cell (two factors)', async () => {
    const hm = await get<Heatmap>('/v1/churn/heatmap?rows=vertical&factor=payment_method_class');
    expect(hm.cells.length).toBeGreaterThan(4);
    for (const cell of hm.cells) {
      const page = await drill(`factor=payment_method_class&level=${cell.key}&factor2=vertical&level2=${cell.row_key}&limit=1`);
      expect(page.total, `${cell.row_key} × ${cell.key}`).toBe(cell.n);
      const churned = await drill(`factor=payment_method_class&level=${cell.key}&factor2=vertical&level2=${cell.row_key}&outcome=churned&limit=1`);
      expect(churned.total).toBe(cell.churned);
    }
    const telecomManual = hm.cells.find((c) => c.row_key === 'telecom' && c.key === 'manual')!;
    expect([telecomManual.n, telecomManual.churned]).toEqual(EXPECTED.telecomManual);
  });

  it('a cohort cell, and a whole cohort', async () => {
    const co = await get<Cohorts>('/v1/churn/cohorts');
    const cohorts = co.cohorts.filter((c) => c.n > 0);
    // A few cohorts across the range, every observed month of each.
    for (const c of [cohorts[0], cohorts[Math.floor(cohorts.length / 2)], cohorts.at(-1)!]) {
      expect((await drill(`cohort=${c.signup_month}&limit=1`)).total).toBe(c.n);
      for (const r of c.retention.filter((_, i) => i % 3 === 0)) {
        const page = await drill(`cohort=${c.signup_month}&month=${r.months_since}&limit=1`);
        expect(page.total, `${c.signup_month} +${r.months_since}`).toBe(r.active);
        expect(page.figure.denominator).toBe(c.n);
      }
    }
    // A month the as-of date cannot observe yet is empty, as the chart leaves it blank.
    const last = cohorts.at(-1)!;
    expect((await drill(`cohort=${last.signup_month}&month=${last.retention.length + 2}&limit=1`)).total).toBe(0);
    const mid = cohorts[Math.floor(cohorts.length / 2)];
    const m3 = mid.retention.find((r) => r.months_since === 3)!;
    expect([mid.signup_month, mid.n, m3.active]).toEqual(EXPECTED.cohort);
  });

  it('each Overview KPI (shares: their numerator, with the denominator)', async () => {
    const s = await get<Summary>('/v1/churn/summary');
    for (const k of s.kpis) {
      const page = await drill(`kpi=${k.key}&limit=1`);
      if (k.unit === 'count') {
        expect(page.total, k.key).toBe(k.value);
        expect(page.figure.count).toBe(k.value);
      } else {
        expect(page.figure.denominator, k.key).toBe(k.n);
        expect(page.total / k.n, k.key).toBeCloseTo(k.value!, 12);
        expect(page.figure.share).toBeCloseTo(k.value!, 12);
      }
      expect(page.total).toBe(page.figure.count);
    }
    const totals = await Promise.all(s.kpis.map(async (k) => [k.key, (await drill(`kpi=${k.key}&limit=1`)).total]));
    expect(Object.fromEntries(totals)).toEqual(EXPECTED.kpis);
    // Under a filter too.
    const se = await get<Summary>('/v1/churn/summary?market=SE&payment_method_class=manual');
    const churned = se.kpis.find((k) => k.key === 'churned')!;
    expect((await drill('kpi=churned&market=SE&payment_method_class=manual&limit=1')).total).toBe(churned.value);
  });
});

describe('drill-down: paging, sorting, CSV, validation', () => {
  it('pages are stable and cover the list once; sorting follows the allow-listed column', async () => {
    const qs = 'factor=payment_method_class&level=automatic&sort=monthly_price&order=desc';
    const whole = await allIds(qs, 500);
    const paged = await allIds(qs, 37);
    expect(paged).toEqual(whole);
    expect(new Set(paged).size).toBe(paged.length);
    expect(paged.length).toBe((await drill(`${qs}&limit=1`)).total);
    const page = await drill(`${qs}&limit=200`);
    const prices = page.rows.map((r) => r.monthly_price ?? -Infinity);
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
    // Ties broken by id: within one price, ids ascend.
    for (let i = 1; i < page.rows.length; i++) {
      if (page.rows[i].monthly_price === page.rows[i - 1].monthly_price) expect(page.rows[i].customer_id > page.rows[i - 1].customer_id).toBe(true);
    }
    const again = await drill(`${qs}&limit=200`);
    expect(again.rows.map((r) => r.customer_id)).toEqual(page.rows.map((r) => r.customer_id));
  });

  it('refuses what names no single group, and columns outside the allow-list', async () => {
    for (const qs of ['kpi=churned&factor=timeliness&level=on_time', 'factor=timeliness', 'level=x', 'month=3', 'factor2=vertical&level2=telecom', 'kpi=churned&outcome=churned', 'measure=fees', 'count=2', 'measure=fees&count=4', 'sort=monthly_price;drop', 'kpi=mrr', 'cohort=2025-13', 'limit=501']) {
      const res = await svc.call(`/v1/customers?${qs}`, { token: READ });
      expect(res.status, qs).toBe(400);
      expect((await res.json()).error.code).toBe('invalid_request');
    }
  });

  it('streams the whole list as CSV (format=csv or Accept: text/csv), in the JSON order', async () => {
    const qs = 'factor=fee_exposure&level=two_or_more&sort=fee_amount&order=desc';
    const ids = await allIds(qs, 500);
    const ways: { path: string; headers: Record<string, string> }[] = [
      { path: `/v1/customers?${qs}&format=csv`, headers: {} },
      { path: `/v1/customers?${qs}`, headers: { accept: 'text/csv' } },
    ];
    for (const init of ways) {
      const res = await svc.call(init.path, { token: READ, headers: init.headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="customers-\d{4}-\d{2}-\d{2}\.csv"$/);
      const lines = (await res.text()).split('\r\n').filter(Boolean);
      expect(lines[0]).toBe(
        'customer_id,vertical,market,age_band,tenure_band,plan,invoice_channel,payment_method_class,payment_method,timeliness,fee_exposure,tenure_start,churned,churn_at,monthly_price,currency,invoices_due,late_invoices,fees,fee_amount,contacts',
      );
      expect(lines.length - 1).toBe(ids.length);
      expect(lines.slice(1).map((l) => JSON.parse(l.split(',')[0]))).toEqual(ids);
      expect(lines.slice(1).every((l) => l.split(',').length === 21)).toBe(true);
    }
  });
});

describe('the customer page', () => {
  it('shows a known customer: exact timeline, lateness, segments and the risk endpoint answer', async () => {
    const id = 'PAGE-ME-15';
    const events = syntheticCustomer({ id, asOf, lateInvoices: 2, disputedFeeDaysAgo: 40, offers: [{ offer_id: 'direct_debit', daysAgo: 20 }] });
    const res = await svc.call('/v1/events', { method: 'POST', token: INGEST, body: toNdjson(events), headers: { 'content-type': 'application/x-ndjson' } });
    expect((await res.json()).accepted).toBe(events.length);

    const p = await get<CustomerPage>(`/v1/customers/${id}`);
    expect(p.customer_id).toBe(id);
    expect(p.timeline.total).toBe(events.length);
    expect(p.timeline.events.length).toBe(events.length);
    expect(p.timeline.by_type).toEqual({ subscription_started: 1, customer_updated: 1, invoice_issued: 6, invoice_viewed: 6, payment_received: 6, fee_charged: 1, contact: 1, offer_shown: 1 });
    // Newest first.
    const times = p.timeline.events.map((e) => e.occurred_at);
    expect(times).toEqual([...times].sort().reverse());
    // The two latest invoices were paid 6 days late, the other four 2 days early.
    const payments = p.timeline.events.filter((e) => e.type === 'payment_received');
    expect(payments.map((e) => e.days_late)).toEqual([6, 6, 0, 0, 0, 0]);
    expect(p.invoices.map((i) => i.status)).toEqual(['late', 'late', 'on_time', 'on_time', 'on_time', 'on_time']);
    expect(p.invoices.map((i) => i.days_late)).toEqual([6, 6, 0, 0, 0, 0]);
    expect(p.segments).toMatchObject({ vertical: 'telecom', market: 'SE', payment_method_class: 'manual', timeliness: 'late_repeatedly', fee_exposure: 'one', fees: 1, late_invoices: 2, invoices_due: 6 });
    // The risk block is the risk endpoint's own answer.
    const risk = await get<Record<string, unknown>>(`/v1/customers/${id}/risk`);
    // (The endpoint's answer carries its snapshot stamp as a response does; the embedded block does not.)
    expect(p.risk).toEqual({ ...risk, data_as_of: undefined, lag_seconds: undefined });
    expect(p.risk!.status).toBe('active');

    // Capped and paged: 5 at a time, the same order.
    const first = await get<CustomerPage>(`/v1/customers/${id}?limit=5`);
    const second = await get<CustomerPage>(`/v1/customers/${id}?limit=5&offset=5`);
    expect([...first.timeline.events, ...second.timeline.events].map((e) => e.event_id)).toEqual(p.timeline.events.slice(0, 10).map((e) => e.event_id));
    expect(first.timeline.total).toBe(events.length);
    expect((await svc.call(`/v1/customers/${id}?limit=1001`, { token: READ })).status).toBe(400);
  });

  it('a sample customer: every stored event is counted', async () => {
    const [row] = await svc.query<{ customer_id: string; n: number }>(`SELECT customer_id, count(*)::INT AS n FROM events GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`);
    const p = await get<CustomerPage>(`/v1/customers/${row.customer_id}?limit=1000`);
    expect(p.timeline.total).toBe(row.n);
    expect(Object.values(p.timeline.by_type).reduce((s, n) => s + n, 0)).toBe(row.n);
    expect(p.timeline.events.length).toBe(Math.min(1000, row.n));
  });

  it('unknown and erased customers are not found, with a clear code', async () => {
    let res = await svc.call('/v1/customers/NO-SUCH-CUSTOMER', { token: READ });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('customer_not_found');
    const id = 'ERASE-ME-15';
    await svc.call('/v1/events', { method: 'POST', token: INGEST, body: toNdjson(syntheticCustomer({ id, asOf })), headers: { 'content-type': 'application/x-ndjson' } });
    expect((await svc.call(`/v1/customers/${id}`, { token: READ })).status).toBe(200);
    expect((await svc.call(`/v1/customers/${id}`, { method: 'DELETE', token: ADMIN })).status).toBe(200);
    res = await svc.call(`/v1/customers/${id}`, { token: READ });
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.error.code).toBe('customer_not_found');
    expect(JSON.stringify(body)).not.toContain('telecom');
    // Nor does any drill-down list them.
    expect(await allIds('kpi=customers')).not.toContain(id);
  });

  it('reads are role-checked', async () => {
    for (const path of ['/v1/customers?kpi=churned', '/v1/customers/PAGE-ME-15']) {
      expect((await svc.call(path)).status).toBe(401);
      expect((await svc.call(path, { token: INGEST })).status).toBe(403);
      expect((await svc.call(path, { token: ADMIN })).status).toBe(200);
    }
  });

  it('the CSV defuses spreadsheet formulas in ids and plans', async () => {
    const id = '=HYPERLINK("x")';
    const events = syntheticCustomer({ id, asOf }).map((e) => (e.plan ? { ...e, plan: '@SUM(1)' } : e));
    await svc.call('/v1/events', { method: 'POST', token: INGEST, body: toNdjson(events), headers: { 'content-type': 'application/x-ndjson' } });
    const res = await svc.call(`/v1/customers?plan=${encodeURIComponent('@SUM(1)')}&format=csv`, { token: READ });
    const lines = (await res.text()).split('\r\n').filter(Boolean);
    expect(lines.length).toBe(2);
    expect(lines[1].startsWith(`"'=HYPERLINK(""x"")"`)).toBe(true);
    expect(lines[1]).toContain(`"'@SUM(1)"`);
  });
});

/** Figures of the small sample (seed 42) at its default as-of, read off the analyses once and pinned. */
const EXPECTED = {
  manual: [817, 307],
  telecomManual: [320, 136],
  cohort: ['2025-11', 36, 36] as [string, number, number],
  kpis: { customers: 2000, active: 1479, churned: 74, churn_rate: 74, automatic_share: 950, on_time_share: 1230, fee_share: 71 } as Record<string, number>,
};
