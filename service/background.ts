/**
 * Work nobody waits for: the successor of an answer that is served from the previous snapshot
 * meanwhile (db/versioned-cache.ts, offers/engine.ts) runs inside `inBackground`, and whatever it
 * starts — a model fit in a worker thread above all — can ask `isBackground()` and yield to work a
 * reader is waiting for (off-thread.ts). Carried by AsyncLocalStorage, so no signature in between
 * has to pass a flag along.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const store = new AsyncLocalStorage<true>();

/** Runs `fn` (and everything it starts) as background work. */
export function inBackground<T>(fn: () => Promise<T>): Promise<T> {
  return store.run(true, fn);
}

/** Whether the caller runs inside `inBackground`. */
export function isBackground(): boolean {
  return store.getStore() === true;
}
