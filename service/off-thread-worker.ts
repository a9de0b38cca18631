/**
 * The worker thread of off-thread.ts: the tasks it runs, by name, and the loop that runs what the
 * parent posts and posts back the value, or the error as its class name and fields. Each task is a
 * pure function of its input, so a fit here equals the same fit on the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { DomainError } from './domain-error.ts';
import { fitRiskModel, type ModelRows } from './offers/risk-model.ts';
import { concordance } from './stats/concordance.ts';
import { CoxModelError, fitCox, type CoxCovariate, type CoxOptions } from './stats/cox.ts';
import type { SentError } from './off-thread.ts';

export const TASKS = {
  /** The offers' churn-risk model (offers/risk-model.ts). */
  risk_model: (rows: ModelRows) => fitRiskModel(rows),
  /** A Cox fit and Harrell's C of its linear predictor (the drivers). */
  cox: (input: { time: Float64Array; event: Uint8Array; covariates: CoxCovariate[]; options: CoxOptions }) => {
    const fit = fitCox(input.time, input.event, input.covariates, input.options);
    return { fit, concordance: concordance(input.time, input.event, fit.linearPredictor, { entry: input.options.entry }) };
  },
};

function sent(error: unknown): SentError {
  const e = error as Error;
  if (error instanceof CoxModelError) return { name: e.name, message: e.message, code: error.code, terms: [...error.terms] };
  return { name: e.name, message: e.message, details: error instanceof DomainError ? error.details : undefined };
}

parentPort?.on('message', ({ id, task, input }: { id: number; task: keyof typeof TASKS; input: never }) => {
  try {
    parentPort!.postMessage({ id, value: TASKS[task](input) });
  } catch (error) {
    parentPort!.postMessage({ id, error: sent(error) });
  }
});
