/**
 * The churn analyses over the analysis base: churn by factor, dose–response, Kaplan–Meier with
 * log-rank, the Cox model of drivers and the segment × factor heat map. SQL (queries/) counts and
 * selects; the statistics (stats/) run in TypeScript. Every result names its window, its reference
 * group and its sample sizes.
 */
import { offThread } from '../off-thread.ts';
import { cochranArmitage } from '../stats/trend-test.ts';
import {
  ADJUSTMENTS,
  type Adjustment,
  type ChurnByFactor,
  type DoseResponse,
  type Drivers,
  type Factor,
  type Filters,
  type Heatmap,
  type SegmentDimension,
  type SurvivalCurves,
} from './contracts.ts';
import { delayedEntry } from './delayed-entry.ts';
import { MIN_LEVEL_CUSTOMERS, MIN_LEVEL_EVENTS } from './dummy-coding.ts';
import { AnalysisInputError, AnalysisRefusedError } from './errors.ts';
import { chooseReference, groupStats, isSmallSample, minGroupSize, type Count } from './group-stats.ts';
import { overFiltered, overFilteredCoded, type Engine } from './runner.ts';
import { resolveScope, type AnalysisScope, type View } from './scope.ts';

export const CORRELATION_NOTE =
  'Correlation, not causation: these groups differ in more than the factor shown. The landmark view measures exposure before the outcome window, so "already leaving" cannot pose as a driver; the Cox model adjusts for the other exposures.';

const meta = (scope: AnalysisScope) => ({ as_of: scope.asOf, view: scope.view, window: scope.window });
const toCounts = (rows: Record<string, unknown>[]): Count[] => rows.map((r) => ({ key: String(r.key), n: Number(r.n), churned: Number(r.churned) }));

async function automaticMethods(engine: Engine): Promise<Set<string>> {
  return engine.db.withConnection(async (c) => new Set((await c.runAndReadAll(`SELECT label FROM payment_method_classes WHERE class = 'automatic'`)).getRowObjects().map((r) => String(r.label))));
}

export async function churnByFactor(engine: Engine, filters: Filters, factor: Factor, reference?: string, defaultView: View = 'lifetime'): Promise<ChurnByFactor> {
  const scope = await resolveScope(engine.db, filters, defaultView);
  const counts = toCounts(await overFiltered(engine, scope, filters, 'churn/churn_by_factor', { identifiers: { factor } }));
  const ref = chooseReference(factor, counts, reference, factor === 'payment_method' ? await automaticMethods(engine) : undefined);
  return {
    ...meta(scope),
    factor,
    reference: ref,
    n: counts.reduce((s, c) => s + c.n, 0),
    churned: counts.reduce((s, c) => s + c.churned, 0),
    groups: groupStats(counts, ref),
    note: CORRELATION_NOTE,
  };
}

export async function heatmap(engine: Engine, filters: Filters, rows: SegmentDimension, factor: Factor, reference?: string): Promise<Heatmap> {
  const scope = await resolveScope(engine.db, filters, 'lifetime');
  const raw = await overFiltered(engine, scope, filters, 'churn/churn_by_segment_and_factor', { identifiers: { rows, factor } });
  const overall = new Map<string, Count>();
  for (const r of raw) {
    const c = overall.get(String(r.key)) ?? { key: String(r.key), n: 0, churned: 0 };
    c.n += Number(r.n);
    c.churned += Number(r.churned);
    overall.set(c.key, c);
  }
  const ref = chooseReference(factor, [...overall.values()], reference, factor === 'payment_method' ? await automaticMethods(engine) : undefined);
  const byRow = new Map<string, Count[]>();
  for (const r of raw) {
    const list = byRow.get(String(r.row_key)) ?? [];
    list.push({ key: String(r.key), n: Number(r.n), churned: Number(r.churned) });
    byRow.set(String(r.row_key), list);
  }
  const cells = [...byRow].flatMap(([rowKey, counts]) => groupStats(counts, counts.some((c) => c.key === ref) ? ref : null).map((g) => ({ ...g, row_key: rowKey })));
  return { ...meta(scope), rows, factor, reference: ref, cells };
}

export async function doseResponse(engine: Engine, filters: Filters, measure: 'late_invoices' | 'fees'): Promise<DoseResponse> {
  const scope = await resolveScope(engine.db, filters, 'lifetime');
  const rows = await overFiltered(engine, scope, filters, 'churn/churn_by_count', { identifiers: { count_column: measure } });
  const counts = rows.map((r) => ({ key: Number(r.k) >= 3 ? '3+' : String(r.k), n: Number(r.n), churned: Number(r.churned), k: Number(r.k) }));
  const ref = counts.some((c) => c.key === '0') ? '0' : chooseReference(measure, counts);
  const stats = groupStats(counts, ref);
  const trend = cochranArmitage(counts.map((c) => ({ n: c.n, events: c.churned, score: c.k })));
  return {
    ...meta(scope),
    measure,
    reference: ref,
    groups: stats.map((g, i) => ({ ...g, count_min: counts[i].k, count_max: counts[i].k >= 3 ? null : counts[i].k })),
    trend: trend ? { chi_square: trend.chiSquare, p_value: trend.pValue } : null,
    note: `${measure === 'fees' ? 'Fees (fee_charged)' : 'Late invoices'} counted ${scope.view === 'landmark' ? 'in the look-back window' : 'over each customer\u2019s history'}; 3+ groups three or more. ${CORRELATION_NOTE}`,
  };
}

/** The survival models' numeric input (survival_input.sql, cox_input.sql). */
const MODEL_TIMES = ['entry_days', 'time_days', 'event'];

export async function survival(engine: Engine, filters: Filters, by: Factor, atTimes?: readonly number[]): Promise<SurvivalCurves> {
  const scope = await resolveScope(engine.db, filters, 'lifetime');
  const cols = await overFilteredCoded(engine, scope, filters, 'churn/survival_input', { numbers: MODEL_TIMES, categories: ['key'], orderBy: 'customer_id' }, { identifiers: { factor: by } });
  // The curves and the log-rank test run in the worker thread (survival-model.ts).
  const { delayed_entry: late, curves, log_rank } = await offThread('survival', {
    entry: cols.numbers.entry_days,
    time: cols.numbers.time_days,
    event: cols.numbers.event,
    key: cols.categories.key,
    atTimes,
    minGroupSize: minGroupSize(),
  });
  const origin =
    scope.view === 'landmark'
      ? `the landmark ${scope.window!.landmark}`
      : `tenure start (first subscription_started, or the customer_since of a customer first seen late)${late ? '; customers first seen late are at risk only from their first sighting (delayed entry)' : ''}`;
  return { ...meta(scope), by, time_origin: origin, delayed_entry: late, curves, log_rank };
}

const EXPOSURES = ['payment_method_class', 'timeliness', 'fee_exposure'] as const;

export async function drivers(engine: Engine, filters: Filters, dimensions: Adjustment[] | undefined, ties: 'efron' | 'breslow'): Promise<Drivers> {
  const scope = await resolveScope(engine.db, filters, 'landmark');
  const chosen = (dimensions ?? (scope.view === 'landmark' ? ['age_band', 'tenure_band', 'vertical'] : ['age_band', 'vertical'])).filter((d) => d !== 'payment_method_class') as Adjustment[];
  if (scope.view === 'lifetime' && chosen.includes('tenure_band')) {
    throw new AnalysisRefusedError('invalid_model', 'tenure_band cannot adjust a lifetime model: tenure is its time scale. Use the landmark view or drop tenure_band.');
  }
  for (const d of chosen) if (!ADJUSTMENTS.includes(d)) throw new AnalysisInputError(`unknown dimension ${d}`);
  const factors = [...EXPOSURES, ...chosen];
  const cols = await overFilteredCoded(engine, scope, filters, 'churn/cox_input', { numbers: MODEL_TIMES, categories: factors, orderBy: 'customer_id' });
  // The coding, the fit and its concordance run in the worker thread (drivers-model.ts).
  const model = await offThread('drivers', {
    entry: cols.numbers.entry_days,
    time: cols.numbers.time_days,
    event: cols.numbers.event,
    factors: factors.map((name) => ({ name, column: cols.categories[name] })),
    ties,
  });
  const { fit, terms: termInfo, merged_levels, constant_factors: constant, excluded } = model;
  const entry = model.delayed_entry;
  return {
    ...meta(scope),
    n: fit.n,
    events: fit.events,
    ties,
    concordance: model.concordance,
    loglik: fit.loglik,
    iterations: fit.iterations,
    terms: fit.terms.map((t, i) => ({
      term: t.name,
      factor: termInfo[i].factor,
      level: termInfo[i].level,
      reference: termInfo[i].reference,
      n: termInfo[i].n,
      coef: t.coef,
      se: t.se,
      hazard_ratio: t.hazardRatio,
      hr_ci: [t.hrLower, t.hrUpper] as [number, number],
      p_value: t.pValue,
    })),
    merged_levels,
    constant_factors: constant,
    delayed_entry: entry,
    note: `${CORRELATION_NOTE} Each hazard ratio is adjusted for the other terms.${entry ? ' Customers first seen late are at risk only from their first sighting (delayed entry).' : ''}${excluded ? ` ${excluded} ${excluded === 1 ? 'customer with an unclassified payment method is' : 'customers with an unclassified payment method are'} left out.` : ''}${
      merged_levels.length ? ` Levels below ${MIN_LEVEL_CUSTOMERS} customers or ${MIN_LEVEL_EVENTS} churn events are merged into a neighbour: ${merged_levels.map((m) => `${m.dimension} ${m.from} → ${m.into} (n = ${m.n})`).join(', ')}.` : ''
    }${constant.length ? ` ${constant.join(', ')} ${constant.length === 1 ? 'is' : 'are'} constant for these filters and left out.` : ''}`,
  };
}
