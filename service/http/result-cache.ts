/**
 * Caches successful answers of read-only analytical endpoints per data version: a dashboard asks
 * the same questions again and again (every page load, every back/forward), and each answer is a
 * pure function of the stored data and the request. Any committed write bumps the version, so a
 * cached answer is never stale; an answer computed while the data changed is not kept.
 */
import type { MiddlewareHandler } from 'hono';

export function resultCache(version: () => number, maxEntries = 256): MiddlewareHandler {
  const entries = new Map<string, { body: ArrayBuffer; type: string }>();
  return async (c, next) => {
    const url = new URL(c.req.url);
    url.searchParams.sort();
    const started = version();
    const key = `${started}|${c.req.header('accept') ?? ''}|${url.pathname}?${url.searchParams}`;
    const hit = entries.get(key);
    if (hit) {
      entries.delete(key); // refresh its place in the LRU order
      entries.set(key, hit);
      return new Response(hit.body.slice(0), { headers: { 'content-type': hit.type, 'x-result-cache': 'hit' } });
    }
    await next();
    if (c.res.status !== 200 || version() !== started) return;
    const body = await c.res.clone().arrayBuffer();
    entries.set(key, { body, type: c.res.headers.get('content-type') ?? 'application/json' });
    for (const k of [...entries.keys()]) if (!k.startsWith(`${started}|`)) entries.delete(k);
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  };
}
