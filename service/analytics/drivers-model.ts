/**
 * The drivers' Cox model from its input columns to the fitted terms: the rows it may use, the
 * sparse levels merged (level-merging.ts), each factor dummy-coded against its reference
 * (dummy-coding.ts), the fit and Harrell's C. A pure function of plain data, so that it runs in the
 * worker thread (off-thread.ts): over a large base the coding alone took 0.5 s of the event loop and
 * the fit up to a second more. Refusals are AnalysisRefusedErrors, raised here, rebuilt as the same
 * class on the main thread.
 */
import type { CodedColumn } from '../db/coded-columns.ts';
import { concordance } from '../stats/concordance.ts';
import { CoxModelError, fitCox, type CoxCovariate, type CoxFit } from '../stats/cox.ts';
import { delayedEntry } from './delayed-entry.ts';
import { codeFactorCodes, MIN_LEVEL_CUSTOMERS, MIN_LEVEL_EVENTS } from './dummy-coding.ts';
import { AnalysisRefusedError } from './errors.ts';
import { chooseReference } from './group-stats.ts';
import { mergeSparseLevels, type LevelMerge } from './level-merging.ts';

export interface DriversInput {
  entry: Float64Array;
  time: Float64Array;
  event: Float64Array;
  /** The factors in model order: payment_method_class first, the exposures, then the adjustments. */
  factors: { name: string; column: CodedColumn }[];
  ties: 'efron' | 'breslow';
}

export interface DriversModel {
  fit: Omit<CoxFit, 'linearPredictor'>;
  /** Harrell's C; null when no pair is comparable. */
  concordance: number | null;
  terms: { factor: string; level: string; reference: string; n: number }[];
  merged_levels: LevelMerge[];
  constant_factors: string[];
  /** Customers left out for an unclassified payment method. */
  excluded: number;
  delayed_entry: boolean;
}

export function driversModel(input: DriversInput): DriversModel {
  const { entry: entryCol, time: timeCol, ties } = input;
  const method = input.factors.find((f) => f.name === 'payment_method_class')!.column;
  const unknown = method.levels.indexOf('unknown');
  // Delayed entry only when someone entered late; then a row needs time at risk after its entry.
  const late = delayedEntry(entryCol);
  // Typed arrays and plain loops: `Float64Array.from(array, fn)` and `reduce` over 220 000 rows took
  // 37–58 ms, these loops 2–16 ms.
  const all = new Int32Array(timeCol.length);
  let kept = 0;
  let excluded = 0;
  for (let i = 0; i < timeCol.length; i++) {
    // Unclassified payment methods are not an exposure level: leave those customers out, and say so.
    if (method.codes[i] === unknown) excluded++;
    else if (!late || timeCol[i] > entryCol[i]) all[kept++] = i;
  }
  const keep = all.subarray(0, kept);
  const time = new Float64Array(kept);
  const entry = late ? new Float64Array(kept) : undefined;
  const event = new Uint8Array(kept);
  let events = 0;
  for (let j = 0; j < kept; j++) {
    const i = keep[j];
    time[j] = timeCol[i];
    if (entry) entry[j] = entryCol[i];
    events += event[j] = input.event[i];
  }
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
  const terms: DriversModel['terms'] = [];
  const small: { factor: string; level: string; n: number; events: number }[] = [];
  const merged_levels: LevelMerge[] = [];
  const constant: string[] = [];
  for (const { name: f, column } of input.factors) {
    // Counted by code, then named: a level's text is the SQL value as the JSON answer shows it.
    const name = column.levels.map((l) => String(l));
    const byCode = name.map(() => ({ n: 0, events: 0 }));
    const firstSeen: number[] = [];
    for (let j = 0; j < keep.length; j++) {
      const k = column.codes[keep[j]];
      if (byCode[k].n++ === 0) firstSeen.push(k);
      byCode[k].events += event[j];
    }
    // In order of first appearance, as the levels of codeFactor.
    const counts = new Map(firstSeen.map((k) => [name[k], byCode[k]]));
    const { mapping, merges } = mergeSparseLevels(f, counts);
    merged_levels.push(...merges);
    // Each read code to the code of its merged level (levels absent from the kept rows map to anything).
    const merged: string[] = [];
    const mergedCode = Int32Array.from(name, (l) => {
      const m = mapping.get(l) ?? l;
      const at = merged.indexOf(m);
      return at >= 0 ? at : merged.push(m) - 1;
    });
    const codes = new Int32Array(keep.length);
    for (let j = 0; j < keep.length; j++) codes[j] = mergedCode[column.codes[keep[j]]];
    // The reference stays the level the unmerged data would have chosen, or the group it joined.
    const reference = chooseReference(f, [...counts].map(([key, c]) => ({ key, n: c.n, churned: c.events })));
    const coded = codeFactorCodes(f, codes, merged, event, reference ? () => mapping.get(reference)! : undefined);
    if (coded.levels.length < 2) {
      constant.push(f);
      continue;
    }
    for (const l of coded.levels) if (l.small) small.push({ factor: f, level: l.level, n: l.n, events: l.events });
    for (const d of coded.dummies) {
      covariates.push({ name: `${f}=${d.level}`, values: d.column() });
      terms.push({ factor: f, level: d.level, reference: coded.reference, n: d.n });
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
  let fit: CoxFit;
  try {
    fit = fitCox(time, event, covariates, { ties, entry });
  } catch (error) {
    if (error instanceof CoxModelError) {
      throw new AnalysisRefusedError(error.code === 'not_converged' ? 'not_converged' : 'model_refused', `the Cox model cannot be trusted here: ${error.message}`, { reason: error.code, terms: error.terms });
    }
    throw error;
  }
  const c = concordance(time, event, fit.linearPredictor, { entry });
  const { linearPredictor: _, ...rest } = fit;
  return { fit: rest, concordance: c.concordance, terms, merged_levels, constant_factors: constant, excluded, delayed_entry: entry !== undefined };
}
