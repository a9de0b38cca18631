/**
 * Rejected rows stay operable (issue 17, items 4 and 7): a bounded page filtered by batch, code and
 * time; purge by age, batch or code for admins only; the retention setting; and erasure that finds
 * a customer's rejected rows by id when the row was not valid JSON.
 */
import { describe, expect, it } from 'vitest';
import { startTestService, tempDir } from '../helpers/service.ts';
import { serviceForTests } from '../helpers/service-hooks.ts';

const ADMIN = 'admin-token-17';
const READ = 'read-token-17';
const INGEST = 'ingest-token-17';

const svc = serviceForTests({ AUTH_TOKENS: `admin:${ADMIN},read:${READ},ingest:${INGEST}` });

const post = async (body: string) =>
  (await svc.call('/v1/events', { method: 'POST', body, token: INGEST, headers: { 'content-type': 'application/x-ndjson' } })).json();
const page = async (query: string) => {
  const res = await svc.call(`/v1/rejected?${query}`, { token: READ });
  return { status: res.status, body: await res.json() };
};

describe('GET /v1/rejected', () => {
  it('pages and filters by batch, code and since; shows the stored prefix (1 024 characters) of raw text with its lengths', async () => {
    const a = await post(`not json\n{"event_id":"r1"}\n${'{"x":"' + 'y'.repeat(500_000) + '"}'}\n`);
    const b = await post('still not json\n');
    expect(a.rejected).toBe(3);
    const byBatch = await page(`batch_id=${a.batch_id}&limit=2`);
    expect(byBatch.status).toBe(200);
    expect(byBatch.body).toMatchObject({ total: 3, limit: 2, offset: 0, by_code: { invalid_json: 1, missing_field: 2 } });
    expect(byBatch.body.rows).toHaveLength(2);
    const next = await page(`batch_id=${a.batch_id}&limit=2&offset=2`);
    expect(next.body.rows[0]).toMatchObject({ row: 3, raw_length: 1024, raw_bytes: 500_008, raw_truncated: true });
    expect(next.body.rows[0].raw).toHaveLength(1024);
    expect((await page(`code=invalid_json&batch_id=${a.batch_id}`)).body.total).toBe(1);
    expect((await page(`since=2999-01-01T00:00:00Z`)).body.total).toBe(0);
    expect((await page(`since=2000-01-01T00:00:00Z&batch_id=${b.batch_id}`)).body.rows[0]).toMatchObject({ raw: 'still not json', raw_length: 14, raw_truncated: false });
  });

  it('refuses out-of-range parameters with 400', async () => {
    for (const q of ['limit=0', 'limit=1001', 'offset=-1', 'batch_id=1e308', 'since=0001-01-01T00:00:00Z', 'since=yesterday', 'code=nope']) {
      const r = await page(q);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
    }
  });
});

describe('DELETE /v1/rejected', () => {
  it('is admin only and needs a criterion', async () => {
    expect((await svc.call('/v1/rejected?code=invalid_json', { method: 'DELETE', token: READ })).status).toBe(403);
    expect((await svc.call('/v1/rejected?code=invalid_json', { method: 'DELETE', token: INGEST })).status).toBe(403);
    const none = await svc.call('/v1/rejected', { method: 'DELETE', token: ADMIN });
    expect(none.status).toBe(400);
    expect((await none.json()).error.code).toBe('invalid_request');
  });

  it('purges by batch, by code, and by age', async () => {
    const a = await post('junk a\n{"event_id":"p1"}\n');
    const b = await post('junk b\n');
    const byBatch = await svc.call(`/v1/rejected?batch_id=${a.batch_id}&code=invalid_json`, { method: 'DELETE', token: ADMIN });
    expect(await byBatch.json()).toEqual({ purged: 1 });
    expect((await page(`batch_id=${a.batch_id}`)).body.by_code).toEqual({ missing_field: 1 });
    expect(await (await svc.call(`/v1/rejected?code=missing_field`, { method: 'DELETE', token: ADMIN })).json()).toMatchObject({ purged: expect.any(Number) });
    expect((await page('code=missing_field')).body.total).toBe(0);
    expect(await (await svc.call(`/v1/rejected?older_than_days=1`, { method: 'DELETE', token: ADMIN })).json()).toEqual({ purged: 0 });
    expect((await page(`batch_id=${b.batch_id}`)).body.total).toBe(1);
    await svc.call(`/v1/rejected?older_than_days=0`, { method: 'DELETE', token: ADMIN });
    expect((await page('')).body.total).toBe(0);
  });
});

describe('REJECTED_RETENTION_DAYS', () => {
  it('purges rows older than the retention at start-up', async () => {
    const dir = tempDir();
    const first = await startTestService({}, dir);
    await first.call('/v1/events', { method: 'POST', body: 'old junk\nnew junk\n', headers: { 'content-type': 'application/x-ndjson' } });
    await first.query(`UPDATE rejected_rows SET received_at = now() - INTERVAL 40 DAY WHERE row_number = 1`);
    await first.stop();
    const second = await startTestService({ REJECTED_RETENTION_DAYS: '30' }, dir);
    try {
      expect(await second.query(`SELECT raw FROM rejected_rows`)).toEqual([{ raw: 'new junk' }]);
    } finally {
      await second.stop();
    }
  });
});

describe('erasure of rejected rows that are not valid JSON', () => {
  it('DELETE /v1/customers/{id} removes a truncated line holding the id and e-mail, and not another customer’s', async () => {
    await post('{"event_id":"t1","type":"contact","customer_id":"ERASE-ME-7","email":"me@example.com","chan\n{"event_id":"t2","customer_id":"ERASE-ME-70"\n');
    const res = await svc.call('/v1/customers/ERASE-ME-7', { method: 'DELETE', token: ADMIN });
    expect(res.status).toBe(200);
    expect((await res.json()).erased.rejected_rows).toBe(1);
    expect(await svc.query(`SELECT count(*)::INT AS n FROM rejected_rows WHERE contains(raw, 'me@example.com')`)).toEqual([{ n: 0 }]);
    expect(await svc.query(`SELECT count(*)::INT AS n FROM rejected_rows WHERE contains(raw, 'ERASE-ME-70')`)).toEqual([{ n: 1 }]);
  });
});
