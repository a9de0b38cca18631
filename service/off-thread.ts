/**
 * Work that takes a core for up to seconds runs in worker threads, never on the event loop: the
 * offers' risk model over every customer of a window, the drivers' Cox model with its coding, the
 * survival curves, the staffing forecast and the staffing plan. On the main thread such work blocks
 * everything else the process does meanwhile: ingest acknowledgements (a producer's p99), every
 * other request, the catch-up's next statement. The risk model on the main thread cut a 200
 * events/s trickle to about 30 in the live-analytics benchmark. The tasks are named in
 * off-thread-worker.ts; two workers serve every task of the process (below), are started on first
 * use and do not keep the process alive. A task's domain error comes back as its name and fields
 * and is rebuilt here as the same class, so callers catch exactly what they would catch in-thread.
 * Typed arrays cross by structured clone, bit for bit.
 */
import { Worker } from 'node:worker_threads';
import { RiskModelRefusedError } from './offers/errors.ts';
import { AnalysisRefusedError } from './analytics/errors.ts';
import { StaffingInputError, StaffingQueryError, type StaffingInputErrorDetails } from './staffing/errors.ts';
import { NotEnoughHistoryError } from './staffing/forecast.ts';
import type { TASKS } from './off-thread-worker.ts';

type Tasks = typeof TASKS;
export type TaskName = keyof Tasks;
/** An error as the worker sends it: its class name and the fields its constructor needs. */
export interface SentError {
  name: string;
  message: string;
  details?: unknown;
  code?: string;
}
type Reply = { id: number; value?: unknown; error?: SentError };

/**
 * Two threads, each task to the one with fewer tasks waiting: with one, a survival curve of 0.1 s
 * queued behind a drivers fit or a forecast of a second. The fits themselves share the cores
 * with DuckDB either way.
 */
const THREADS = 2;
interface Thread {
  worker: Worker;
  waiting: Map<number, { task: string; resolve: (value: unknown) => void; reject: (error: Error) => void }>;
}
const threads: (Thread | null)[] = Array.from({ length: THREADS }, () => null);
let next = 0;

/** An error as the worker sends it, plain fields: domain and staffing errors carry a `code` and `details`. */
export function sent(error: unknown): SentError {
  const e = error as Error & { code?: unknown; details?: unknown };
  return { name: e.name, message: e.message, code: typeof e.code === 'string' ? e.code : undefined, details: e.details };
}

/** The error `e` as the class the caller would have caught in-thread (the routes map these to 4xx). */
export function revive(task: string, e: SentError | undefined): Error {
  if (e?.name === 'RiskModelRefusedError') return new RiskModelRefusedError(e.message, e.details);
  if (e?.name === 'AnalysisRefusedError') return new AnalysisRefusedError(e.code!, e.message, e.details);
  if (e?.name === 'NotEnoughHistoryError') return new NotEnoughHistoryError(e.message);
  // Erlang C refuses inputs it cannot staff (a volume past its agent limit) inside the plan.
  if (e?.name === 'StaffingInputError') return new StaffingInputError(e.details as StaffingInputErrorDetails, e.message);
  if (e?.name === 'StaffingQueryError') return new StaffingQueryError(e.details as { path: string; message: string }[]);
  return new Error(`${task} failed in the worker thread: ${e?.message ?? 'no answer'}`);
}

function started(slot: number): Thread {
  const existing = threads[slot];
  if (existing) return existing;
  const w = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { module: './off-thread-worker.ts' } });
  w.unref();
  const thread: Thread = { worker: w, waiting: new Map() };
  w.on('message', (m: Reply) => {
    const p = thread.waiting.get(m.id);
    if (!p) return;
    thread.waiting.delete(m.id);
    if (m.error) p.reject(revive(p.task, m.error));
    else p.resolve(m.value);
  });
  const lost = (error: Error) => {
    if (threads[slot] === thread) threads[slot] = null;
    for (const p of thread.waiting.values()) p.reject(error);
    thread.waiting.clear();
  };
  w.on('error', lost);
  w.on('exit', (code) => lost(new Error(`the model worker thread exited (${code})`)));
  threads[slot] = thread;
  return thread;
}

function leastBusy(): Thread {
  let best = 0;
  for (let i = 1; i < THREADS; i++) if ((threads[i]?.waiting.size ?? 0) < (threads[best]?.waiting.size ?? 0)) best = i;
  return started(best);
}

/** How many tasks of each name were posted to the worker (tests check that a fit really runs there). */
export const offThreadRuns: Record<string, number> = {};

/** Runs `task` of off-thread-worker.ts on `input` in the worker thread. */
export function offThread<K extends TaskName>(task: K, input: Parameters<Tasks[K]>[0]): Promise<ReturnType<Tasks[K]>> {
  const id = ++next;
  offThreadRuns[task] = (offThreadRuns[task] ?? 0) + 1;
  return new Promise((resolve, reject) => {
    const thread = leastBusy();
    thread.waiting.set(id, { task, resolve: resolve as (value: unknown) => void, reject });
    thread.worker.postMessage({ id, task, input });
  });
}
