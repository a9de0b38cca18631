/**
 * The churn analyses over the analysis base: churn by factor, dose–response, Kaplan–Meier with
 * log-rank, the Cox model of drivers and the segment × factor heat map. SQL (queries/) counts and
 * selects; the statistics (stats/) run in TypeScript. Every result names its window, its reference
 * group and its sample sizes.
 */
import { CoxModelError, type CoxCovariate } from '../stats/cox.ts';
import { offThread } from '../off-thread.ts';
import { kaplanMeier } from '../stats/kaplan-meier.ts';
import { logRank } from '../stats/log-rank.ts';
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
import { codeFactor, MIN_LEVEL_CUSTOMERS, MIN_LEVEL_EVENTS } from './dummy-coding.ts';
import { AnalysisInputError, AnalysisRefusedError } from './errors.ts';
import { mergeSparseLevels, type LevelMerge } from './level-merging.ts';
import { chooseReference, groupStats, isSmallSample, type Count } from './group-stats.ts';
import { overFiltered, overFilteredColumns, type Engine } from './runner.ts';
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

/** Days at which survival curves are reported: every event time thinned to about 200 points. */
function reportTimes(maxDays: number): number[] {
  const step = Math.max(1, Math.ceil(maxDays / 200));
  const times: number[] = [];
  for (let t = 0; t <= maxDays; t += step) times.push(t);
  if (times[times.length - 1] !== maxDays) times.push(Math.ceil(maxDays));
  return times;
}

/**
 * Whether anyone entered late. Only then do the fits get entry times: otherwise they take the plain
 * right-censored path, as R does for Surv(time, event). With entry times, a row whose exit is not
 * after its entry has no time at risk (R refuses Surv(0, 0, ·)), so the callers drop such rows.
 */
function delayedEntry(entry: ArrayLike<number>): boolean {
  for (let i = 0; i < entry.length; i++) if (entry[i] > 0) return true;
  return false;
}

export async function survival(engine: Engine, filters: Filters, by: Factor, atTimes?: readonly number[]): Promise<SurvivalCurves> {
  const scope = await resolveScope(engine.db, filters, 'lifetime');
  const cols = await overFilteredColumns(engine, scope, filters, 'churn/survival_input', { identifiers: { factor: by } });
  const allEntry = (cols.entry_days as number[]) ?? [];
  const late = delayedEntry(allEntry);
  const rows: number[] = [];
  for (let i = 0; i < (cols.time_days as number[]).length; i++) if (!late || (cols.time_days as number[])[i] > allEntry[i]) rows.push(i);
  const keys = rows.map((i) => String((cols.key as string[])[i]));
  const times = Float64Array.from(rows, (i) => Number((cols.time_days as number[])[i]));
  const entries = Float64Array.from(rows, (i) => Number(allEntry[i]));
  const eventsCol = Uint8Array.from(rows, (i) => Number((cols.event as number[])[i]));
  const groups = new Map<string, { t: number[]; e: number[]; en: number[] }>();
  for (let i = 0; i < keys.length; i++) {
    const g = groups.get(keys[i]) ?? { t: [], e: [], en: [] };
    g.t.push(times[i]);
    g.e.push(eventsCol[i]);
    g.en.push(entries[i]);
    groups.set(keys[i], g);
  }
  const maxDays = times.reduce((m, t) => Math.max(m, t), 0);
  const at = reportTimes(maxDays);
  const curves = [...groups].sort((a, b) => b[1].t.length - a[1].t.length).map(([key, g]) => {
    const entry = late ? g.en : undefined;
    const fit = kaplanMeier(g.t, g.e, { times: at, entry });
    const curve = {
      key,
      n: fit.n,
      events: fit.events,
      entered_late: late ? g.en.filter((v) => v > 0).length : 0,
      median_days: fit.median,
      small_sample: isSmallSample(fit.n),
      points: fit.at.filter((p) => !p.beyondFollowUp).map((p) => ({ t_days: p.time, survival: p.survival, lower: p.lower, upper: p.upper, at_risk: p.atRisk })),
    };
    if (!atTimes) return curve;
    // R's summary(survfit, times =): exactly the times asked for, carried forward (and flagged) past follow-up.
    const exact = kaplanMeier(g.t, g.e, { times: atTimes, entry }).at;
    return { ...curve, at_times: exact.map((p) => ({ t_days: p.time, survival: p.survival, std_err: p.stdErr, lower: p.lower, upper: p.upper, at_risk: p.atRisk, beyond_follow_up: p.beyondFollowUp })) };
  });
  let log_rank: SurvivalCurves['log_rank'] = null;
  if (groups.size >= 2) {
    const lr = logRank(times, eventsCol, keys, late ? { entry: entries } : {});
    if (lr.chiSquare !== null && lr.pValue !== null) log_rank = { chi_square: lr.chiSquare, df: lr.df, p_value: lr.pValue };
  }
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
  const cols = await overFilteredColumns(engine, scope, filters, 'churn/cox_input');
  // Unclassified payment methods are not an exposure level: leave those customers out, and say so.
  const pmc = cols.payment_method_class as string[];
  const entryCol = ((cols.entry_days as number[]) ?? []).map(Number);
  const timeCol = (cols.time_days as number[]).map(Number);
  // Delayed entry only when someone entered late; then a row needs time at risk after its entry.
  const late = delayedEntry(entryCol);
  const keep: number[] = [];
  for (let i = 0; i < pmc.length; i++) if (pmc[i] !== 'unknown' && (!late || timeCol[i] > entryCol[i])) keep.push(i);
  const excluded = pmc.filter((v) => v === 'unknown').length;
  const time = Float64Array.from(keep, (i) => timeCol[i]);
  const entry = late ? Float64Array.from(keep, (i) => entryCol[i]) : undefined;
  const event = Uint8Array.from(keep, (i) => Number((cols.event as number[])[i]));
  const factors = [...EXPOSURES, ...chosen];
  const column = (name: string) => {
    const all = cols[name] as unknown[];
    return keep.map((i) => String(all[i]));
  };
  const events = event.reduce((s, e) => s + e, 0);
  if (keep.length === 0 || events === 0) {
    throw new AnalysisRefusedError('model_refused', `no ${keep.length === 0 ? 'customers' : 'churn events'} match these filters in this window; the model cannot be fitted`, { n: keep.length, events });
  }
  // No merging can lift a selection whose customers or churn events are below one level's
  // thresholds: refuse, naming the numbers (level-merging.ts).
  if (keep.length < MIN_LEVEL_CUSTOMERS || events < MIN_LEVEL_EVENTS) {
    throw new AnalysisRefusedError(
      'group_too_small',
      `the model refuses: these filters leave ${keep.length} customers with ${events} churn events in this window, below the ${MIN_LEVEL_CUSTOMERS} customers and ${MIN_LEVEL_EVENTS} churn events one level needs, so merging levels cannot help. Widen the filters or the window.`,
      { n: keep.length, events, min_customers: MIN_LEVEL_CUSTOMERS, min_events: MIN_LEVEL_EVENTS },
    );
  }
  const covariates: CoxCovariate[] = [];
  const termInfo: { factor: string; level: string; reference: string; n: number }[] = [];
  const small: { factor: string; level: string; n: number; events: number }[] = [];
  const merged_levels: LevelMerge[] = [];
  const constant: string[] = [];
  for (const f of factors) {
    const raw = column(f);
    const counts = new Map<string, { n: number; events: number }>();
    raw.forEach((v, i) => {
      const c = counts.get(v) ?? { n: 0, events: 0 };
      c.n++;
      c.events += event[i];
      counts.set(v, c);
    });
    const { mapping, merges } = mergeSparseLevels(f, counts);
    merged_levels.push(...merges);
    const values = raw.map((v) => mapping.get(v)!);
    // The reference stays the level the unmerged data would have chosen, or the group it joined.
    const reference = chooseReference(f, [...counts].map(([key, c]) => ({ key, n: c.n, churned: c.events })));
    const coded = codeFactor(f, values, event, reference ? () => mapping.get(reference)! : undefined);
    if (coded.levels.length < 2) {
      constant.push(f);
      continue;
    }
    for (const l of coded.levels) if (l.small) small.push({ factor: f, level: l.level, n: l.n, events: l.events });
    for (const d of coded.dummies) {
      covariates.push({ name: `${f}=${d.level}`, values: d.column() });
      termInfo.push({ factor: f, level: d.level, reference: coded.reference, n: d.n });
    }
  }
  if (small.length) {
    // Unreachable by construction (merging leaves no thin level beside another), kept as a guard.
    throw new AnalysisRefusedError(
      'group_too_small',
      `the model refuses: ${small.map((s) => `${s.factor}=${s.level} (${s.n} customers, ${s.events} churned)`).join('; ')} ${small.length === 1 ? 'is' : 'are'} below ${MIN_LEVEL_CUSTOMERS} customers or ${MIN_LEVEL_EVENTS} churn events even after merging. Widen the filters or window.`,
      { groups: small, min_customers: MIN_LEVEL_CUSTOMERS, min_events: MIN_LEVEL_EVENTS },
    );
  }
  if (!covariates.length) {
    throw new AnalysisRefusedError('model_refused', `every factor is constant for these filters (${constant.join(', ')}): there is nothing to compare`, { constant });
  }
  let fit;
  let c;
  try {
    // In the worker thread: a fit over a large base takes a core for up to seconds (off-thread.ts).
    ({ fit, concordance: c } = await offThread('cox', { time, event, covariates, options: { ties, entry } }));
  } catch (error) {
    if (error instanceof CoxModelError) {
      throw new AnalysisRefusedError(error.code === 'not_converged' ? 'not_converged' : 'model_refused', `the Cox model cannot be trusted here: ${error.message}`, { reason: error.code, terms: error.terms });
    }
    throw error;
  }
  return {
    ...meta(scope),
    n: fit.n,
    events: fit.events,
    ties,
    concordance: c.concordance,
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
    delayed_entry: entry !== undefined,
    note: `${CORRELATION_NOTE} Each hazard ratio is adjusted for the other terms.${entry ? ' Customers first seen late are at risk only from their first sighting (delayed entry).' : ''}${excluded ? ` ${excluded} customers with an unclassified payment method are left out.` : ''}${
      merged_levels.length ? ` Levels below ${MIN_LEVEL_CUSTOMERS} customers or ${MIN_LEVEL_EVENTS} churn events are merged into a neighbour: ${merged_levels.map((m) => `${m.dimension} ${m.from} → ${m.into} (n = ${m.n})`).join(', ')}.` : ''
    }${constant.length ? ` ${constant.join(', ')} ${constant.length === 1 ? 'is' : 'are'} constant for these filters and left out.` : ''}`,
  };
}
