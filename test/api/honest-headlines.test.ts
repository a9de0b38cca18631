/**
 * Issue 13, problems 1, 4, 5 and 8 through the real API: the small sample plus the dirt real data
 * has (2 000 contact events for ids with no other event, all on one Friday; an overpayment; a plan
 * change after a cancellation; fees billed in SEK, NOK, DKK and EUR; dates outside the data), and
 * the exact figures that show the wrong statements can no longer be produced. Survival at given
 * times, and delayed entry end to end (customers first seen late, with customer_since), are
 * checked against R on the shared 3 000-customer reference set, posted as events.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATES } from '../../service/offers/catalogue.ts';
import { strayContacts, toNdjson } from '../helpers/events.ts';
import { startTestService, type TestService } from '../helpers/service.ts';
import { REFERENCE_DIR, loadChurnReference } from '../unit/stats/reference-data.ts';

/** The rows of the shared reference set (churn-3000.csv), each a record by column name. */
function referenceRows(): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(`${REFERENCE_DIR}/churn-3000.csv`, 'utf8').trim().split('\n');
  const names = head.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
}
const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the small sample with injected dirt', () => {
  let svc: TestService;
  const get = async (path: string) => {
    const res = await svc.call(path);
    return { status: res.status, body: (await res.json()) as Json };
  };
  const post = async (events: Record<string, unknown>[]) => {
    const res = await svc.call('/v1/events', { method: 'POST', body: toNdjson(events as never), headers: { 'content-type': 'application/x-ndjson' } });
    const body = await res.json();
    expect(body.accepted, JSON.stringify(body).slice(0, 300)).toBe(events.length);
    await svc.query('SELECT 1'); // let the derived tables catch up
  };
  let before: { summary: Json; cohorts: Json; byClass: Json; contactsThatDay: number };
  let overpaid: { customer_id: string; invoice_id: string; amount: number; fees: number; paid: number };
  let cancelled: { customer_id: string; cancelled_at: string };

  beforeAll(async () => {
    svc = await startTestService({ SAMPLE_DATA: 'small' });
    before = {
      summary: (await get('/v1/churn/summary')).body,
      cohorts: (await get('/v1/churn/cohorts')).body,
      byClass: (await get('/v1/churn/by/payment_method_class?view=lifetime')).body,
      contactsThatDay: Number((await svc.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE type = 'contact' AND occurred_at::DATE = DATE '2026-10-16'`))[0].n),
    };
    // Problem 1: 2 000 stray contacts, all on Friday 16 October, for ids with no other event.
    const stray = strayContacts();
    // An invoice paid in full, paid again by 500; a plan change ten days after a final cancellation.
    const [inv] = await svc.query<{ customer_id: string; invoice_id: string; amount: number; paid: number }>(
      `SELECT customer_id, invoice_id, amount::DOUBLE AS amount, paid_amount::DOUBLE AS paid FROM fact_invoices
       WHERE paid_amount = amount AND issued_at < TIMESTAMPTZ '2026-06-01' AND (customer_id, invoice_id) NOT IN (SELECT (customer_id, invoice_id) FROM fact_fees WHERE invoice_id IS NOT NULL)
       ORDER BY customer_id, invoice_id LIMIT 1`,
    );
    overpaid = { customer_id: inv.customer_id, invoice_id: inv.invoice_id, amount: inv.amount, fees: 0, paid: inv.paid + 500 };
    [cancelled] = await svc.query<{ customer_id: string; cancelled_at: string }>(
      `SELECT customer_id, strftime(max(occurred_at) FILTER (WHERE type = 'subscription_cancelled'), '%Y-%m-%dT%H:%M:%SZ') AS cancelled_at FROM events
       GROUP BY customer_id
       HAVING max(occurred_at) FILTER (WHERE type = 'subscription_cancelled') BETWEEN TIMESTAMPTZ '2025-06-01' AND TIMESTAMPTZ '2026-03-01'
          AND coalesce(max(occurred_at) FILTER (WHERE type = 'subscription_started'), TIMESTAMPTZ '1970-01-01') < max(occurred_at) FILTER (WHERE type = 'subscription_cancelled')
       ORDER BY customer_id LIMIT 1`,
    );
    const tenDaysLater = new Date(Date.parse(cancelled.cancelled_at) + 10 * 86_400_000).toISOString().replace('.000Z', 'Z');
    await post([
      ...stray,
      { event_id: 'dirt-overpay', type: 'payment_received', occurred_at: '2026-06-15T09:00:00Z', customer_id: inv.customer_id, invoice_id: inv.invoice_id, amount: 500, method: 'bank_transfer' },
      { event_id: 'dirt-after-cancel', type: 'plan_changed', occurred_at: tenDaysLater, customer_id: cancelled.customer_id, plan: 'mobile_10gb', monthly_price: 229 },
    ]);
  }, 300_000);
  afterAll(() => svc.stop());

  describe('problem 1: only customers defined by their lifecycle are analysed', () => {
    it('leaves the customer and active counts, the cohorts and the payment groups exactly as they were', async () => {
      const summary = (await get('/v1/churn/summary')).body;
      const kpi = (s: Json, key: string) => s.kpis.find((k: Json) => k.key === key);
      expect(kpi(summary, 'customers').value).toBe(2000);
      expect(kpi(summary, 'active').value).toBe(kpi(before.summary, 'active').value);
      expect(kpi(summary, 'active').change).toBe(kpi(before.summary, 'active').change);
      expect(summary.kpis).toEqual(before.summary.kpis);
      const cohorts = (await get('/v1/churn/cohorts')).body;
      expect(cohorts.cohorts.find((c: Json) => c.signup_month === '2026-10')?.n).toBe(before.cohorts.cohorts.find((c: Json) => c.signup_month === '2026-10')?.n);
      const byClass = (await get('/v1/churn/by/payment_method_class?view=lifetime')).body;
      expect(byClass.n).toBe(2000);
      expect(byClass.groups).toEqual(before.byClass.groups);
      expect(byClass.groups.find((g: Json) => g.key === 'unknown').n).toBe(before.byClass.groups.find((g: Json) => g.key === 'unknown').n);
    });

    it('counts the orphans by type, with examples, in the data-quality report', async () => {
      const { status, body } = await get('/v1/data-quality');
      expect(status).toBe(200);
      const orphans = body.checks.find((c: Json) => c.key === 'orphans');
      expect(orphans).toMatchObject({ status: 'warning', count: 2000, unit: 'ids', title: '2,000 ids with 2,000 events but no subscription, invoice or customer record' });
      expect(orphans.breakdown).toEqual([{ type: 'contact', ids: 2000, events: 2000, first_day: '2026-10-16', last_day: '2026-10-16' }]);
      expect(orphans.examples).toEqual(['0000', '0001', '0002', '0003', '0004'].map((n) => ({ customer_id: `STRAY-${n}`, type: 'contact' })));
      expect(orphans.effect).toMatch(/never analysed/);
    });

    it('flags the contact spike as the one outlying day for its weekday', async () => {
      const outliers = (await get('/v1/data-quality')).body.checks.find((c: Json) => c.key === 'volume_outliers');
      expect(outliers.count).toBe(1);
      expect(outliers.examples).toHaveLength(1);
      expect(outliers.examples[0]).toMatchObject({ type: 'contact', day: '2026-10-16', weekday: 'Friday', events: 2000 + before.contactsThatDay });
      expect(outliers.examples[0].robust_z).toBeGreaterThan(100);
      expect(outliers.breakdown).toEqual([{ type: 'contact', days: 1, events: 2000 + before.contactsThatDay }]);
    });

    it('reports the other checks with exact counts and examples', async () => {
      const body = (await get('/v1/data-quality')).body;
      const c = (key: string) => body.checks.find((x: Json) => x.key === key);
      expect(body.checks.map((x: Json) => x.key)).toEqual(['orphans', 'volume_outliers', 'currencies', 'unmatched_payment_labels', 'overpaid_invoices', 'events_after_cancellation']);
      expect(c('unmatched_payment_labels')).toMatchObject({ count: 3, status: 'warning' });
      expect(c('unmatched_payment_labels').breakdown).toEqual([
        { label: 'apple_pay', events: 25, customers: 1 },
        { label: 'trustly', events: 25, customers: 1 },
        { label: 'paypal', events: 19, customers: 2 },
      ]);
      expect(c('overpaid_invoices')).toMatchObject({ count: 1, status: 'warning', examples: [overpaid] });
      expect(c('events_after_cancellation')).toMatchObject({ count: 1, breakdown: [{ type: 'plan_changed', events: 1 }] });
      expect(c('events_after_cancellation').examples[0]).toMatchObject({ customer_id: cancelled.customer_id, type: 'plan_changed', event_id: 'dirt-after-cancel', cancelled_at: cancelled.cancelled_at });
      // Four verticals bill in four currencies each, all with a rate: handled by conversion, so a note.
      const currencies = c('currencies');
      expect(currencies).toMatchObject({ count: 4, status: 'info', title: '4 verticals bill in more than one currency' });
      expect(new Set(currencies.breakdown.map((b: Json) => b.currency))).toEqual(new Set(['SEK', 'NOK', 'DKK', 'EUR']));
      expect(body.warnings).toBe(5);
      expect(body.first_day <= '2024-11-01' && body.last_day === '2026-10-31').toBe(true);
    });
  });

  describe('problem 4: money is never summed across currencies', () => {
    it('converts every fee with the configured rate and states the currency', async () => {
      const { body } = await get('/v1/fees/economics');
      expect(body.currency).toBe('EUR');
      expect(body.exchange_rates).toEqual({ DKK: DEFAULT_RATES.DKK, EUR: 1, NOK: DEFAULT_RATES.NOK, SEK: DEFAULT_RATES.SEK });
      expect(body.unconverted_currencies).toEqual([]);
      // Fee revenue by the customer's currency, counted from the events themselves.
      const raw = await svc.query<{ currency: string; amount: number }>(
        `WITH cur AS (SELECT customer_id, arg_max(currency, occurred_at) FILTER (WHERE currency IS NOT NULL) AS currency FROM events WHERE type IN ('customer_updated', 'subscription_started') GROUP BY ALL)
         SELECT cur.currency, sum(e.amount)::DOUBLE AS amount FROM events e JOIN cur USING (customer_id) WHERE e.type = 'fee_charged' GROUP BY ALL ORDER BY 1`,
      );
      expect(raw.map((r) => r.currency)).toEqual(['DKK', 'EUR', 'NOK', 'SEK']);
      const converted = raw.reduce((s, r) => s + r.amount * DEFAULT_RATES[r.currency], 0);
      const naive = raw.reduce((s, r) => s + r.amount, 0);
      expect(body.totals.fee_revenue).toBeCloseTo(converted, 6);
      expect(Math.abs(body.totals.fee_revenue - naive)).toBeGreaterThan(1000);
      expect(body.verticals.reduce((s: number, v: Json) => s + v.fee_revenue, 0)).toBeCloseTo(converted, 6);
      for (const v of body.verticals) {
        expect(v.by_currency.map((b: Json) => b.currency)).toEqual(['DKK', 'EUR', 'NOK', 'SEK']);
        const sum = v.by_currency.reduce((s: number, b: Json) => s + b.fee_revenue * b.rate, 0);
        expect(v.fee_revenue).toBeCloseTo(sum, 9);
        expect(v.net).toBeCloseTo(v.fee_revenue - v.attributable_churn_value - v.handling_cost, 6);
        if (v.net_ci) expect(v.net_ci[0]).toBeLessThanOrEqual(v.net_ci[1]);
      }
      expect(body.note).toContain('Money is in EUR');
      const arrow = await svc.call('/v1/fees/economics', { headers: { accept: 'application/vnd.apache.arrow.stream' } });
      expect(arrow.status).toBe(200);
    });

    it('leaves out, and names, a currency without a rate instead of adding it in', async () => {
      const put = await svc.call('/v1/offers/catalogue', { method: 'GET' });
      const doc = await put.json();
      const { DKK: _dkk, ...rates } = doc.exchange_rates;
      const saved = await svc.call('/v1/offers/catalogue', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reporting_currency: doc.reporting_currency, exchange_rates: rates, offers: doc.offers }) });
      expect(saved.status, await saved.clone().text()).toBe(200);
      const { body } = await get('/v1/fees/economics');
      expect(body.unconverted_currencies).toEqual(['DKK']);
      expect(body.exchange_rates.DKK).toBeUndefined();
      for (const v of body.verticals) {
        const dkk = v.by_currency.find((b: Json) => b.currency === 'DKK');
        expect(dkk).toMatchObject({ rate: null, fee_revenue_converted: null });
        expect(v.unconverted).toEqual([{ currency: 'DKK', fee_revenue: dkk.fee_revenue, customers: dkk.customers }]);
        expect(v.fee_revenue).toBeCloseTo(v.by_currency.filter((b: Json) => b.rate !== null).reduce((s: number, b: Json) => s + b.fee_revenue * b.rate, 0), 9);
      }
      const currencies = (await get('/v1/data-quality')).body.checks.find((c: Json) => c.key === 'currencies');
      expect(currencies).toMatchObject({ status: 'warning', count: 5, title: '4 verticals bill in more than one currency; DKK without an exchange rate' });
      const restored = await svc.call('/v1/offers/catalogue', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reporting_currency: doc.reporting_currency, exchange_rates: doc.exchange_rates, offers: doc.offers }) });
      expect(restored.status).toBe(200);
    });

    it('has no fee revenue to claim when no fee was charged yet', async () => {
      const { body } = await get('/v1/fees/economics?as_of=2024-11-05');
      expect(body.totals).toMatchObject({ fees: 0, fee_customers: 0, fee_revenue: 0 });
      expect(body.totals.customers).toBeGreaterThan(1000);
    });
  });

  describe('problem 5: as_of is checked against the data', () => {
    it('refuses a date after the last event with the data range, on every analysis', async () => {
      const range = (await get('/v1/data-quality')).body;
      for (const path of ['/v1/churn/summary?as_of=2030-01-01', '/v1/churn/by/payment_method_class?as_of=2030-01-01', '/v1/fees/economics?as_of=2030-01-01', '/v1/churn/survival?as_of=2030-01-01', '/v1/engagement?as_of=2030-01-01', '/v1/offers/recommendations?as_of=2030-01-01', '/v1/offers/performance?as_of=2030-01-01', '/v1/staffing/plan?as_of=2030-01-01', '/v1/churn/cohorts?as_of=2030-01-01']) {
        const { status, body } = await get(path);
        expect(status, path).toBe(422);
        expect(body.error.code, path).toBe('as_of_out_of_range');
        expect(body.error.details, path).toEqual({ as_of: '2030-01-01', first_day: range.first_day, last_day: '2026-10-31', latest: '2026-10-31' });
        expect(body.error.message, path).toBe(`as_of 2030-01-01 is after the last event: the data runs from ${range.first_day} to 2026-10-31. Choose a date in that range (the latest is 2026-10-31).`);
      }
      const early = await get('/v1/churn/summary?as_of=1990-01-01');
      expect(early.status).toBe(422);
      expect(early.body.error.message).toContain('is before the first event');
      // The last day itself is inside.
      expect((await get('/v1/churn/summary?as_of=2026-10-31')).status).toBe(200);
    });

    it('refuses a date that is not on the calendar with a sentence, not a raw code', async () => {
      const { status, body } = await get('/v1/churn/summary?as_of=2026-02-30');
      expect(status).toBe(422);
      expect(body.error).toEqual({ code: 'invalid_date', message: 'as_of: 2026-02-30 is not a date: February 2026 has 28 days.', details: { parameter: 'as_of', value: '2026-02-30' } });
      const month = await get('/v1/fees/economics?as_of=2026-13-01');
      expect(month.status).toBe(422);
      expect(month.body.error.message).toBe('as_of: 2026-13-01 is not a date: there is no month 13 (months run 01–12).');
      expect((await get('/v1/churn/summary?as_of=2024-02-29')).status).toBe(200);
    });
  });
});

describe('problem 8: survival at given times, against R on the shared reference set', () => {
  let svc: TestService;
  // Months map to 30-day months exactly, so tenure t months is 30·t days and ties stay ties.
  const MONTH_SECONDS = 30 * 86_400;
  const END = Date.parse('2026-06-01T00:00:00Z') / 1000; // exclusive end of the as-of day 2026-05-31
  beforeAll(async () => {
    svc = await startTestService();
    const events: Record<string, unknown>[] = [];
    for (const f of referenceRows()) {
      const id = f.customer_id;
      const tenure = Math.round(Number(f.tenure_months) * 100) * (MONTH_SECONDS / 100);
      const churned = f.churned === '1';
      // Active customers run to the end of the as-of day; churned ones left 10 days before it.
      const start = END - tenure - (churned ? 10 * 86_400 : 0);
      events.push({ event_id: `${id}-s`, type: 'subscription_started', occurred_at: iso(start), customer_id: id, plan: 'basic', monthly_price: 100, currency: 'SEK' });
      events.push({ event_id: `${id}-m`, type: 'payment_method_changed', occurred_at: iso(start), customer_id: id, method: f.payment_method });
      // A cancellation at the very second of the start would not follow it: one second later still comes before every other time.
      if (churned) events.push({ event_id: `${id}-c`, type: 'subscription_cancelled', occurred_at: iso(start + Math.max(tenure, 1)), customer_id: id });
    }
    events.push({ event_id: 'last', type: 'customer_updated', occurred_at: '2026-05-31T12:00:00Z', customer_id: 'c0001', satisfaction: 4 });
    const res = await svc.call('/v1/events', { method: 'POST', body: toNdjson(events as never), headers: { 'content-type': 'application/x-ndjson' } });
    expect((await res.json()).accepted).toBe(events.length);
  }, 300_000);
  afterAll(() => svc.stop());

  it('equals R summary(survfit, times = c(6, 12, 24)) per payment class to 1e-9', async () => {
    const ref = loadChurnReference().expected.kaplan_meier;
    const res = await svc.call('/v1/churn/survival?view=lifetime&by=payment_method_class&as_of=2026-05-31&times=180,360,720');
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body.delayed_entry).toBe(false);
    for (let i = 0; i < ref.times.length; i++) {
      const cls = ref.strata[i].split('=')[1];
      const curve = body.curves.find((c: Json) => c.key === cls);
      const at = curve.at_times.find((p: Json) => p.t_days === ref.times[i] * 30);
      expect(at.at_risk, `${cls} at ${ref.times[i]} months`).toBe(ref.n_risk[i]);
      expect(Math.abs(at.survival - ref.survival[i]), `${cls} S(${ref.times[i]})`).toBeLessThan(1e-9);
      expect(Math.abs(at.lower - ref.lower95[i])).toBeLessThan(1e-9);
      expect(Math.abs(at.upper - ref.upper95[i])).toBeLessThan(1e-9);
      expect(at.beyond_follow_up).toBe(false);
    }
    // Asked times come back in the order given, besides the thinned curve.
    const auto = body.curves.find((c: Json) => c.key === 'automatic');
    expect(auto.at_times.map((p: Json) => p.t_days)).toEqual([180, 360, 720]);
    expect(auto.points.length).toBeGreaterThan(50);
    // Without times=, no at_times.
    const plain = (await (await svc.call('/v1/churn/survival?view=lifetime&as_of=2026-05-31')).json()) as Json;
    expect(plain.curves[0].at_times).toBeUndefined();
  });

  it('validates times=', async () => {
    for (const bad of ['abc', '-5', '1,2,abc']) {
      const res = await svc.call(`/v1/churn/survival?times=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(JSON.stringify((await res.json()).error.details)).toContain('times');
    }
  });

  it('has no fees to weigh on a data set without any', async () => {
    const body = (await (await svc.call('/v1/fees/economics?as_of=2026-05-31')).json()) as Json;
    expect(body.totals).toMatchObject({ customers: 3000, fees: 0, fee_revenue: 0 });
  });
});

describe('delayed entry through the API, against R on the shared reference set', () => {
  // R's rule: entry_months = max(0, tenure_months − 24) for c0003, c0006, … (number divisible by 3),
  // else 0; the customer with tenure 0 left out. Posted as events with 100 days per month, so
  // every date falls on a midnight and customer_since (a date) is exact; Kaplan–Meier, Cox and the
  // concordance depend on the order of times only, so R's figures apply unchanged at 100 × t days.
  let svc: TestService;
  const DAY = 86_400;
  const END = Date.parse('2026-06-01T00:00:00Z') / 1000;
  let delayed = 0;
  beforeAll(async () => {
    svc = await startTestService();
    const birthYear: Record<string, number> = { '18-29': 2001, '30-49': 1986, '50-79': 1966 };
    const events: Record<string, unknown>[] = [];
    for (const f of referenceRows()) {
      const id = f.customer_id;
      const months = Number(f.tenure_months);
      if (months === 0) continue;
      const tenure = Math.round(months * 100) * DAY;
      const entry = Number(id.slice(1)) % 3 === 0 ? Math.max(0, tenure - 2400 * DAY) : 0;
      const churned = f.churned === '1';
      const start = END - tenure - (churned ? 10 * DAY : 0);
      const seen = start + entry;
      const attrs = { birth_year: birthYear[f.age_band], vertical: 'telecom', market: 'SE', currency: 'SEK' };
      if (entry > 0) {
        delayed++;
        events.push({ event_id: `${id}-u`, type: 'customer_updated', occurred_at: iso(seen), customer_id: id, ...attrs, customer_since: iso(start).slice(0, 10) });
      } else {
        events.push({ event_id: `${id}-u`, type: 'customer_updated', occurred_at: iso(start), customer_id: id, ...attrs });
        events.push({ event_id: `${id}-s`, type: 'subscription_started', occurred_at: iso(start), customer_id: id, plan: 'basic', monthly_price: 100, currency: 'SEK' });
      }
      const method = f.payment_method;
      events.push({ event_id: `${id}-m`, type: 'payment_method_changed', occurred_at: iso(seen), customer_id: id, method });
      if (f.late === '1') {
        // One invoice paid a day after it fell due: late once.
        const due = new Date((seen - DAY) * 1000).toISOString().slice(0, 10);
        events.push({ event_id: `${id}-i`, type: 'invoice_issued', occurred_at: iso(seen), customer_id: id, invoice_id: `I-${id}`, amount: 100, due_date: due, currency: 'SEK' });
        events.push({ event_id: `${id}-p`, type: 'payment_received', occurred_at: iso(seen + 1), customer_id: id, invoice_id: `I-${id}`, amount: 100, method });
      }
      if (f.fee_exposed === '1') events.push({ event_id: `${id}-f`, type: 'fee_charged', occurred_at: iso(seen + 1), customer_id: id, invoice_id: `F-${id}`, fee_type: 'reminder', amount: 60 });
      if (churned) events.push({ event_id: `${id}-c`, type: 'subscription_cancelled', occurred_at: iso(start + tenure), customer_id: id });
    }
    events.push({ event_id: 'last', type: 'customer_updated', occurred_at: '2026-05-31T12:00:00Z', customer_id: 'c0001', satisfaction: 4 });
    const res = await svc.call('/v1/events', { method: 'POST', body: toNdjson(events as never), headers: { 'content-type': 'application/x-ndjson' } });
    const body = await res.json();
    expect(body.accepted, JSON.stringify(body).slice(0, 400)).toBe(events.length);
  }, 300_000);
  afterAll(() => svc.stop());

  const close = (actual: number, expected: number, label: string) => expect(Math.abs(actual - expected) / Math.max(1, Math.abs(expected)), `${label}: ${actual} vs R ${expected}`).toBeLessThan(1e-6);

  it('puts the 217 late-seen customers on the tenure scale with their entry', async () => {
    const ref = JSON.parse(fs.readFileSync(`${REFERENCE_DIR}/churn-3000-delayed-entry.expected.json`, 'utf8'));
    expect(delayed).toBe(ref.n_delayed);
    const facts = await svc.query<{ n: string; late: string }>(`SELECT count(*) AS n, count(*) FILTER (WHERE observed_late AND entry_days > 0) AS late FROM customer_facts`);
    expect(facts).toEqual([{ n: String(ref.n), late: String(ref.n_delayed) }]);
  });

  it('Kaplan–Meier (survival, bounds, number at risk) equals R at 6, 12 and 24 months to 1e-6', async () => {
    const ref = JSON.parse(fs.readFileSync(`${REFERENCE_DIR}/churn-3000-delayed-entry.expected.json`, 'utf8')).km;
    const body = (await (await svc.call('/v1/churn/survival?view=lifetime&by=payment_method_class&as_of=2026-05-31&times=600,1200,2400')).json()) as Json;
    expect(body.delayed_entry).toBe(true);
    for (let i = 0; i < ref.times.length; i++) {
      const curve = body.curves.find((c: Json) => c.key === ref.strata[i]);
      const at = curve.at_times.find((p: Json) => p.t_days === ref.times[i] * 100);
      const label = `${ref.strata[i]} at ${ref.times[i]} months`;
      expect(at.at_risk, label).toBe(ref.n_risk[i]);
      close(at.survival, ref.survival[i], `${label} S`);
      close(at.lower, ref.lower[i], `${label} lower`);
      close(at.upper, ref.upper[i], `${label} upper`);
    }
  });

  it('the lifetime Cox model (coefficients, SEs, log-likelihoods, concordance) equals R to 1e-6', async () => {
    const ref = JSON.parse(fs.readFileSync(`${REFERENCE_DIR}/churn-3000-delayed-entry.expected.json`, 'utf8')).cox;
    const res = await svc.call('/v1/churn/drivers?view=lifetime&as_of=2026-05-31&dimensions=age_band');
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body).slice(0, 400)).toBe(200);
    expect(body.delayed_entry).toBe(true);
    const term = (name: string) => body.terms.find((t: Json) => t.term === name);
    const r = (name: string) => ref.terms.indexOf(name);
    for (const [ours, theirs] of [['payment_method_class=manual', 'method_classmanual'], ['timeliness=late_once', 'late_f1'], ['fee_exposure=one', 'fee_f1']]) {
      close(term(ours).coef, ref.coef[r(theirs)], `${ours} coef`);
      close(term(ours).se, ref.se[r(theirs)], `${ours} se`);
    }
    // Our age reference is the largest band (30-49), R's is 50-79: the same model, re-parametrised.
    const g18 = term('age_band=18-29').coef;
    const g50 = term('age_band=50-79').coef;
    close(-g50, ref.coef[r('age_band30-49')], 'age 30-49 vs 50-79');
    close(g18 - g50, ref.coef[r('age_band18-29')], 'age 18-29 vs 50-79');
    close(term('age_band=50-79').se, ref.se[r('age_band30-49')], 'age 30-49 vs 50-79 se');
    close(body.loglik[0], ref.loglik[0], 'loglik at zero');
    close(body.loglik[1], ref.loglik[1], 'loglik at the estimate');
    close(body.concordance, ref.concordance, 'concordance');
  });
});
