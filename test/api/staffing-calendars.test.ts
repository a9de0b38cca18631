/**
 * Staffing's recorded calendars follow the events incrementally (service/staffing/calendar-store.ts):
 * after each of 25 small ingests of random events — invoices re-issued earlier with another due
 * date, reminders before their invoice, late sign-ups that change an invoice's stage, contacts,
 * fees, cancellations, resends — every stored row of two zones equals a build from scratch, and no
 * zone is built again. A restart builds nothing; an erasure drops the zones and the next plan
 * rebuilds them without the customer. Real service, real DuckDB file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namedParams } from '../../service/db/sql-compose.ts';
import { sql } from '../../service/db/sql-files.ts';
import { toNdjson } from '../helpers/events.ts';
import { mulberry32 } from '../helpers/random.ts';
import { startTestService, tempDir, type TestService } from '../helpers/service.ts';

const ZONES = ['Europe/Stockholm', 'America/New_York'];
const TABLES = [
  { table: 'staffing_calendar_days', query: 'staffing/calendar_daily', order: 'day, issue_day NULLS FIRST' },
  { table: 'staffing_lag_days', query: 'staffing/driver_lags', order: 'due_day, kind, lag' },
  { table: 'staffing_contact_days', query: 'staffing/contact_daily', order: 'day, channel' },
];
/** Seconds are summed as doubles in another order than a fresh sum: 12 significant digits. */
const digits = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v])));

async function run(svc: TestService, text: string, params: Record<string, unknown> = {}) {
  return svc.query(text, namedParams(text, params) as Record<string, unknown>);
}

/** Every stored row equals a build from scratch from the current facts and events. */
async function expectFresh(svc: TestService, round: number | string) {
  await run(svc, `CREATE OR REPLACE TABLE fresh_stages AS ${sql('staffing/invoice_stages', { invoices: 'fact_invoices' })}`);
  await run(svc, `CREATE OR REPLACE TABLE fresh_followups AS ${sql('staffing/followups', { invoices: 'fact_invoices' })}`, { after: null, upto: null });
  for (const [stored, fresh] of [['staffing_invoice_stages', 'fresh_stages'], ['staffing_followups', 'fresh_followups']]) {
    const [d] = await run(svc, `SELECT (SELECT count(*) FROM (SELECT * FROM ${fresh} EXCEPT ALL SELECT * FROM ${stored}))::INTEGER AS missing,
                                       (SELECT count(*) FROM (SELECT * FROM ${stored} EXCEPT ALL SELECT * FROM ${fresh}))::INTEGER AS extra,
                                       (SELECT count(*) FROM ${stored})::INTEGER AS n`);
    expect({ round, stored, ...d, n: undefined }).toEqual({ round, stored, missing: 0, extra: 0, n: undefined });
    expect(Number(d.n), stored).toBeGreaterThan(100);
  }
  for (const tz of ZONES) {
    for (const t of TABLES) {
      const kept = await run(svc, `SELECT * EXCLUDE (tz) FROM ${t.table} WHERE tz = $tz ORDER BY ${t.order}`, { tz });
      const query = sql(t.query, { stages: 'fresh_stages', followups: 'fresh_followups' });
      const scratch = await run(svc, `SELECT * FROM (${query}) ORDER BY ${t.order}`, { tz, after: null, upto: null });
      expect(kept.length, `${round} ${tz} ${t.table}`).toBeGreaterThan(10);
      expect(digits(kept), `${round} ${tz} ${t.table}`).toEqual(digits(scratch));
    }
  }
  await run(svc, `DROP TABLE fresh_stages`);
  await run(svc, `DROP TABLE fresh_followups`);
}

interface Invoice {
  customer_id: string;
  invoice_id: string;
  issued: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function randomBatch(r: () => number, round: number, invoices: Invoice[], sent: object[]): object[] {
  const out: object[] = [];
  const n = 1 + Math.floor(r() * 20);
  const when = () => iso(Date.UTC(2025, 0, 1) + Math.floor(r() * 540) * 86_400_000 + Math.floor(r() * 86_400) * 1000);
  for (let i = 0; i < n; i++) {
    if (sent.length && r() < 0.1) {
      out.push(sent[Math.floor(r() * sent.length)]);
      continue;
    }
    const id = `cal-${round}-${i}`;
    const k = Math.floor(r() * 10);
    // Follow-ups and re-issues keep to a few invoices, so that they meet: a reminder of an invoice
    // re-issued later, an invoice arriving after its reminder.
    const pool = k <= 5 ? 30 : invoices.length;
    const inv = invoices[Math.floor(r() * pool)];
    const issuedMs = Date.parse(inv.issued);
    const e =
      // The same invoice issued again a day earlier with another due date: the earliest issue stands, so it moves.
      k === 0 ? { event_id: id, type: 'invoice_issued', occurred_at: iso(issuedMs - 86_400_000), customer_id: inv.customer_id, invoice_id: inv.invoice_id, amount: 300, currency: 'SEK', due_date: new Date(issuedMs + 10 * 86_400_000).toISOString().slice(0, 10), channel: 'email' }
      // A new invoice of an existing customer, anywhere in the data.
      : k === 1 ? (() => { const t = when(); return { event_id: id, type: 'invoice_issued', occurred_at: t, customer_id: inv.customer_id, invoice_id: `new-${round}-${i}`, amount: 250, currency: 'SEK', due_date: new Date(Date.parse(t) + 14 * 86_400_000).toISOString().slice(0, 10), channel: 'paper' }; })()
      : k === 2 ? { event_id: id, type: 'reminder_sent', occurred_at: iso(issuedMs + (20 + Math.floor(r() * 30)) * 86_400_000), customer_id: inv.customer_id, invoice_id: inv.invoice_id, kind: r() < 0.6 ? 'hard' : 'soft' }
      // A failed debit of an invoice that may arrive only in a later round (k === 5) or never.
      : k === 3 ? { event_id: id, type: 'payment_failed', occurred_at: iso(issuedMs + 15 * 86_400_000 + 3_600_000), customer_id: inv.customer_id, invoice_id: r() < 0.5 ? inv.invoice_id : `pending-${inv.invoice_id}`, amount: 300, currency: 'SEK', method: 'autogiro' }
      : k === 4 ? { event_id: id, type: 'collection_started', occurred_at: iso(issuedMs + 60 * 86_400_000), customer_id: inv.customer_id, invoice_id: inv.invoice_id }
      : k === 5 ? { event_id: id, type: 'invoice_issued', occurred_at: iso(issuedMs + 86_400_000), customer_id: inv.customer_id, invoice_id: `pending-${inv.invoice_id}`, amount: 120, currency: 'SEK', due_date: new Date(issuedMs + 12 * 86_400_000).toISOString().slice(0, 10), channel: 'email' }
      // A sign-up dated long before the customer's: their tenure starts earlier and invoices change stage.
      : k === 6 ? { event_id: id, type: 'subscription_started', occurred_at: iso(issuedMs - (30 + Math.floor(r() * 400)) * 86_400_000), customer_id: inv.customer_id, plan: 'mobile_s', monthly_price: 199, currency: 'SEK' }
      : k === 7 ? { event_id: id, type: 'contact', occurred_at: when(), customer_id: inv.customer_id, channel: r() < 0.5 ? 'phone' : 'chat', topic: 'invoice', direction: r() < 0.8 ? 'inbound' : 'outbound', wait_seconds: Math.round(r() * 6000) / 10, handle_seconds: Math.round(r() * 9000) / 10 }
      : k === 8 ? { event_id: id, type: 'fee_charged', occurred_at: when(), customer_id: inv.customer_id, invoice_id: inv.invoice_id, fee_type: 'reminder', amount: 60, currency: 'SEK' }
      : { event_id: id, type: 'subscription_cancelled', occurred_at: when(), customer_id: inv.customer_id, reason: 'price' };
    out.push(e);
  }
  sent.push(...out);
  return out;
}

describe('staffing calendars follow the events incrementally', () => {
  let svc: TestService;
  const dir = tempDir();
  beforeAll(async () => {
    svc = await startTestService({ SAMPLE_DATA: 'small' }, dir);
  }, 240_000);
  afterAll(() => svc?.stop());

  it('after each of 25 small ingests every stored row of two zones equals a build from scratch, with no zone built again', async () => {
    for (const tz of ZONES) expect((await svc.call(`/v1/staffing/plan?time_zone=${encodeURIComponent(tz)}`)).status, tz).toBe(200);
    const store = svc.ctx.engine.calendars;
    expect(store.counters.builds).toBe(2);
    await expectFresh(svc, 'built');
    const invoices = await svc.query<Invoice>(`SELECT customer_id, invoice_id, strftime(issued_at, '%Y-%m-%dT%H:%M:%SZ') AS issued FROM fact_invoices WHERE issued_at >= '2025-01-01' ORDER BY customer_id, invoice_id LIMIT 2000`);
    const r = mulberry32(7);
    const sent: object[] = [];
    const refreshes = store.counters.refreshes;
    let changed = 0;
    for (let round = 0; round < 25; round++) {
      const res = await svc.call('/v1/events', { method: 'POST', body: toNdjson(randomBatch(r, round, invoices, sent)), headers: { 'content-type': 'application/x-ndjson' } });
      expect(res.status).toBe(200);
      const ack = (await res.json()) as { rejected: number; errors?: unknown };
      expect(ack.rejected, `round ${round}: ${JSON.stringify(ack).slice(0, 600)}`).toBe(0);
      await expectFresh(svc, round);
      changed += store.counters.last_refresh?.changes ?? 0;
    }
    expect(store.counters.refreshes - refreshes).toBe(25);
    expect(store.counters.builds).toBe(2);
    // The changes applied were a few rows per batch, not the zones' thousands.
    expect(changed).toBeGreaterThan(25);
    expect(store.counters.last_refresh!.customers).toBeLessThan(25);
    // The plan reads the stored zone and answers as before.
    const plan = await svc.call(`/v1/staffing/plan?time_zone=Europe%2FStockholm`);
    expect(plan.status).toBe(200);
  }, 600_000);

  it('a restart serves the stored zones without building any', async () => {
    await svc.stop();
    svc = await startTestService({ SAMPLE_DATA: 'small' }, dir);
    for (const tz of ZONES) expect((await svc.call(`/v1/staffing/plan?time_zone=${encodeURIComponent(tz)}`)).status, tz).toBe(200);
    expect(svc.ctx.engine.calendars.counters.builds).toBe(0);
    const health = (await (await svc.call('/v1/health')).json()) as { analysis: { staffing_calendars: { builds: number } } };
    expect(health.analysis.staffing_calendars.builds).toBe(0);
    await expectFresh(svc, 'restarted');
  }, 240_000);

  it('an erasure drops the zones; the next plan builds them without the customer', async () => {
    const [victim] = await svc.query<{ customer_id: string }>(`SELECT customer_id FROM staffing_invoice_stages GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
    const res = await svc.call(`/v1/customers/${encodeURIComponent(victim.customer_id)}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await svc.query(`SELECT tz FROM staffing_calendars`)).toEqual([]);
    expect((await svc.call(`/v1/staffing/plan?time_zone=Europe%2FStockholm`)).status).toBe(200);
    expect((await svc.call(`/v1/staffing/plan?time_zone=America%2FNew_York`)).status).toBe(200);
    expect(svc.ctx.engine.calendars.counters.builds).toBe(2);
    expect(await svc.query(`SELECT count(*)::INTEGER AS n FROM staffing_invoice_stages WHERE customer_id = $c`, { c: victim.customer_id })).toEqual([{ n: 0 }]);
    await expectFresh(svc, 'erased');
  }, 240_000);
});
