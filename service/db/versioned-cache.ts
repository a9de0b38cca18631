/**
 * The one cache of derived answers, owned by the Database instance: every entry is a pure function
 * of the stored data and its key, so it is keyed by the data version and a committed write (which
 * bumps the version) retires every entry at once. Living on the instance, two databases in one
 * process (as the tests start them) never read each other's entries. Each user names a namespace
 * with its own size bound and least-recently-used eviction; a computation that fails is forgotten,
 * and one that finishes after the data changed is not kept.
 */
export class VersionedCache {
  private readonly spaces = new Map<string, Map<string, { version: number; value: unknown }>>();

  constructor(private readonly version: () => number) {}

  private space(namespace: string) {
    let s = this.spaces.get(namespace);
    if (!s) this.spaces.set(namespace, (s = new Map()));
    return s;
  }

  /** The entry for `key` at the current version, refreshed in the LRU order; undefined when absent. */
  get<T>(namespace: string, key: string): T | undefined {
    const s = this.space(namespace);
    const hit = s.get(key);
    if (!hit) return undefined;
    s.delete(key);
    if (hit.version !== this.version()) return undefined;
    s.set(key, hit);
    return hit.value as T;
  }

  /** Keeps `value` if the data is still at `version` (the one it was computed from). */
  set(namespace: string, key: string, value: unknown, version: number, maxEntries: number): void {
    if (version !== this.version()) return;
    const s = this.space(namespace);
    s.delete(key);
    s.set(key, { version, value });
    for (const [k, e] of s) if (e.version !== version) s.delete(k);
    while (s.size > maxEntries) s.delete(s.keys().next().value!);
  }

  /** The promised value for `key`, computing it once per data version; a rejected promise is not kept. */
  memo<T>(namespace: string, key: string, compute: () => Promise<T>, maxEntries = 32): Promise<T> {
    const hit = this.get<Promise<T>>(namespace, key);
    if (hit) return hit;
    const version = this.version();
    const value = compute().catch((error) => {
      const s = this.space(namespace);
      if (s.get(key)?.value === value) s.delete(key);
      throw error;
    });
    this.set(namespace, key, value, version, maxEntries);
    return value;
  }
}
