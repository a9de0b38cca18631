import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvents, toArrow, toCsv, toNdjson } from '../helpers/events.ts';
import { startTestService } from '../helpers/service.ts';
import { serviceForTests } from '../helpers/service-hooks.ts';

const events = makeEvents(1000, 7);
const bodies: Record<string, { type: string; body: () => Uint8Array | string; gzip?: boolean }> = {
  ndjson: { type: 'application/x-ndjson', body: () => toNdjson(events) },
  json: { type: 'application/json', body: () => JSON.stringify(events) },
  csv: { type: 'text/csv', body: () => toCsv(events) },
  arrow: { type: 'application/vnd.apache.arrow.stream', body: () => toArrow(events) },
  'ndjson+gzip': { type: 'application/x-ndjson', body: () => gzipSync(toNdjson(events)), gzip: true },
};

const STORED = `SELECT * EXCLUDE (batch_id, occurred_at), strftime(occurred_at, '%Y-%m-%dT%H:%M:%SZ') AS at FROM events ORDER BY event_id`;

describe('each media type stores the same 1 000 events', () => {
  const stored: Record<string, unknown[]> = {};
  beforeAll(async () => {
    for (const [name, spec] of Object.entries(bodies)) {
      const svc = await startTestService();
      try {
        const res = await svc.call('/v1/events', {
          method: 'POST',
          body: spec.body() as BodyInit,
          headers: { 'content-type': spec.type, ...(spec.gzip ? { 'content-encoding': 'gzip' } : {}) },
        });
        const result = await res.json();
        expect(res.status, JSON.stringify(result).slice(0, 500)).toBe(200);
        expect(result, name).toMatchObject({ accepted: 1000, duplicates: 0, rejected: 0, errors: [] });
        stored[name] = await svc.query(STORED);
      } finally {
        await svc.stop();
      }
    }
  });
  afterAll(() => undefined);

  it('stores identical rows whatever the format', () => {
    expect(stored.ndjson).toHaveLength(1000);
    for (const name of Object.keys(bodies)) expect(stored[name], name).toEqual(stored.ndjson);
  });

  it('keeps typed values exactly (decimal money, dates, text with commas, quotes and newlines)', () => {
    const rows = stored.ndjson as Record<string, unknown>[];
    const src = new Map(events.map((e) => [e.event_id, e]));
    for (const row of rows) {
      const e = src.get(row.event_id as string)!;
      expect(row.type).toBe(e.type);
      expect(row.at).toBe(e.occurred_at);
      if (e.amount !== undefined) expect(Number(row.amount)).toBe(e.amount);
      if (e.due_date !== undefined) expect(row.due_date).toBe(e.due_date);
      if (e.reference !== undefined) expect(row.reference).toBe(e.reference);
      if (e.reason !== undefined) expect(row.reason).toBe(e.reason);
    }
  });
});

describe('mixed, duplicate and unknown-field batches', () => {
  const svc = serviceForTests();

  const post = async (body: string, type = 'application/x-ndjson') =>
    (await svc.call('/v1/events', { method: 'POST', body, headers: { 'content-type': type } })).json();

  it('stores valid rows and rejects each invalid row with the right code', async () => {
    const ok = makeEvents(20, 3, 'mix');
    const bad = [
      '{"event_id":"b1","type":"teleport","occurred_at":"2025-01-01T00:00:00Z","customer_id":"c"}',
      '{"event_id":"b2","type":"invoice_issued","occurred_at":"2025-01-01T00:00:00Z","customer_id":"c","amount":10,"due_date":"2025-01-31"}',
      '{"event_id":"b3","type":"survey_response","occurred_at":"2025-01-01T00:00:00Z","customer_id":"c","score":11}',
      '{"event_id":"b4","type":"contact","occurred_at":"2025-01-01 10:00","customer_id":"c","channel":"phone","topic":"fee"}',
      '{"event_id":"b5","type":"contact","occurred_at":"2099-01-01T00:00:00Z","customer_id":"c","channel":"phone","topic":"fee"}',
      '{"event_id":"b6","type":"contact","occurred_at":"2025-01-01T00:00:00Z","customer_id":"c","channel":"pigeon","topic":"fee"}',
      '{"event_id":"' + 'x'.repeat(129) + '","type":"offer_accepted","occurred_at":"2025-01-01T00:00:00Z","customer_id":"c","offer_id":"o"}',
      '{"event_id":"b8","type":"invoice_issued", "occurred_at":',
      '{"event_id":"b9","type":"invoice_issued","occurred_at":"2025-01-01T00:00:00Z","customer_id":"c","invoice_id":"i","amount":10,"due_date":"2025-02-30"}',
    ];
    const expected = ['unknown_type', 'missing_field', 'out_of_range', 'invalid_timestamp', 'future_timestamp', 'invalid_value', 'too_long', 'invalid_json', 'invalid_value'];
    const lines = [...ok.slice(0, 10).map((e) => JSON.stringify(e)), ...bad, ...ok.slice(10).map((e) => JSON.stringify(e))];
    const result = await post(lines.join('\n'));
    expect(result).toMatchObject({ accepted: 20, duplicates: 0, rejected: bad.length });
    expect(result.errors.map((e: { code: string }) => e.code)).toEqual(expected);
    expect(result.errors.map((e: { row: number }) => e.row)).toEqual(bad.map((_, i) => 11 + i));
    const rejected = await (await svc.call(`/v1/rejected?batch_id=${result.batch_id}`)).json();
    expect(rejected.total).toBe(bad.length);
    expect(rejected.rows.map((r: { raw: string }) => r.raw).sort()).toEqual([...bad].sort());
    const count = await svc.query<{ n: number }>(`SELECT count(*)::INT AS n FROM events WHERE event_id LIKE 'mix-%'`);
    expect(count[0].n).toBe(20);
  });

  it('numbers NDJSON lines exactly across CRLF, blank lines and a body cut at odd places', async () => {
    const good = makeEvents(600, 21, 'crlf');
    const lines: string[] = [];
    for (const [i, e] of good.entries()) {
      lines.push(JSON.stringify(e));
      if (i % 97 === 0) lines.push('');
      if (i % 151 === 0) lines.push(' \t ');
      if (i === 300) lines.push('   ' + JSON.stringify({ ...e, event_id: 'crlf-indented' }));
      if (i === 400) lines.push('{"event_id":"crlf-bad","type":"contact"');
    }
    const text = lines.join('\r\n') + '\r\n';
    const bytes = new TextEncoder().encode(text);
    // Sent in 1 000-byte pieces, so lines straddle the pieces the service reads.
    const body = new ReadableStream({
      start(c) {
        for (let i = 0; i < bytes.length; i += 1000) c.enqueue(bytes.subarray(i, i + 1000));
        c.close();
      },
    });
    const res = await svc.call('/v1/events', { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
    const result = await res.json();
    expect(result).toMatchObject({ accepted: 601, rejected: 1 });
    expect(result.errors).toEqual([{ row: lines.indexOf('{"event_id":"crlf-bad","type":"contact"') + 1, event_id: null, code: 'invalid_json', message: expect.any(String) }]);
    const rejected = await (await svc.call(`/v1/rejected?batch_id=${result.batch_id}`)).json();
    expect(rejected.rows[0].raw).toBe('{"event_id":"crlf-bad","type":"contact"'); // without the \r
    const [row] = await svc.query<{ n: number }>(`SELECT count(*)::INT AS n FROM events WHERE event_id LIKE 'crlf-%'`);
    expect(row.n).toBe(601);
  });

  it('stores a resent batch once and a duplicate inside one batch once', async () => {
    const batch = makeEvents(50, 11, 'dup');
    const body = toNdjson([...batch, batch[0], batch[1]]);
    const first = await post(body);
    expect(first).toMatchObject({ accepted: 50, duplicates: 2, rejected: 0 });
    const again = await post(body);
    expect(again).toMatchObject({ accepted: 0, duplicates: 52, rejected: 0 });
    const n = await svc.query<{ n: number }>(`SELECT count(*)::INT AS n FROM events WHERE event_id LIKE 'dup-%'`);
    expect(n[0].n).toBe(50);
  });

  it('keeps unknown fields (and fields of other types) in extra', async () => {
    const e = { event_id: 'extra-1', type: 'contact', occurred_at: '2025-03-01T10:00:00+01:00', customer_id: 'c1', channel: 'chat', topic: 'fee', agent: { id: 7, team: 'billing' }, method: 'swish' };
    const r = await post(JSON.stringify(e), 'application/json');
    expect(r).toMatchObject({ accepted: 1 });
    const [row] = await svc.query<{ extra: string; method: string | null; at: string }>(
      `SELECT extra, method, strftime(occurred_at, '%Y-%m-%dT%H:%M:%SZ') AS at FROM events WHERE event_id = 'extra-1'`,
    );
    expect(JSON.parse(row.extra)).toEqual({ agent: { id: 7, team: 'billing' }, method: 'swish' });
    expect(row.method).toBeNull();
    expect(row.at).toBe('2025-03-01T09:00:00Z');
  });

  it('judges Arrow columns like any other row: codes, raw rendering, extra and typed timestamps', async () => {
    const { Float64, Int32, Table, TimestampMillisecond, Utf8, tableToIPC, vectorFromArray } = await import('apache-arrow');
    const rows = [
      { event_id: 'arw-1', type: 'contact', at: Date.UTC(2025, 2, 1, 9), customer_id: 'c1', channel: 'chat', topic: 'fee', amount: 5, agent: 7 },
      { event_id: 'arw-2', type: 'survey_response', at: Date.UTC(2025, 2, 1, 9), customer_id: 'c1', score: 11 },
      { event_id: 'arw-3', type: 'payment_unmatched', at: Date.UTC(2025, 2, 1, 9), customer_id: 'c1', amount: Number.NaN },
      { event_id: 'arw-4', type: 'teleport', at: Date.UTC(2025, 2, 1, 9), customer_id: 'c1' },
      { event_id: 'arw-5', type: 'survey_response', at: Date.UTC(2025, 2, 1, 9), customer_id: null, score: 7 },
      { event_id: 'arw-6', type: 'survey_response', at: Date.UTC(2025, 2, 2, 9, 30), customer_id: 'c2', score: 7.5 },
    ];
    const col = <T,>(f: (r: (typeof rows)[number]) => T) => rows.map((r) => (f(r) === undefined ? null : f(r)));
    const table = new Table({
      event_id: vectorFromArray(col((r) => r.event_id), new Utf8()),
      type: vectorFromArray(col((r) => r.type), new Utf8()),
      occurred_at: vectorFromArray(col((r) => r.at), new TimestampMillisecond()),
      customer_id: vectorFromArray(col((r) => r.customer_id), new Utf8()),
      channel: vectorFromArray(col((r) => (r as { channel?: string }).channel), new Utf8()),
      topic: vectorFromArray(col((r) => (r as { topic?: string }).topic), new Utf8()),
      amount: vectorFromArray(col((r) => (r as { amount?: number }).amount), new Float64()),
      score: vectorFromArray(col((r) => (r as { score?: number }).score), new Float64()),
      agent: vectorFromArray(col((r) => (r as { agent?: number }).agent), new Int32()),
    });
    const res = await svc.call('/v1/events', { method: 'POST', body: tableToIPC(table, 'stream') as BodyInit, headers: { 'content-type': 'application/vnd.apache.arrow.stream' } });
    const result = await res.json();
    expect(result).toMatchObject({ accepted: 2, rejected: 4 });
    expect(result.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [2, 'out_of_range'],
      [3, 'out_of_range'],
      [4, 'unknown_type'],
      [5, 'missing_field'],
    ]);
    const rejected = await (await svc.call(`/v1/rejected?batch_id=${result.batch_id}`)).json();
    const raw = Object.fromEntries(rejected.rows.map((r: { row: number; raw: string }) => [r.row, JSON.parse(r.raw)]));
    expect(raw[2]).toEqual({ event_id: 'arw-2', type: 'survey_response', occurred_at: '2025-03-01T09:00:00.000Z', customer_id: 'c1', score: '11' });
    expect(raw[3].amount).toBe('NaN');
    const stored = await svc.query<{ event_id: string; extra: string | null; amount: number | null; score: number | null; at: string }>(
      `SELECT event_id, extra, amount::DOUBLE AS amount, score, strftime(occurred_at, '%Y-%m-%dT%H:%M:%SZ') AS at FROM events WHERE event_id LIKE 'arw-%' ORDER BY event_id`,
    );
    expect(stored).toEqual([
      // amount is not a contact field: kept in extra (as its text, like a CSV cell); agent is unknown: kept with its Arrow value.
      { event_id: 'arw-1', extra: expect.any(String), amount: null, score: null, at: '2025-03-01T09:00:00Z' },
      { event_id: 'arw-6', extra: null, amount: null, score: 7.5, at: '2025-03-02T09:30:00Z' },
    ]);
    expect(JSON.parse(stored[0].extra!)).toEqual({ amount: '5', agent: 7 });
  });

  it('stores Arrow cells holding the packing control bytes, and dictionary columns, exactly', async () => {
    const { Dictionary, Float64, Int32, Table, Utf8, tableToIPC, vectorFromArray } = await import('apache-arrow');
    const refs = ['a\u001fb', '\u001e', 'plain', 'Ünïcødé ✓'];
    const table = new Table({
      event_id: vectorFromArray(refs.map((_, i) => `ctl-${i}`), new Utf8()),
      type: vectorFromArray(refs.map(() => 'payment_unmatched'), new Dictionary(new Utf8(), new Int32())),
      occurred_at: vectorFromArray(refs.map(() => '2025-04-01T00:00:00Z'), new Utf8()),
      customer_id: vectorFromArray(refs.map(() => 'c9'), new Utf8()),
      amount: vectorFromArray(refs.map((_, i) => i + 0.25), new Float64()),
      reference: vectorFromArray(refs, new Utf8()),
    });
    const res = await svc.call('/v1/events', { method: 'POST', body: tableToIPC(table, 'stream') as BodyInit, headers: { 'content-type': 'application/vnd.apache.arrow.stream' } });
    expect(await res.json()).toMatchObject({ accepted: 4, rejected: 0 });
    const stored = await svc.query<{ reference: string; amount: number; type: string }>(
      `SELECT reference, amount::DOUBLE AS amount, type FROM events WHERE event_id LIKE 'ctl-%' ORDER BY event_id`,
    );
    expect(stored).toEqual(refs.map((reference, i) => ({ reference, amount: i + 0.25, type: 'payment_unmatched' })));
  });

  it('answers 415, 400 and 413 as documented', async () => {
    const r415 = await svc.call('/v1/events', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(r415.status).toBe(415);
    expect((await r415.json()).error.code).toBe('unsupported_media_type');
    const r400 = await svc.call('/v1/events', { method: 'POST', body: '[{"a":1}, {"b":', headers: { 'content-type': 'application/json' } });
    expect(r400.status).toBe(400);
    const body400 = await r400.json();
    expect(body400.error.code).toBe('unparseable_body');
    expect(body400.error.details.byte).toBe(15);
    const small = await startTestService({ MAX_BODY_SIZE: '1KiB' });
    try {
      const big = toNdjson(makeEvents(100, 2));
      const r413 = await small.call('/v1/events', { method: 'POST', body: big, headers: { 'content-type': 'application/x-ndjson' } });
      expect(r413.status).toBe(413);
      // Streamed without a length: still cut off at the limit.
      const stream = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(big)); c.close(); } });
      const r413b = await small.call('/v1/events', { method: 'POST', body: stream, headers: { 'content-type': 'application/x-ndjson' } });
      expect(r413b.status).toBe(413);
      // A gzip bomb: small on the wire, over the limit once inflated.
      const bomb = gzipSync(Buffer.alloc(64 * 1024, 0x20));
      const r413c = await small.call('/v1/events', { method: 'POST', body: bomb, headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' } });
      expect(r413c.status).toBe(413);
      expect(await small.query(`SELECT count(*)::INT AS n FROM events`)).toEqual([{ n: 0 }]);
    } finally {
      await small.stop();
    }
  });
});
