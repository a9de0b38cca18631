import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNdjsonChunks, postSample } from '../../../sample-data/index.ts';

// A stand-in for the ingestion endpoint: counts lines and answers like the real one would.
const received: { lines: number; auth: string | undefined; type: string | undefined }[] = [];
let body = '';
const server = createServer(async (req: IncomingMessage, res) => {
  const parts: Buffer[] = [];
  for await (const p of req) parts.push(p as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  if (req.method !== 'POST' || req.url !== '/v1/events') {
    res.writeHead(404).end();
    return;
  }
  body += text;
  const lines = text.split('\n').filter(Boolean).length;
  received.push({ lines, auth: req.headers.authorization, type: req.headers['content-type'] });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ accepted: lines - 1, duplicates: 1, rejected: 0, errors: [] }));
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('sample-data --to', () => {
  it('posts the NDJSON in batches of whole lines and sums the answers', async () => {
    const opts = { size: 150, seed: 9, dirt: true } as const;
    const r = await postSample({ ...opts, baseUrl: base + '/', token: 'secret', batchLines: 2_000 });
    const expected = [...generateNdjsonChunks(opts)].join('');
    expect(body).toBe(expected);
    const lines = expected.split('\n').length - 1;
    expect(r.lines).toBe(lines);
    expect(r.batches).toBe(Math.ceil(lines / 2_000));
    expect(received.every((x) => x.lines <= 2_000 && x.auth === 'Bearer secret' && x.type === 'application/x-ndjson')).toBe(true);
    expect(r).toMatchObject({ accepted: lines - r.batches, duplicates: r.batches, rejected: 0 });
  });

  it('stops on an error answer', async () => {
    await expect(postSample({ size: 10, seed: 1, baseUrl: base + '/nowhere' })).rejects.toThrow(/404/);
  });
});
