/**
 * Every analytical answer says which data it reflects. Before the handler runs, the request
 * passes the staleness gate (FactsUpkeep.readable(): answer from the published snapshot while it
 * is within ANALYSIS_MAX_LAG of the newest batch, wait for the catch-up beyond that), then the
 * snapshot is read, so the answer reflects at least that batch (a catch-up that publishes while the
 * handler runs can only make it newer). A JSON object answer gets `data_as_of` ({ batch_id,
 * committed_at }) and `lag_seconds` as its first fields; every answer, CSV and Arrow included,
 * gets them as headers (`X-Data-Batch`, `X-Data-As-Of`, `X-Lag-Seconds`). The fields are added
 * outside the result cache, so a cached answer is stamped with the snapshot it was computed from
 * and the lag of the moment it is served. Domain code that serves state of an older snapshot says
 * so (analytics/reflected.ts), and the answer is stamped with that one.
 */
import type { MiddlewareHandler } from 'hono';
import { reflecting } from '../analytics/reflected.ts';
import type { Engine } from '../analytics/runner.ts';

export function freshness(engine: Engine): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    // The snapshot the gate judged: what the answer reflects at least, and its lag at that moment.
    const published = await engine.upkeep.readable();
    const { batchId } = await reflecting(published.batch_id, next);
    // A part of the answer came from an older snapshot (served while its successor is built).
    const snapshot = batchId === published.batch_id ? published : (engine.upkeep.judgedSnapshot(batchId) ?? (await engine.upkeep.snapshotOf(batchId)));
    c.header('X-Data-Batch', String(snapshot.batch_id));
    if (snapshot.committed_at) c.header('X-Data-As-Of', snapshot.committed_at);
    c.header('X-Lag-Seconds', String(snapshot.lag_seconds));
    if (c.res.status !== 200 || !(c.res.headers.get('content-type') ?? '').startsWith('application/json')) return;
    const text = await c.res.text();
    const stamp = `"data_as_of":${JSON.stringify({ batch_id: snapshot.batch_id, committed_at: snapshot.committed_at })},"lag_seconds":${snapshot.lag_seconds}`;
    const body = text.startsWith('{}') ? `{${stamp}}` : text.startsWith('{') ? `{${stamp},${text.slice(1)}` : text;
    const headers = new Headers(c.res.headers);
    headers.delete('content-length');
    c.res = new Response(body, { status: c.res.status, headers });
  };
}
