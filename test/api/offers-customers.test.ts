/**
 * DELETE /v1/customers/{id}: GDPR erasure of a customer's events, rejected rows carrying their id
 * and derived facts in one transaction, admin only, and every cached analysis forgets them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudiencePage, CustomerRisk, ErasureResult } from '../../service/offers/contracts.ts';
import { analysisBaseSql } from '../../service/analytics/base-sql.ts';
import { toNdjson } from '../helpers/events.ts';
import { syntheticCustomer } from '../helpers/offer-customers.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

let svc: TestService;
let asOf: string;
const ADMIN = 'admin-token-9';
const READ = 'reader-token-9';

beforeAll(async () => {
  svc = await startTestService({ SAMPLE_DATA: 'small', AUTH_TOKENS: `admin:${ADMIN},read:${READ},ingest:ingest-token-9` });
  asOf = (await (await svc.call('/v1/churn/dimensions', { token: READ })).json()).default_as_of;
});
afterAll(() => svc.stop());

const counts = async (id: string) => {
  const [row] = await svc.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM events WHERE customer_id = $id)::INT AS events,
            (SELECT count(*) FROM fact_invoices WHERE customer_id = $id)::INT AS fact_invoices,
            (SELECT count(*) FROM fact_fees WHERE customer_id = $id)::INT AS fact_fees,
            (SELECT count(*) FROM customer_facts WHERE customer_id = $id)::INT AS customer_facts,
            (SELECT count(*) FROM rejected_rows WHERE raw LIKE '%' || $id || '%')::INT AS rejected_rows`,
    { id },
  );
  return row;
};

describe('erasure', () => {
  it('erases events, rejected rows and derived facts of one customer, and nothing of anyone else', async () => {
    const id = 'GDPR-ME-1';
    const events = syntheticCustomer({ id, asOf, lateInvoices: 2, disputedFeeDaysAgo: 40 });
    // Rows rejected in three formats that carry the id: a bad JSON row, a bad CSV row, and an Arrow-like JSON row.
    const bad = [
      { event_id: `${id}-bad-1`, type: 'payment_received', occurred_at: '2026-01-01T00:00:00Z', customer_id: id, invoice_id: 'X', amount: 'lots', method: 'swish' },
      { event_id: `${id}-bad-2`, type: 'no_such_type', occurred_at: '2026-01-01T00:00:00Z', customer_id: id },
    ];
    let res = await svc.call('/v1/events', { method: 'POST', token: ADMIN, body: toNdjson([...events, ...bad]), headers: { 'content-type': 'application/x-ndjson' } });
    expect((await res.json()).rejected).toBe(2);
    res = await svc.call('/v1/events', { method: 'POST', token: ADMIN, body: `event_id,type,occurred_at,customer_id\n${id}-bad-3,contact,not-a-time,${id}\n`, headers: { 'content-type': 'text/csv' } });
    expect((await res.json()).rejected).toBe(1);
    const other = 'GDPR-KEEP-1';
    await svc.call('/v1/events', { method: 'POST', token: ADMIN, body: toNdjson(syntheticCustomer({ id: other, asOf, lateInvoices: 1, disputedFeeDaysAgo: 40 })), headers: { 'content-type': 'application/x-ndjson' } });

    // Reading an analysis waits for the derived facts to catch up with the ingests above.
    const risk = (await (await svc.call(`/v1/customers/${id}/risk`, { token: READ })).json()) as CustomerRisk;
    expect(risk.status).toBe('active');
    const before = await counts(id);
    expect(before.events).toBe(events.length);
    expect(before.fact_invoices).toBe(6);
    expect(before.fact_fees).toBe(1);
    expect(before.customer_facts).toBe(1);
    expect(before.rejected_rows).toBe(3);
    const otherBefore = await counts(other);

    res = await svc.call(`/v1/customers/${id}`, { method: 'DELETE', token: ADMIN });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ErasureResult;
    expect(body.erased).toMatchObject({ events: events.length, fact_invoices: 6, fact_fees: 1, customer_facts: 1, rejected_rows: 3 });
    expect(body.total).toBe(Object.values(body.erased).reduce((s, n) => s + n, 0));
    expect(await counts(id)).toEqual({ events: 0, fact_invoices: 0, fact_fees: 0, customer_facts: 0, rejected_rows: 0 });
    expect(await counts(other)).toEqual(otherBefore);

    // Cached analyses are rebuilt without them.
    expect((await svc.call(`/v1/customers/${id}/risk`, { token: READ })).status).toBe(404);
    const page = (await (await svc.call('/v1/offers/audience?limit=1000&market=SE', { token: READ })).json()) as AudiencePage;
    expect(page.rows.some((r) => r.customer_id === id)).toBe(false);
    // Erasing again finds nothing.
    expect((await svc.call(`/v1/customers/${id}`, { method: 'DELETE', token: ADMIN })).status).toBe(404);
  });

  it('leaves no trace in an analysis base built beside it (a window first asked for during the erasure)', async () => {
    let id = '';
    // A window never asked for before is built in the upkeep's transaction, which has read the
    // events already. The erasure is sent while that build is under way: it must wait for the
    // build to commit and then erase from it too. (Without the wait, the erasure committed first
    // and the base, committed after it from the older snapshot, kept the customer: a GDPR leak.)
    const cache = svc.ctx.engine.cache;
    let erasure: Promise<Response> | null = null;
    cache.buildElsewhere = async (params, table, c) => {
      if (!erasure) {
        // A customer this window's base holds; reading it also starts the transaction's snapshot.
        const bound = { ...params, after: null, upto: null } as never;
        id = String((await c.runAndReadAll(`SELECT customer_id FROM (${analysisBaseSql()}) ORDER BY customer_id DESC LIMIT 1`, bound)).getRows()[0][0]);
        // The summary builds more than one window; the first build sends the erasure.
        erasure = svc.call(`/v1/customers/${id}`, { method: 'DELETE', token: ADMIN });
        await new Promise((r) => setTimeout(r, 400));
      }
      await c.run(`CREATE TABLE ${table} AS ${analysisBaseSql()}`, { ...params, after: null, upto: null } as never);
    };
    try {
      const day = new Date(Date.parse(asOf) - 3 * 86_400_000).toISOString().slice(0, 10);
      expect((await svc.call(`/v1/churn/summary?as_of=${day}`, { token: READ })).status).toBe(200);
    } finally {
      cache.buildElsewhere = null;
    }
    expect(erasure).not.toBeNull();
    expect((await erasure!).status).toBe(200);
    const bases = await svc.query<{ table_name: string }>(`SELECT table_name FROM duckdb_tables() WHERE regexp_matches(table_name, '^analysis_base_[0-9a-f]+$')`);
    expect(bases.length).toBeGreaterThan(0);
    for (const { table_name } of bases) {
      const [row] = await svc.query<{ n: number }>(`SELECT count(*)::INT AS n FROM "${table_name}" WHERE customer_id = $id`, { id });
      expect(row.n, table_name).toBe(0);
    }
    expect(await counts(id)).toEqual({ events: 0, fact_invoices: 0, fact_fees: 0, customer_facts: 0, rejected_rows: 0 });
  });

  it('is admin-only', async () => {
    expect((await svc.call('/v1/customers/C0000001', { method: 'DELETE' })).status).toBe(401);
    expect((await svc.call('/v1/customers/C0000001', { method: 'DELETE', token: READ })).status).toBe(403);
    expect((await svc.call('/v1/customers/C0000001', { method: 'DELETE', token: 'ingest-token-9' })).status).toBe(403);
    expect((await svc.query('SELECT 1 FROM events WHERE customer_id = $id LIMIT 1', { id: 'C0000001' })).length).toBe(1);
  });
});
