/**
 * The staffing feature's entry points for the routes, and the one cache it needs. Fitting the
 * forecast reads the whole invoice calendar (millions of invoices on a large data set), so fitted
 * models, measured scenario relationships and back-tests are kept per analysed snapshot (`db.analysisVersion`,
 * bumped by every committed write): the first request after new data pays for the fit, every later
 * one — another scenario, other Erlang parameters, the CSV export — reuses it. Entries of older
 * versions are dropped at once; within a version the least recently used go beyond a small bound.
 * The cache hangs off the analysis engine (a WeakMap), so it lives and dies with the service.
 * Derived facts (fact_invoices, fact_fees, customer_facts) are kept current in the background after
 * each ingest, so every entry point first awaits the upkeep's `settle()`, as the churn analyses do:
 * no plan is ever fitted on events whose facts are not there yet.
 * The part of the fit that does not depend on the as-of date (the recorded invoice calendar, the
 * follow-up lags and the daily contacts, which a full load computes from millions of invoices) is
 * stored per time zone in the database and brought up to date with each batch by the facts upkeep
 * (calendar-store.ts), so after an ingest the next plan only reads it, projects and fits.
 */
import type { Engine } from '../analytics/runner.ts';
import type { Database } from '../db/database.ts';
import { checkAsOfInRange } from '../analytics/as-of-range.ts';
import { latestEventDate } from '../analytics/scope.ts';
import { backtest } from './backtest.ts';
import { fitForecastModel, type ForecastModel, type ModelBase } from './forecast.ts';
import { dateToDay } from './local-time.ts';
import { measureRelationships, type Relationships } from './scenarios.ts';
import { loadTimeThiefCounts, thiefWindow } from './time-thieves.ts';

/** The plan's projection always covers the longest horizon, so one fit serves every `weeks`. */
export const PLAN_HORIZON_DAYS = 56;
const KEEP = 24;

export class StaffingEngine {

  readonly db: Database;

  constructor(private readonly engine: Engine) {
    this.db = engine.db;
  }

  /** Passes the staleness gate: the derived facts are within ANALYSIS_MAX_LAG of the newest batch. */
  async settle(): Promise<void> {
    await this.engine.upkeep.readable();
  }

  private async memo<T>(key: string, make: () => Promise<T>): Promise<T> {
    await this.settle();
    // A model fit takes seconds; under a trickle, the previous snapshot's is served within the staleness bound meanwhile.
    return this.db.cache.memo('staffing-models', key, make, KEEP, this.engine.upkeep.reusePolicy());
  }

  /** The as-of date (default: the latest event's) and the first planned day after it. */
  async resolve(asOf: string | undefined): Promise<{ asOf: string; cutoffDay: number }> {
    await this.settle();
    // The same refusal as the churn analyses: a plan as of a day outside the data is no plan.
    await checkAsOfInRange(this.db, asOf);
    const date = asOf ?? (await latestEventDate(this.db)) ?? new Date().toISOString().slice(0, 10);
    return { asOf: date, cutoffDay: dateToDay(date) + 1 };
  }

  /** The recorded calendar and daily contacts of zone `tz`: stored and kept current by the facts upkeep (calendar-store.ts). */
  base(tz: string): Promise<ModelBase> {
    return this.memo(`base|${tz}`, async () => {
      const r = await this.engine.calendars.rows(tz);
      return { calendar: { days: r.days, lags: r.lags }, contacts: r.contacts };
    });
  }

  model(tz: string, cutoffDay: number, intervalMinutes: number, horizonDays = PLAN_HORIZON_DAYS): Promise<ForecastModel> {
    return this.memo(`model|${tz}|${cutoffDay}|${intervalMinutes}|${horizonDays}`, async () => fitForecastModel(this.db, { tz, cutoffDay, intervalMinutes, horizonDays }, await this.base(tz)));
  }

  relationships(cutoffDay: number, evidenceDays: number): Promise<Relationships> {
    return this.memo(`rel|${cutoffDay}|${evidenceDays}`, () => measureRelationships(this.db, cutoffDay, evidenceDays));
  }

  /** Monthly time-thief counts of the complete months before the cutoff. */
  timeThiefCounts(tz: string, cutoffDay: number, months: number): Promise<Record<string, unknown>[]> {
    const { start, end } = thiefWindow(cutoffDay, months);
    return this.memo(`thieves|${tz}|${start}|${end}`, () => loadTimeThiefCounts(this.db, tz, start, end));
  }

  backtest(tz: string, cutoffDay: number, weeks: number, intervalMinutes: number) {
    return this.memo(`backtest|${tz}|${cutoffDay}|${weeks}|${intervalMinutes}`, () =>
      backtest(this.db, { tz, cutoffDay, weeks, intervalMinutes }, (origin) => this.model(tz, origin, intervalMinutes, 7)),
    );
  }
}

const engines = new WeakMap<Engine, StaffingEngine>();

export function staffingEngine(engine: Engine): StaffingEngine {
  let e = engines.get(engine);
  if (!e) engines.set(engine, (e = new StaffingEngine(engine)));
  return e;
}
