/**
 * Which snapshot an answer really reflects. The freshness middleware (http/freshness.ts) opens a
 * scope per request holding the published snapshot; domain code that serves something computed
 * from an older snapshot while its successor is being built (the offer engine's models, see
 * offers/engine.ts) lowers it here, so `data_as_of` and `lag_seconds` never claim fresher data
 * than the answer holds. AsyncLocalStorage keeps this out of every signature in between.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface Reflected {
  /** The oldest batch any part of the answer reflects. */
  batchId: number;
}

const scope = new AsyncLocalStorage<Reflected>();

/** Runs `fn` with `batchId` as what its answer reflects, unless a part of it lowers that. */
export function reflecting<T>(batchId: number, fn: () => Promise<T>): Promise<{ result: T; batchId: number }> {
  const state: Reflected = { batchId };
  return scope.run(state, async () => ({ result: await fn(), batchId: state.batchId }));
}

/** The answer being computed includes state as of `batchId` (no-op outside a request scope). */
export function reflects(batchId: number): void {
  const state = scope.getStore();
  if (state && batchId < state.batchId) state.batchId = batchId;
}
