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
import { isBackground } from './background.ts';

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
 * Two threads, one task in flight on each; the rest wait here, not in a worker's message queue, so
 * each task goes to the first thread that is free. With one thread, a survival curve of 0.1 s
 * queued behind a drivers fit or a forecast of a second. Work a reader waits for goes first;
 * background work (a successor computed while the previous snapshot's answer is served:
 * background.ts) runs on one thread at a time, so a reader's task always finds the other one
 * instead of queueing behind a refit nobody waits for (each publish under a trickle starts the
 * staffing forecast's and the offers' risk model's). A background task that has waited
 * BACKGROUND_MAX_WAIT_MS is treated as a reader's, so a busy stream of readers cannot starve it.
 * The fits themselves share the cores with DuckDB either way.
 */
const THREADS = 2;
const BACKGROUND_MAX_WAIT_MS = 2000;
interface Pending {
  id: number;
  task: string;
  input: unknown;
  background: boolean;
  queuedAt: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}
interface Thread {
  worker: Worker;
  /** The task in flight, if any. */
  running: Pending | null;
}
const threads: (Thread | null)[] = Array.from({ length: THREADS }, () => null);
const queue: Pending[] = [];
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
  const thread: Thread = { worker: w, running: null };
  w.on('message', (m: Reply) => {
    const p = thread.running;
    if (!p || p.id !== m.id) return;
    thread.running = null;
    if (m.error) p.reject(revive(p.task, m.error));
    else p.resolve(m.value);
    dispatch();
  });
  const lost = (error: Error) => {
    if (threads[slot] === thread) threads[slot] = null;
    const p = thread.running;
    thread.running = null;
    p?.reject(error);
    dispatch();
  };
  w.on('error', lost);
  w.on('exit', (code) => lost(new Error(`the model worker thread exited (${code})`)));
  threads[slot] = thread;
  return thread;
}

let recheck: ReturnType<typeof setTimeout> | null = null;

/** Hands waiting tasks to free threads: readers' first, background ones one at a time. */
function dispatch(): void {
  for (;;) {
    const slot = threads.findIndex((t) => !t?.running);
    if (slot < 0 || !queue.length) return;
    const now = performance.now();
    const urgent = (p: Pending) => !p.background || now - p.queuedAt >= BACKGROUND_MAX_WAIT_MS;
    let at = queue.findIndex(urgent);
    if (at < 0 && !threads.some((t) => t?.running?.background)) at = 0;
    if (at < 0) {
      // Only background tasks wait and one runs: look again when it has waited its limit.
      if (!recheck) {
        recheck = setTimeout(() => {
          recheck = null;
          dispatch();
        }, BACKGROUND_MAX_WAIT_MS - (now - queue[0].queuedAt));
        recheck.unref();
      }
      return;
    }
    const [p] = queue.splice(at, 1);
    const thread = started(slot);
    thread.running = p;
    thread.worker.postMessage({ id: p.id, task: p.task, input: p.input });
  }
}

/** How many tasks of each name were posted to the worker (tests check that a fit really runs there). */
export const offThreadRuns: Record<string, number> = {};

/** Runs `task` of off-thread-worker.ts on `input` in the worker thread. */
export function offThread<K extends TaskName>(task: K, input: Parameters<Tasks[K]>[0]): Promise<ReturnType<Tasks[K]>> {
  const id = ++next;
  offThreadRuns[task] = (offThreadRuns[task] ?? 0) + 1;
  return new Promise((resolve, reject) => {
    queue.push({ id, task, input, background: isBackground(), queuedAt: performance.now(), resolve: resolve as (value: unknown) => void, reject });
    dispatch();
  });
}
