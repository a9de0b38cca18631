/**
 * Worker thread of the risk model's fit (see fit-off-thread.ts): fits what the parent posts and
 * posts the fit back, or the refusal as its name, message and details.
 */
import { parentPort } from 'node:worker_threads';
import { DomainError } from '../domain-error.ts';
import { fitRiskModel, type ModelRows } from './risk-model.ts';

parentPort!.on('message', ({ id, rows }: { id: number; rows: ModelRows }) => {
  try {
    parentPort!.postMessage({ id, fit: fitRiskModel(rows) });
  } catch (error) {
    const e = error as Error;
    parentPort!.postMessage({ id, error: { name: e.name, message: e.message, details: error instanceof DomainError ? error.details : undefined } });
  }
});
