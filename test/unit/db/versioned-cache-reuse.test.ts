/**
 * Serving the previous snapshot's value while its successor computes (db/versioned-cache.ts Reuse):
 * a slow derived answer (staffing's models) must not make every reader wait after each catch-up,
 * yet never be served past the staleness bound or after a settings write, and always say which
 * snapshot it reflects.
 */
import { describe, expect, it } from 'vitest';
import { VersionedCache, type Reuse } from '../../../service/db/versioned-cache.ts';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('VersionedCache with a Reuse policy', () => {
  let version = 1;
  const cache = new VersionedCache(() => version);
  const served: number[] = [];
  const policy = (tag: number, generation: number, usable = true): Reuse => ({
    generation,
    run: async (compute) => ({ value: await compute(), tag }),
    usable: async () => usable,
    served: (t) => served.push(t),
  });

  it('serves the last finished value at once while the next version computes, then the new one', async () => {
    let computes = 0;
    expect(await cache.memo('ns', 'k', async () => (computes++, 'v1'), 8, policy(10, 0))).toBe('v1');
    expect(served).toEqual([10]);
    version = 2;
    const next = deferred<string>();
    const make = () => (computes++, next.promise);
    // Both readers get v1 without waiting, and the successor is computed once.
    expect(await cache.memo('ns', 'k', make, 8, policy(11, 0))).toBe('v1');
    expect(await cache.memo('ns', 'k', make, 8, policy(11, 0))).toBe('v1');
    expect(computes).toBe(2);
    expect(served).toEqual([10, 10, 10]);
    next.resolve('v2');
    await next.promise;
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.memo('ns', 'k', make, 8, policy(11, 0))).toBe('v2');
    expect(served.at(-1)).toBe(11);
    expect(computes).toBe(2);
  });

  it('waits for the fresh value after a settings write (a new generation) or beyond the bound', async () => {
    version = 3;
    const fresh = deferred<string>();
    let settledFirst = false;
    const p = cache.memo('ns', 'k', () => fresh.promise, 8, policy(12, 1)).then((v) => ((settledFirst = true), v));
    await new Promise((r) => setTimeout(r, 5));
    expect(settledFirst).toBe(false);
    fresh.resolve('v3');
    expect(await p).toBe('v3');

    version = 4;
    const later = deferred<string>();
    let done = false;
    const q = cache.memo('ns', 'k', () => later.promise, 8, policy(13, 1, false)).then((v) => ((done = true), v));
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(false);
    later.resolve('v4');
    expect(await q).toBe('v4');
  });

  it('a value whose computation read an older snapshot is tagged with that older batch', async () => {
    version = 5;
    const older: Reuse = { ...policy(20, 1), run: async (compute) => ({ value: await compute(), tag: 17 }) };
    expect(await cache.memo('ns', 'other', async () => 'x', 8, older)).toBe('x');
    expect(served.at(-1)).toBe(17);
  });

  it('without a policy, a new version waits for its own computation', async () => {
    version = 6;
    expect(await cache.memo('plain', 'k', async () => 'a')).toBe('a');
    version = 7;
    expect(await cache.memo('plain', 'k', async () => 'b')).toBe('b');
  });
});
