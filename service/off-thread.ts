/**
 * Model fits that take a core for up to seconds (the offers' risk model over every customer of a
 * window, the drivers' Cox model over a filtered base) run in one worker thread, never on the event
 * loop. On the main thread a fit blocks everything else the process does meanwhile: ingest
 * acknowledgements (a producer's p99), every other request, the catch-up's next statement. The
 * risk model on the main thread cut a 200 events/s trickle to about 30 in the live-analytics
 * benchmark. The tasks are named in off-thread-worker.ts; one worker serves every task of the
 * process, in order, is started on first use and does not keep the process alive. A task's domain
 * error comes back as its name and fields and is rebuilt here as the same class, so callers catch
 * exactly what they would catch in-thread. Typed arrays cross by structured clone, bit for bit.
 */
import { Worker } from 'node:worker_threads';
import { RiskModelRefusedError } from './offers/errors.ts';
import { CoxModelError, type CoxErrorCode } from './stats/cox.ts';
import type { TASKS } from './off-thread-worker.ts';

type Tasks = typeof TASKS;
export type TaskName = keyof Tasks;
/** An error as the worker sends it: its class name and the fields its constructor needs. */
export interface SentError {
  name: string;
  message: string;
  details?: unknown;
  code?: string;
  terms?: string[];
}
type Reply = { id: number; value?: unknown; error?: SentError };

let worker: Worker | null = null;
let next = 0;
const waiting = new Map<number, { task: string; resolve: (value: unknown) => void; reject: (error: Error) => void }>();

function revive(task: string, e: SentError | undefined): Error {
  if (e?.name === 'RiskModelRefusedError') return new RiskModelRefusedError(e.message, e.details);
  if (e?.name === 'CoxModelError') return new CoxModelError(e.code as CoxErrorCode, e.message, e.terms ?? []);
  return new Error(`${task} failed in the worker thread: ${e?.message ?? 'no answer'}`);
}

function started(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { module: './off-thread-worker.ts' } });
  w.unref();
  w.on('message', (m: Reply) => {
    const p = waiting.get(m.id);
    if (!p) return;
    waiting.delete(m.id);
    if (m.error) p.reject(revive(p.task, m.error));
    else p.resolve(m.value);
  });
  const lost = (error: Error) => {
    worker = null;
    for (const p of waiting.values()) p.reject(error);
    waiting.clear();
  };
  w.on('error', lost);
  w.on('exit', (code) => lost(new Error(`the model worker thread exited (${code})`)));
  worker = w;
  return w;
}

/** How many tasks of each name were posted to the worker (tests check that a fit really runs there). */
export const offThreadRuns: Record<string, number> = {};

/** Runs `task` of off-thread-worker.ts on `input` in the worker thread. */
export function offThread<K extends TaskName>(task: K, input: Parameters<Tasks[K]>[0]): Promise<ReturnType<Tasks[K]>> {
  const id = ++next;
  offThreadRuns[task] = (offThreadRuns[task] ?? 0) + 1;
  return new Promise((resolve, reject) => {
    waiting.set(id, { task, resolve: resolve as (value: unknown) => void, reject });
    started().postMessage({ id, task, input });
  });
}
