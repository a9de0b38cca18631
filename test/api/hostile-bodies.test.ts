/**
 * The hostile bodies of the hardening review against the service as a separate process, whose
 * peak RSS is read from /proc: forged Arrow metadata answers 400 within a second, and endless
 * lines, huge records and gzip bombs cost linear time and bounded memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildService, type ChildService } from '../helpers/child-service.ts';
import * as hostile from '../helpers/hostile-bodies.ts';
import { tempDir } from '../helpers/service.ts';

/** Peak RSS budget of the whole service process through this file's requests. */
const RSS_BUDGET_MIB = 400; // measured: 185 MiB at start, 250 MiB peak after the 32 MiB rows

describe('hostile bodies: bounded time and memory', () => {
  let svc: ChildService;
  beforeAll(async () => {
    svc = await startChildService({ DATA_DIR: tempDir(), DUCKDB_THREADS: '1', DUCKDB_MEMORY_LIMIT: '256MB' });
  }, 60_000);
  afterAll(() => svc?.kill());

  const post = async (body: BodyInit | Uint8Array, type: string, headers: Record<string, string> = {}) => {
    const t0 = performance.now();
    const res = await fetch(`${svc.url}/v1/events`, { method: "POST", body: body as BodyInit, headers: { "content-type": type, ...headers } });
    const json = await res.json();
    return { status: res.status, json, ms: performance.now() - t0 };
  };

  const forged: [string, () => Uint8Array][] = [
    ['an end offset 2 GiB past the body', hostile.arrowEndOffsetPastBody],
    ['offsets that are not increasing (a 256 MiB cell)', hostile.arrowOffsetsNotIncreasing],
    ['a negative offset', hostile.arrowNegativeOffset],
    ['a forged row count of 2^31 − 1', hostile.arrowForgedRowCount],
    ['a stream cut mid-batch', hostile.arrowTruncated],
  ];
  for (const [what, body] of forged) {
    it(`Arrow with ${what}: 400 unparseable_body in under a second, no JS internals`, async () => {
      const r = await post(body(), 'application/vnd.apache.arrow.stream');
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe('unparseable_body');
      expect(r.json.error.message).toMatch(/^the (Arrow stream|body)/);
      expect(r.json.error.message).not.toMatch(/undefined|Cannot read|TypeError|RangeError|at .*\.js/);
      expect(r.ms).toBeLessThan(1000);
      expect(svc.peakRssMiB()).toBeLessThan(RSS_BUDGET_MIB);
    });
  }

  const huge = 32 * 1024 * 1024;
  const long: [string, () => Uint8Array, string, number][] = [
    ['an NDJSON line of 32 MiB NUL bytes', () => hostile.endlessLine(huge), 'application/x-ndjson', 1],
    ['a CSV record of 32 MiB', () => hostile.csvWithHugeRecord(huge), 'text/csv', 1],
    ['a JSON array element of 32 MiB', () => hostile.jsonArrayWithHugeElement(huge), 'application/json', 1],
  ];
  for (const [what, body, type, row] of long) {
    it(`${what}: the row is rejected as row_too_large with a 1 KiB prefix and its length, in linear time`, async () => {
      const bytes = body();
      const r = await post(bytes, type);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ accepted: 0, rejected: 1 });
      expect(r.json.errors[0]).toMatchObject({ row, code: 'row_too_large' });
      expect(r.json.errors[0].message).toMatch(/is \d+ bytes, over the limit of 1048576 \(MAX_ROW_BYTES\)/);
      expect(r.ms).toBeLessThan(8000);
      const page = await (await fetch(`${svc.url}/v1/rejected?batch_id=${r.json.batch_id}`)).json();
      expect(page.rows[0].raw_length).toBeLessThanOrEqual(1024);
      expect(svc.peakRssMiB()).toBeLessThan(RSS_BUDGET_MIB);
    }, 30_000);
  }

  it('an endless gzipped line of NUL bytes (one pinned a core for 16 minutes): row_too_large at once, health answers meanwhile', async () => {
    const gz = hostile.gzipBomb(1024 * 1024 + 1000); // just over MAX_ROW_BYTES, within the first 4 MiB that may inflate freely
    const pending = post(gz, 'application/x-ndjson', { 'content-encoding': 'gzip' });
    const health = await fetch(`${svc.url}/v1/health`);
    expect(health.status).toBe(200);
    const r = await pending;
    expect(r.status).toBe(200);
    expect(r.json.errors[0]).toMatchObject({ row: 1, code: 'row_too_large' });
    expect(r.ms).toBeLessThan(3000);
  });

  it('a gzip bomb (256 MiB of zeros in 255 KB) stops at MAX_GZIP_RATIO with 413 gzip_ratio_exceeded', async () => {
    const r = await post(hostile.gzipBomb(256 * 1024 * 1024), 'application/x-ndjson', { 'content-encoding': 'gzip' });
    expect(r.status).toBe(413);
    expect(r.json.error).toMatchObject({ code: 'gzip_ratio_exceeded', details: { max_ratio: 200 } });
    expect(r.ms).toBeLessThan(3000);
    expect(svc.peakRssMiB()).toBeLessThan(RSS_BUDGET_MIB);
  });

  it('three requests of 20 × 10 MB junk lines leave /v1/rejected answering a bounded page', async () => {
    const line = Buffer.alloc(10 * 1024 * 1024, 0x7a);
    const body = Buffer.concat(Array.from({ length: 20 }, () => [line, Buffer.from('\n')]).flat());
    for (let i = 0; i < 3; i++) {
      const r = await post(body, 'application/x-ndjson');
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ rejected: 20 });
    }
    const res = await fetch(`${svc.url}/v1/rejected?limit=1000&code=row_too_large`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text).total).toBeGreaterThanOrEqual(60);
    expect(text.length).toBeLessThan(2 * 1024 * 1024);
    expect(svc.peakRssMiB()).toBeLessThan(RSS_BUDGET_MIB);
  }, 60_000);
});
