/**
 * Sends a sample straight to a running Invoice Pulse instance instead of writing files: NDJSON in
 * batches of whole lines to POST {base}/v1/events, one request at a time so the server's
 * durability guarantee (it answers only once data is stored) paces the sender. Batches are
 * 250 000 lines by default, the fastest size measured for a bulk load (whole DuckDB row groups;
 * see the README's request-size table). A 503 (the writer is behind) is retried after its
 * Retry-After: resending is safe, since an event_id is stored once. The per-batch answers
 * { accepted, duplicates, rejected } are summed; any other non-2xx answer stops the run.
 */
import { SampleRun } from './generate.ts';
import type { SampleOptions } from './types.ts';

export interface PostOptions extends SampleOptions {
  baseUrl: string;
  token?: string;
  batchLines?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface PostResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  batches: number;
  lines: number;
}

export async function postSample(opts: PostOptions): Promise<PostResult> {
  const url = new URL('v1/events', opts.baseUrl.endsWith('/') ? opts.baseUrl : opts.baseUrl + '/');
  const batchLines = opts.batchLines ?? 250_000;
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const total: PostResult = { accepted: 0, duplicates: 0, rejected: 0, batches: 0, lines: 0 };
  const run = new SampleRun(opts);
  let parts: Buffer[] = [];
  let count = 0;

  const send = async () => {
    if (count === 0) return;
    const body = Buffer.concat(parts);
    parts = [];
    const lines = count;
    count = 0;
    let res = await fetch(url, { method: 'POST', headers, body });
    for (let tries = 1; res.status === 503 && tries < 20; tries++) {
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 1000 * Math.min(30, Number(res.headers.get('retry-after')) || 1)));
      res = await fetch(url, { method: 'POST', headers, body });
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${url} → ${res.status}: ${text.slice(0, 500)}`);
    const r = JSON.parse(text) as { accepted?: number; duplicates?: number; rejected?: number };
    total.accepted += r.accepted ?? 0;
    total.duplicates += r.duplicates ?? 0;
    total.rejected += r.rejected ?? 0;
    total.batches++;
    total.lines += lines;
  };

  for (const chunk of run.chunks()) {
    let start = 0;
    while (start < chunk.length) {
      // Take whole lines up to the batch size from this chunk.
      let end = start;
      while (end < chunk.length && count < batchLines) {
        const nl = chunk.indexOf(10, end);
        end = nl < 0 ? chunk.length : nl + 1;
        count++;
      }
      parts.push(chunk.subarray(start, end));
      start = end;
      if (count >= batchLines) await send();
    }
    opts.onProgress?.(run.eventsSoFar, Math.max(run.eventsSoFar, Math.round((run.eventsSoFar * run.stepsTotal) / Math.max(1, run.stepsDone))));
  }
  await send();
  return total;
}
