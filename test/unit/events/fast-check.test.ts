/**
 * The live path's pre-check against the validation SQL, on a real DuckDB: every row fast-check
 * accepts must be one the SQL accepts without `extra`, and the typed columns appendTypedRows writes
 * must equal, column by column, the ones the SQL produces. The corpus mixes ordinary events of
 * every type with the forms where two implementations would drift apart: numbers as text and in
 * exponent form, decimals on a rounding edge, calendar-invalid dates, offsets, fractions, leap
 * seconds, far past and future, nulls, empty strings, unknown and repeated keys, non-objects.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_COLUMN_NAMES } from '../../../service/events/ingest.ts';
import { appendTypedRows, decimal4, fastCheck } from '../../../service/events/fast-check.ts';
import { migrate } from '../../../service/db/migrations.ts';
import { Database } from '../../../service/db/database.ts';
import { validationSql } from '../../../service/events/validation-sql.ts';
import { makeEvents } from '../../helpers/events.ts';

const NOW = Date.parse('2026-06-15T12:00:00Z');

/** Ordinary generated events first: more than one 2 048-row data chunk, so appendTypedRows crosses a chunk boundary. */
const ORDINARY = 2_500;

function corpus(): string[] {
  const rows: string[] = makeEvents(ORDINARY, 11, 'fc').map((e) => JSON.stringify(e));
  const base = { event_id: 'x', type: 'invoice_issued', occurred_at: '2026-01-01T10:00:00Z', customer_id: 'c1', invoice_id: 'i1', amount: 12.5, due_date: '2026-02-01' };
  const variants: Record<string, unknown>[] = [];
  const amounts = [0, 12.5, '12.50', '0.00005', '0.00015', 0.00005, '12.34565', 5e-5, 1e-7, '1e3', 1e3, '1.5E2', 999999999.99995, '1000000000', 1e9, '007', '-0', -0, '12.', '.5', ' 12', '12 ', 'NaN', 'Infinity', true, null, '', [1], { a: 1 }, 1e21, '0.1', 0.1 + 0.2, 123456.78901234567, '1e-400'];
  for (const amount of amounts) variants.push({ ...base, amount });
  const stamps = [
    '2026-01-01T10:00:00Z', '2026-01-01t10:00:00z', '2026-01-01 10:00:00Z', '2026-01-01T10:00:00.123456Z', '2026-01-01T10:00:00.1234567Z', '2026-01-01T10:00:00.5+02:00',
    '2026-01-01T10:00:00+14:00', '2026-01-01T10:00:00+14:30', '2026-01-01T10:00:00-12:00', '2026-01-01T10:00:00+99:99', '2026-01-01T10:00:60Z', '2026-02-30T10:00:00Z',
    '2026-06-16T11:59:59Z', '2026-06-16T12:00:00.000001Z', '2026-06-17T00:00:00Z', '1969-12-31T23:59:59Z', '1970-01-01T00:00:00+01:00', '1970-01-01T00:00:00Z', '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z', '2026-01-01T10:00Z', '2026-01-01', 20260101, '',
  ];
  for (const occurred_at of stamps) variants.push({ ...base, occurred_at });
  for (const due_date of ['2026-02-29', '2028-02-29', '2026-13-01', '2026-1-01', '1969-12-31', '2100-12-31', '2101-01-01', '2036-06-01', '2036-07-01', '', 20260201]) variants.push({ ...base, due_date });
  for (const event_id of ['[x]', '{y}', '[', '', 'a'.repeat(128), 'a'.repeat(129), 'é'.repeat(128), 42, 'x y', "it's"]) variants.push({ ...base, event_id });
  variants.push({ ...base, channel: 'paper' }, { ...base, channel: 'PAPER' }, { ...base, channel: null }, { ...base, currency: 'SEK' }, { ...base, currency: 'sek' });
  variants.push({ ...base, extra_field: 1 }, { ...base, reason: 'price' }, { ...base, invoice_id: 7 }, { ...base, invoice_id: null }, { ...base, type: 'nope' });
  // Extra fields: plain ones the fast path renders itself (and must render as the SQL does), and
  // every kind it must leave to the SQL; `reason`/`topic` are other types' payload columns.
  const extras: Record<string, unknown>[] = [
    { source_id: 'crm-42' }, { region: 'north', batch_no: 7, flagged: true, retried: false }, { big: 9007199254740991 }, { neg: -3 }, { zero: 0 }, { a_b: 'x y-z.', 'c.d': '' },
    { topic: 'fee', reason: 'price' }, { source_id: 'x', reason: 'price' }, { text: "it's ~/ok" },
    { n: null }, { f: 1.5 }, { e: 1e21 }, { m: -0 }, { unsafe: 9007199254740993 }, { q: 'say "hi"' }, { bs: 'a\\b' }, { nl: 'a\nb' }, { u: 'é' }, { obj: { a: 1 } }, { arr: [1, 2] },
    { '1': 'numeric key' }, { 'sp ace': 'x' }, { 'a/b': 'x' }, { 'a~b': 'x' }, { ['k'.repeat(65)]: 'long key' }, { long: 'v'.repeat(257) },
  ];
  for (const extra of extras) variants.push({ ...base, ...extra });
  for (const extra of extras.slice(0, 9)) variants.push({ event_id: 'y', occurred_at: '2026-01-01T10:00:00Z', customer_id: 'c1', type: 'contact', channel: 'phone', topic: 'invoice', ...extra });
  for (const [type, fields] of [
    ['customer_updated', { birth_year: '1980' }], ['customer_updated', { birth_year: 1980.5 }], ['customer_updated', { birth_year: '1980.0' }], ['customer_updated', { birth_year: 1e3 }],
    ['customer_updated', { satisfaction: 5, market: 'SE', vertical: 'energy' }], ['customer_updated', { satisfaction: 6 }], ['customer_updated', { market: 'se' }],
    ['contact', { channel: 'phone', topic: 'fee', wait_seconds: '12.25', handle_seconds: 1e-3 }], ['contact', { channel: 'phone', topic: 'fee', wait_seconds: 604800 }], ['contact', { channel: 'phone', topic: 'fee', wait_seconds: 604800.5 }],
    ['usage_reported', { period_start: '2026-01-01', used: 1e12, included: '0' }], ['survey_response', { score: '7.5' }], ['subscription_started', { plan: 'p', monthly_price: '99.99', binding_months: 24 }],
    ['subscription_cancelled', {}], ['offer_accepted', { offer_id: 'o1' }], ['payment_failed', { method: 'card', reason: '' }],
  ] as const) variants.push({ event_id: 'y', occurred_at: '2026-01-01T10:00:00Z', customer_id: 'c1', type, ...fields });
  variants.forEach((v, i) => rows.push(JSON.stringify({ ...v, event_id: typeof v.event_id === 'string' && v.event_id !== 'x' && v.event_id !== 'y' ? v.event_id : `v${i}` })));
  rows.push(
    '{"event_id":"d1","event_id":"d2","type":"offer_accepted","occurred_at":"2026-01-01T10:00:00Z","customer_id":"c1","offer_id":"o"}',
    '{"event_id":"s1","type":"offer_accepted","occurred_at":"2026-01-01T10:00:00Z","customer_id":"c1","offer_id":"a:b","x":{"k":":"}}',
    ' {"event_id":"s2","type":"offer_accepted","occurred_at":"2026-01-01T10:00:00Z","customer_id":"c1","offer_id":"o"}',
    '{"event_id":"s3","type":"offer_accepted","occurred_at":"2026-01-01T10:00:00Z","customer_id":"c1","offer_id":"o"}\r',
    '{"event_id":"s4","type":"offer_accepted","occurred_at":"2026-01-01T10:00:00Z","customer_id":"c\\u0031","offer_id":"\\"q\\":"}',
    '[1,2]', '"text"', '{', 'null', '{}',
  );
  return rows;
}

let db: Database;
let c: DuckDBConnection;

beforeAll(async () => {
  db = await Database.open({ path: ':memory:' });
  await migrate(db);
  c = await db.dedicatedConnection();
});
afterAll(() => db.close());

describe('fast-check accepts only what the validation SQL accepts, and converts to its exact values', () => {
  it('agrees with the SQL on every row of the corpus', async () => {
    const rows = corpus();
    await c.run(`CREATE TEMP TABLE staged (rn INTEGER, doc VARCHAR, raw VARCHAR, pre_code VARCHAR, pre_message VARCHAR)`);
    const staged = await c.createAppender('staged', 'main', 'temp');
    rows.forEach((doc, i) => {
      staged.appendInteger(i + 1);
      staged.appendVarchar(doc);
      staged.appendNull();
      staged.appendNull();
      staged.appendNull();
      staged.endRow();
    });
    staged.closeSync();
    await c.run(`CREATE TEMP TABLE validated AS ${validationSql({ kind: 'documents' })}`, { now: new Date(NOW).toISOString() });
    const columns = EVENT_COLUMN_NAMES.map((n) => `"${n}"`).join(', ');
    await c.run(`CREATE TEMP TABLE typed AS SELECT ${columns}, 0::INTEGER AS seq, 0::INTEGER AS gen FROM events LIMIT 0`);
    const typed = await c.createAppender('typed', 'main', 'temp');
    const fast = rows.map((doc) => fastCheck(doc, NOW));
    const accepted = fast.filter((f) => f !== null).length;
    const seqs = fast.flatMap((f, i) => (f ? [i + 1] : []));
    appendTypedRows(typed, fast.filter((f) => f !== null), seqs, seqs.map(() => 1));
    typed.closeSync();

    // No accepted row is rejected by the SQL (its extra fields are compared with the other columns below).
    const disagreements = (
      await c.runAndReadAll(`SELECT t.seq, v.code, v.message FROM typed t JOIN validated v ON v.rn = t.seq WHERE v.code IS NOT NULL`)
    ).getRowObjectsJson();
    expect(disagreements.map((d) => ({ ...d, row: rows[Number(d.seq) - 1] }))).toEqual([]);
    // Every typed value equals the SQL's, column by column (IS DISTINCT FROM: nulls compare equal).
    const differing = (
      await c.runAndReadAll(
        `SELECT t.seq, ${EVENT_COLUMN_NAMES.map((n) => `t."${n}" IS DISTINCT FROM v."${n}" AS "${n}"`).join(', ')} FROM typed t JOIN validated v ON v.rn = t.seq`,
      )
    ).getRowObjectsJson();
    const diffs = differing.flatMap((r) => EVENT_COLUMN_NAMES.filter((n) => r[n]).map((n) => `row ${rows[Number(r.seq) - 1]}: ${n}`));
    expect(diffs).toEqual([]);
    expect(differing.length).toBe(accepted);

    // Not vacuous: every ordinary generated event takes the fast path, and many variants are judged by the SQL.
    const fastOrdinary = rows.slice(0, ORDINARY).filter((doc) => fastCheck(doc, NOW)).length;
    expect(fastOrdinary).toBe(ORDINARY);
    const sqlValid = Number((await c.runAndReadAll(`SELECT count(*) AS n FROM validated WHERE code IS NULL`)).getRowObjects()[0].n);
    expect(accepted).toBeLessThan(sqlValid);
    expect(rows.length - accepted).toBeGreaterThan(60);
    // Not vacuous for extra fields either: the plain ones take the fast path with their extra object.
    const withExtra = Number((await c.runAndReadAll(`SELECT count(*) AS n FROM typed WHERE extra IS NOT NULL`)).getRowObjects()[0].n);
    expect(withExtra).toBeGreaterThanOrEqual(14);
  });

  it('rounds decimals at the fourth place half away from zero, like DuckDB', async () => {
    const texts = ['0', '12.5', '0.00005', '0.00004999', '0.00015', '12.34565', '1e3', '1.5E2', '5e-05', '1e-7', '999999999.99995', '0.30000000000000004', '123456.78901234567'];
    const expected = (await c.runAndReadAll(`SELECT ${texts.map((t, i) => `CAST('${t}' AS DECIMAL(18,4))::VARCHAR AS c${i}`).join(', ')}`)).getRowObjectsJson()[0];
    const format = (v: bigint) => `${v / 10000n}.${String(v % 10000n).padStart(4, '0')}`;
    expect(texts.map((t) => format(decimal4(t)))).toEqual(texts.map((_, i) => expected[`c${i}`]));
  });
});

describe('fast-check on its own', () => {
  it('refuses rows DuckDB and JavaScript would read differently', () => {
    const ok = { event_id: 'e', type: 'offer_accepted', occurred_at: '2026-01-01T10:00:00Z', customer_id: 'c', offer_id: 'o' };
    expect(fastCheck(JSON.stringify(ok), NOW)?.eventId).toBe('e');
    // A repeated key: JSON.parse keeps the last, json_transform the first.
    expect(fastCheck('{"event_id":"a","event_id":"b","type":"offer_accepted","occurred_at":"2026-01-01T10:00:00Z","customer_id":"c","offer_id":"o"}', NOW)).toBeNull();
    expect(fastCheck(JSON.stringify({ ...ok, occurred_at: '2026-06-16T12:00:00.000001Z' }), NOW)).toBeNull();
    expect(fastCheck(JSON.stringify({ ...ok, occurred_at: '2026-06-16T12:00:00Z' }), NOW)?.eventId).toBe('e');
    expect(fastCheck(JSON.stringify({ ...ok, unknown: 1 }), NOW)?.extra).toBe('{"unknown":1}');
    expect(fastCheck(JSON.stringify({ ...ok, unknown: 1.5 }), NOW)).toBeNull();
    expect(fastCheck(JSON.stringify({ ...ok, unknown: { a: 1 } }), NOW)).toBeNull();
  });

  it('counts members past escaped quotes and backslashes in strings', () => {
    const ok = { event_id: 'e', type: 'offer_accepted', occurred_at: '2026-01-01T10:00:00Z', customer_id: 'c', offer_id: 'o' };
    // A string ending in an escaped quote, one ending in an escaped backslash, colons and braces inside.
    for (const customer_id of ['c\\":{x:1}', 'c\\\\', 'a:b,"c":{', '\\\\\\"']) {
      expect(fastCheck(JSON.stringify({ ...ok, customer_id }), NOW)?.fields.customer_id).toBe(customer_id);
      // ... and a repeated key after such a string is still seen.
      const repeated = JSON.stringify({ ...ok, customer_id }).replace('"offer_id":"o"', '"offer_id":"o","offer_id":"p"');
      expect(fastCheck(repeated, NOW)).toBeNull();
    }
  });
});
