/**
 * Caches successful answers of read-only analytical endpoints per data version: a dashboard asks
 * the same questions again and again (every page load, every back/forward), and each answer is a
 * pure function of the stored data and the request. The entries live in the database's own
 * versioned cache (db/versioned-cache.ts), so a committed write retires them and two databases in
 * one process never share them; an answer computed while the data changed is not kept.
 */
import type { MiddlewareHandler } from 'hono';
import type { Database } from '../db/database.ts';

export function resultCache(db: Database, maxEntries = 256): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    url.searchParams.sort();
    const started = db.analysisVersion;
    const key = `${c.req.header('accept') ?? ''}|${url.pathname}?${url.searchParams}`;
    const hit = db.cache.get<{ body: ArrayBuffer; type: string }>('http-answers', key);
    if (hit) return new Response(hit.body.slice(0), { headers: { 'content-type': hit.type, 'x-result-cache': 'hit' } });
    db.readsInFlight++;
    try {
      await next();
    } finally {
      db.readsInFlight--;
    }
    if (c.res.status !== 200 || db.analysisVersion !== started) return;
    const body = await c.res.clone().arrayBuffer();
    db.cache.set('http-answers', key, { body, type: c.res.headers.get('content-type') ?? 'application/json' }, started, maxEntries);
  };
}
