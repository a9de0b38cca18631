/**
 * The one cache of derived answers, owned by the Database instance: every entry is a pure function
 * of the stored data and its key, so it is keyed by the data version and a committed write (which
 * bumps the version) retires every entry at once. Living on the instance, two databases in one
 * process (as the tests start them) never read each other's entries. Each user names a namespace
 * with its own size bound and least-recently-used eviction; a computation that fails is forgotten,
 * and one that finishes after the data changed is not kept.
 *
 * A computation that takes seconds (staffing's forecast models) can also name a `Reuse` policy:
 * when the data moved on and the key's last finished value is one the policy still accepts (within
 * the analyses' staleness bound, no settings written since), that value is served at once while
 * its successor computes in the background (`inBackground`: its model fits yield to readers'
 * in the worker threads), and the policy is told which snapshot it reflects.
 */
import { inBackground } from '../background.ts';

export interface Reuse {
  /** Bumped by writes after which nothing older may be served (settings, catalogue, erasure). */
  generation: number;
  /** Runs a computation and says which snapshot its value reflects (the oldest of its inputs). */
  run<T>(compute: () => Promise<T>): Promise<{ value: T; tag: number }>;
  /** Whether a value tagged `tag` may still be served. */
  usable(tag: number): Promise<boolean>;
  /** Called whenever a value tagged `tag` is served. */
  served(tag: number): void;
}
export class VersionedCache {
  private readonly spaces = new Map<string, Map<string, { version: number; value: unknown }>>();
  /** Per namespace and key, the last finished value of a memo with a Reuse policy. */
  private readonly finished = new Map<string, Map<string, { value: unknown; tag: number; generation: number }>>();

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
  memo<T>(namespace: string, key: string, compute: () => Promise<T>, maxEntries = 32, reuse?: Reuse): Promise<T> {
    const hit = this.get<Promise<T>>(namespace, key);
    if (reuse) return this.reusing(namespace, key, hit, compute, maxEntries, reuse);
    return hit ?? this.compute(namespace, key, compute, maxEntries);
  }

  private readonly settled = new WeakSet<Promise<unknown>>();
  /** The snapshot each finished value of a Reuse memo reflects. */
  private readonly tags = new WeakMap<Promise<unknown>, number>();

  private compute<T>(namespace: string, key: string, compute: () => Promise<T>, maxEntries: number, reuse?: Reuse): Promise<T> {
    const version = this.version();
    const run = reuse ? reuse.run(compute) : compute().then((v) => ({ value: v, tag: 0 }));
    const value: Promise<T> = run.then(
      ({ value: v, tag }) => {
        this.settled.add(value);
        this.tags.set(value, tag);
        if (reuse) this.keepFinished(namespace, key, v, tag, reuse.generation, maxEntries);
        return v;
      },
      (error) => {
        const s = this.space(namespace);
        if (s.get(key)?.value === value) s.delete(key);
        throw error;
      },
    );
    this.set(namespace, key, value, version, maxEntries);
    return value;
  }

  private async reusing<T>(namespace: string, key: string, hit: Promise<T> | undefined, compute: () => Promise<T>, maxEntries: number, reuse: Reuse): Promise<T> {
    const told = (p: Promise<T>) =>
      p.then((v) => {
        reuse.served(this.tags.get(p) ?? 0);
        return v;
      });
    if (hit && this.settled.has(hit)) return told(hit);
    const last = this.finished.get(namespace)?.get(key);
    if (last && last.generation === reuse.generation && (await reuse.usable(last.tag))) {
      // The successor computes (or already does) without anyone waiting; a failure shows on a later request.
      if (!this.get(namespace, key)) void inBackground(() => this.compute(namespace, key, compute, maxEntries, reuse)).catch(() => undefined);
      reuse.served(last.tag);
      return last.value as T;
    }
    return told(this.get<Promise<T>>(namespace, key) ?? this.compute(namespace, key, compute, maxEntries, reuse));
  }

  private keepFinished(namespace: string, key: string, value: unknown, tag: number, generation: number, maxEntries: number): void {
    let f = this.finished.get(namespace);
    if (!f) this.finished.set(namespace, (f = new Map()));
    const prior = f.get(key);
    // A slower, older computation must not replace a newer value.
    if (prior && prior.generation === generation && prior.tag > tag) return;
    f.delete(key);
    f.set(key, { value, tag, generation });
    while (f.size > maxEntries) f.delete(f.keys().next().value!);
  }
}
