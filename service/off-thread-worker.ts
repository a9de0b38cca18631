/**
 * The worker thread of off-thread.ts: the tasks it runs, by name, and the loop that runs what the
 * parent posts and posts back the value, or the error as its class name and fields. Each task is a
 * pure function of its input, so a fit here equals the same fit on the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { fitRiskModel, type ModelRows } from './offers/risk-model.ts';
import { driversModel, type DriversInput } from './analytics/drivers-model.ts';
import { survivalModel, type SurvivalInput } from './analytics/survival-model.ts';
import { fitFromData, type FitOptions, type ForecastModel } from './staffing/forecast.ts';
import { buildPlan, type PlanOptions } from './staffing/plan.ts';
import type { Calendar } from './staffing/calendar.ts';
import type { DailyContacts, ProfileCounts } from './staffing/contact-history.ts';
import { sent } from './off-thread.ts';

export const TASKS = {
  /** The offers' churn-risk model (offers/risk-model.ts). */
  risk_model: (rows: ModelRows) => fitRiskModel(rows),
  /** The drivers' Cox model: coding, fit and Harrell's C (analytics/drivers-model.ts). */
  drivers: (input: DriversInput) => driversModel(input),
  /** Kaplan–Meier curves and the log-rank test (analytics/survival-model.ts). */
  survival: (input: SurvivalInput) => survivalModel(input),
  /** The staffing contact forecast's fit (staffing/forecast.ts). */
  forecast: (input: { o: FitOptions; calendar: Calendar; history: DailyContacts; profileCounts: ProfileCounts }) =>
    fitFromData(input.o, input.calendar, input.history, input.profileCounts),
  /** The staffing plan from a fitted forecast: every interval of every channel through Erlang C (staffing/plan.ts). */
  plan: (input: { model: ForecastModel; options: PlanOptions }) => buildPlan(input.model, input.options),
};

parentPort?.on('message', ({ id, task, input }: { id: number; task: keyof typeof TASKS; input: never }) => {
  try {
    parentPort!.postMessage({ id, value: TASKS[task](input) });
  } catch (error) {
    parentPort!.postMessage({ id, error: sent(error) });
  }
});
