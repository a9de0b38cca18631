/**
 * Issue 17: a rejected row keeps at most the first 1 024 characters of its raw text, whatever its
 * code, and its original length in bytes (`raw_bytes`, migration 8), on the live path and the bulk
 * path alike, shown by GET /v1/rejected. A row over MAX_ROW_BYTES (here 4 096) keeps its first
 * 1 024 bytes and the length its reader measured.
 */
import { describe, expect, it } from 'vitest';
import { serviceForTests } from '../helpers/service-hooks.ts';

const svc = serviceForTests({ MAX_ROW_BYTES: '4096' });

const body = ['x'.repeat(3000), 'é'.repeat(1500), 'still not json', 'y'.repeat(5000)].join('\n') + '\n';

async function ingest(text: string): Promise<{ batch_id: number; rejected: number }> {
  const res = await svc.call('/v1/events', { method: 'POST', body: text, headers: { 'content-type': 'application/x-ndjson' } });
  expect(res.status).toBe(200);
  return res.json();
}

describe('rejected rows keep a prefix and the original length', () => {
  for (const [path, text] of [
    ['live', body],
    ['bulk', body + '\n'.repeat(1_100_000)], // past INGEST_LIVE_MAX_BYTES
  ] as const) {
    it(`${path} path: exact prefixes and byte lengths`, async () => {
      const answer = await ingest(text);
      expect(answer.rejected).toBe(4);
      const page = await (await svc.call(`/v1/rejected?batch_id=${answer.batch_id}`)).json();
      const rows = page.rows.map((r: Record<string, unknown>) => ({ row: r.row, code: r.code, raw: r.raw, raw_length: r.raw_length, raw_bytes: r.raw_bytes, raw_truncated: r.raw_truncated }));
      expect(rows).toEqual([
        { row: 1, code: 'invalid_json', raw: 'x'.repeat(1024), raw_length: 1024, raw_bytes: 3000, raw_truncated: true },
        { row: 2, code: 'invalid_json', raw: 'é'.repeat(1024), raw_length: 1024, raw_bytes: 3000, raw_truncated: true },
        { row: 3, code: 'invalid_json', raw: 'still not json', raw_length: 14, raw_bytes: 14, raw_truncated: false },
        { row: 4, code: 'row_too_large', raw: 'y'.repeat(1024), raw_length: 1024, raw_bytes: 5000, raw_truncated: true },
      ]);
      const stored = await svc.query<{ n: number; longest: number }>(`SELECT count(*)::INT AS n, max(strlen(raw))::INT AS longest FROM rejected_rows WHERE batch_id = $b`, { b: answer.batch_id });
      expect(stored).toEqual([{ n: 4, longest: 2048 }]); // 1 024 two-byte characters
    });
  }
});
