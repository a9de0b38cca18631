import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvents, toNdjson } from '../helpers/events.ts';
import { startTestService, type TestService } from '../helpers/service.ts';
import { serviceForTests } from '../helpers/service-hooks.ts';

const TOKENS = { ingest: 'ingest-token-123', read: 'read-token-4567', admin: 'admin-token-890' };

describe('auth: each role can do what it may and nothing else', () => {
  const svc = serviceForTests({ AUTH_TOKENS: Object.entries(TOKENS).map(([r, t]) => `${r}:${t}`).join(',') });

  const ingestReq = () => ({ method: 'POST', body: toNdjson(makeEvents(3, 5, 'auth-' + Math.random())), headers: { 'content-type': 'application/x-ndjson' } });
  const putReq = () => ({ method: 'PUT', body: JSON.stringify({ methods: { autogiro: 'automatic', swish: 'manual' } }), headers: { 'content-type': 'application/json' } });
  const cases: [string, () => RequestInit, Record<'none' | 'bad' | keyof typeof TOKENS, number>][] = [
    ['/v1/events', ingestReq, { none: 401, bad: 401, ingest: 200, read: 403, admin: 200 }],
    ['/v1/rejected', () => ({}), { none: 401, bad: 401, ingest: 200, read: 200, admin: 200 }],
    ['/v1/settings/payment-methods', () => ({}), { none: 401, bad: 401, ingest: 403, read: 200, admin: 200 }],
    ['/v1/settings/payment-methods', putReq, { none: 401, bad: 401, ingest: 403, read: 403, admin: 200 }],
    ['/v1/export/events.parquet', () => ({}), { none: 401, bad: 401, ingest: 403, read: 200, admin: 200 }],
    ['/v1/health', () => ({}), { none: 200, bad: 200, ingest: 200, read: 200, admin: 200 }],
    ['/v1/openapi.json', () => ({}), { none: 200, bad: 200, ingest: 200, read: 200, admin: 200 }],
  ];
  for (const [path, init, expected] of cases) {
    for (const [who, status] of Object.entries(expected)) {
      it(`${init().method ?? 'GET'} ${path} as ${who} → ${status}`, async () => {
        const token = who === 'none' ? undefined : who === 'bad' ? 'not-a-real-token' : TOKENS[who as keyof typeof TOKENS];
        const res = await svc.call(path, { ...init(), token });
        expect(res.status).toBe(status);
        if (status >= 400) expect((await res.json()).error.code).toBe(status === 401 ? 'unauthorized' : 'forbidden');
        else await res.arrayBuffer();
      });
    }
  }
});

describe('hostile input: clear 4xx or rejected rows, the server stays up, the database stays intact', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
    await svc.call('/v1/events', { method: 'POST', body: toNdjson(makeEvents(100, 9, 'base')), headers: { 'content-type': 'application/x-ndjson' } });
  });
  afterAll(() => svc.stop());

  const post = (body: BodyInit, type = 'application/x-ndjson', headers: Record<string, string> = {}) =>
    svc.call('/v1/events', { method: 'POST', body, headers: { 'content-type': type, ...headers } });
  const env = (id: string, extra: Record<string, unknown>) => ({ event_id: id, type: 'contact', occurred_at: '2025-05-01T08:00:00Z', customer_id: 'h1', channel: 'phone', topic: 'fee', ...extra });

  it('malformed JSON: rejected rows in NDJSON, 400 with position for a broken array', async () => {
    const r = await (await post('{"event_id": "m1", \n{]\n"just a string"\n')).json();
    expect(r).toMatchObject({ accepted: 0, rejected: 3 });
    expect(r.errors.map((e: { code: string }) => e.code)).toEqual(['invalid_json', 'invalid_json', 'invalid_json']);
    const bad = await post('[{"event_id":"m2"} {"x":1}]', 'application/json');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details).toEqual({ byte: 19 });
  });

  it('truncated gzip: 400, nothing stored', async () => {
    const gz = gzipSync(toNdjson(makeEvents(200, 4, 'gz')));
    const res = await post(gz.subarray(0, gz.length - 20), 'application/x-ndjson', { 'content-encoding': 'gzip' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('unparseable_body');
    expect(await svc.query(`SELECT count(*)::INT AS n FROM events WHERE event_id LIKE 'gz-%'`)).toEqual([{ n: 0 }]);
  });

  it('CSV with quotes, commas and newlines in fields, and a malformed record', async () => {
    const csv = [
      'event_id,type,occurred_at,customer_id,amount,reference',
      'csv1,payment_unmatched,2025-05-01T08:00:00Z,c9,12.50,"OCR ""42"", line one\nline two"',
      'csv2,payment_unmatched,2025-05-01T08:00:00Z,c9,12.50',
      'csv3,payment_unmatched,2025-05-01T08:00:00Z,c9,7,"bad"quote"',
    ].join('\n');
    const r = await (await post(csv, 'text/csv')).json();
    expect(r).toMatchObject({ accepted: 1, rejected: 2 });
    expect(r.errors.map((e: { code: string }) => e.code)).toEqual(['malformed_row', 'malformed_row']);
    const [row] = await svc.query<{ reference: string }>(`SELECT reference FROM events WHERE event_id = 'csv1'`);
    expect(row.reference).toBe('OCR "42", line one\nline two');
  });

  it('invalid UTF-8 rejects only the affected row, keeping its text', async () => {
    const good = JSON.stringify(env('u1', {}));
    const bad = Buffer.concat([Buffer.from('{"event_id":"u2","type":"contact","customer_id":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const body = Buffer.concat([Buffer.from(good + '\n'), bad, Buffer.from('\n')]);
    const r = await (await post(body)).json();
    expect(r).toMatchObject({ accepted: 1, rejected: 1 });
    expect(r.errors[0]).toMatchObject({ row: 2, code: 'invalid_encoding' });
  });

  it('10 MB single strings (over MAX_ROW_BYTES), NaN / Infinity / 1e309, and SQL text in every string field', async () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const sql = `'); DROP TABLE events; --`;
    const lines = [
      JSON.stringify(env('s1', { channel: huge })),
      JSON.stringify({ ...env('s2', {}), type: 'payment_unmatched', amount: 5, reference: huge }),
      '{"event_id":"n1","type":"survey_response","occurred_at":"2025-05-01T08:00:00Z","customer_id":"h1","score":NaN}',
      '{"event_id":"n2","type":"survey_response","occurred_at":"2025-05-01T08:00:00Z","customer_id":"h1","score":Infinity}',
      '{"event_id":"n3","type":"payment_unmatched","occurred_at":"2025-05-01T08:00:00Z","customer_id":"h1","amount":1e309}',
      JSON.stringify({ event_id: `q1${sql}`, type: 'payment_failed', occurred_at: '2025-05-01T08:00:00Z', customer_id: sql, method: sql, invoice_id: sql, reason: sql, note: sql }),
    ];
    const r = await (await post(lines.join('\n'))).json();
    expect(r.accepted).toBe(1);
    expect(r.errors.map((e: { code: string }) => e.code)).toEqual(['row_too_large', 'row_too_large', 'out_of_range', 'out_of_range', 'out_of_range']);
    const [row] = await svc.query<{ customer_id: string; method: string; extra: string }>(`SELECT customer_id, method, extra FROM events WHERE event_id = $id`, { id: `q1${sql}` });
    expect(row).toEqual({ customer_id: sql, method: sql, extra: JSON.stringify({ note: sql }) });
  });

  it('deeply nested extra is kept or refused cleanly', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const line = `{"event_id":"d1","type":"offer_accepted","occurred_at":"2025-05-01T08:00:00Z","customer_id":"h1","offer_id":"x","nest":${deep}}`;
    const res = await post(line);
    expect(res.status).toBeLessThan(500);
    const r = await res.json();
    expect(r.accepted + r.rejected).toBe(1);
  });

  it('after all that, the server answers and the earlier data is intact', async () => {
    const health = await (await svc.call('/v1/health')).json();
    expect(health.status).toBe('ok');
    expect(await svc.query(`SELECT count(*)::INT AS n FROM events WHERE event_id LIKE 'base-%'`)).toEqual([{ n: 100 }]);
  });
});

describe('concurrent ingest from several clients while reads run', () => {
  const svc = serviceForTests();

  it('loses and doubles nothing', async () => {
    const clients = 4;
    const batches = 8;
    const all = makeEvents(4000, 21, 'conc');
    let reading = true;
    const readErrors: number[] = [];
    const reader = (async () => {
      let n = 0;
      while (reading) {
        for (const p of ['/v1/health', '/v1/rejected?limit=5', '/v1/settings/payment-methods']) {
          const res = await svc.call(p);
          if (res.status !== 200) readErrors.push(res.status);
          await res.arrayBuffer();
          n++;
        }
      }
      return n;
    })();
    const results = await Promise.all(
      Array.from({ length: clients }, async (_, k) => {
        const out = [];
        for (let b = 0; b < batches; b++) {
          // Overlapping slices: every event is sent by two clients.
          const start = ((k * batches + b) * 250) % 4000;
          const slice = Array.from({ length: 500 }, (_, j) => all[(start + j) % 4000]);
          const res = await svc.call('/v1/events', { method: 'POST', body: toNdjson(slice), headers: { 'content-type': 'application/x-ndjson' } });
          expect(res.status).toBe(200);
          out.push(await res.json());
        }
        return out;
      }),
    );
    reading = false;
    const reads = await reader;
    expect(readErrors).toEqual([]);
    // At least one full round of reads ran during the ingestion (each waits until the live rows
    // acknowledged before it are applied, and the ingestion now takes well under a second).
    expect(reads).toBeGreaterThanOrEqual(3);
    const flat = results.flat();
    const sent = new Set<string>();
    for (let k = 0; k < clients; k++) for (let b = 0; b < batches; b++) {
      const start = ((k * batches + b) * 250) % 4000;
      for (let j = 0; j < 500; j++) sent.add(all[(start + j) % 4000].event_id as string);
    }
    const accepted = flat.reduce((n, r) => n + r.accepted, 0);
    const duplicates = flat.reduce((n, r) => n + r.duplicates, 0);
    expect(accepted).toBe(sent.size);
    expect(accepted + duplicates).toBe(clients * batches * 500);
    const [{ n, d }] = await svc.query<{ n: number; d: number }>(`SELECT count(*)::INT AS n, count(DISTINCT event_id)::INT AS d FROM events WHERE event_id LIKE 'conc-%'`);
    expect(n).toBe(sent.size);
    expect(d).toBe(sent.size);
  });
});
