/**
 * The risk model's fit, a Cox fit over every customer of the landmark window (seconds of JS at
 * 50 000 customers), runs in a worker thread. On the main thread it blocked the event loop after
 * every catch-up while the offer state was rebuilt in the background: ingest acknowledgements and
 * every other analysis waited behind it (a trickle of 200 events/s fell to about 30 in the
 * live-analytics benchmark). One worker serves every fit of the process, in order; it is started
 * on first use and does not keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import { RiskModelRefusedError } from './errors.ts';
import type { ModelRows, RiskFit } from './risk-model.ts';

type Reply = { id: number; fit?: RiskFit; error?: { name: string; message: string; details?: unknown } };

let worker: Worker | null = null;
let next = 0;
const waiting = new Map<number, { resolve: (fit: RiskFit) => void; reject: (error: Error) => void }>();

function started(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('../worker-boot.mjs', import.meta.url), { workerData: { module: './offers/fit-worker.ts' } });
  w.unref();
  w.on('message', (m: Reply) => {
    const p = waiting.get(m.id);
    if (!p) return;
    waiting.delete(m.id);
    if (m.fit) p.resolve(m.fit);
    else if (m.error?.name === 'RiskModelRefusedError') p.reject(new RiskModelRefusedError(m.error.message, m.error.details));
    else p.reject(new Error(`risk model fit failed: ${m.error?.message ?? 'no answer'}`));
  });
  const lost = (error: Error) => {
    worker = null;
    for (const p of waiting.values()) p.reject(error);
    waiting.clear();
  };
  w.on('error', lost);
  w.on('exit', (code) => lost(new Error(`risk model worker exited (${code})`)));
  worker = w;
  return w;
}

export function fitRiskModelOffThread(rows: ModelRows): Promise<RiskFit> {
  const id = ++next;
  return new Promise<RiskFit>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    started().postMessage({ id, rows });
  });
}
