/**
 * Builds and caches everything the offer endpoints read, once per data version and window (as-of,
 * look-back, horizon), like analytics/base-cache.ts does for the analysis base: the offer facts of
 * the landmark window and of the scoring window, the fitted risk model, every active customer's
 * risk, each offer's candidates with their eligibility blocks and expected value, and the one best
 * offer per customer. All of it lives in DuckDB tables of the in-memory `analysis_cache` schema, so
 * a request only aggregates or pages a table of a few hundred thousand rows. Any committed write
 * (an ingest, a catalogue save, an erasure) bumps the database version and so invalidates it all.
 * The segment filters are applied when reading, never when building: a customer's best offer and
 * risk do not depend on how the audience is sliced.
 */
import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import type { Engine } from '../analytics/runner.ts';
import type { Filters } from '../analytics/contracts.ts';
import { resolveScope, scopeFor, scoringScope, type AnalysisScope } from '../analytics/scope.ts';
import { reflects } from '../analytics/reflected.ts';
import { namedParams } from '../db/sql-compose.ts';
import { sql } from '../db/sql-files.ts';
import { loadCatalogue, type StoredCatalogue } from './catalogue.ts';
import type { Evidence, Offer } from './contracts.ts';
import { ACCEPTANCE_WINDOW_DAYS, acceptanceEvidence, effectOf, gapEvidence, type GapCounts } from './evidence.ts';
import { offThread } from '../off-thread.ts';
import { linearPredictorSql, MODEL_FACTORS, validate, type ModelFactor, type ModelRows, type RiskFit, type Validation } from './risk-model.ts';
import { compileRule, compileTemplate, fill } from './rules.ts';
import { inBackground } from '../background.ts';

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const shiftDays = (date: string, days: number) => day(Date.parse(`${date}T00:00:00Z`) + days * DAY);

export interface OfferEvaluation {
  offer: Offer;
  position: number;
  gap: Evidence['gap'];
  acceptance: Evidence['acceptance'];
  effect: Evidence['effect'];
}

export interface OfferState {
  asOf: string;
  lookbackDays: number;
  horizonDays: number;
  /** End of the as-of day (exclusive), ISO. */
  asOfEnd: string;
  fitScope: AnalysisScope;
  catalogue: StoredCatalogue;
  model: RiskFit;
  evaluations: OfferEvaluation[];
  tables: { fitFacts: string; scoreFacts: string; scored: string; history: string; candidates: string; best: string };
  /** Milliseconds per build step (benchmarks print them). */
  timings: Record<string, number>;
}


export const CANDIDATES_DDL = `(customer_id VARCHAR, offer_id VARCHAR, position INTEGER, channel VARCHAR,
  blocked_cooldown BOOLEAN, blocked_after_acceptance BOOLEAN, blocked_recent_offer BOOLEAN,
  expected_reduction DOUBLE, cost_per_acceptor DOUBLE, expected_value DOUBLE, reason VARCHAR)`;

// The build's statements with their bindings, exported so the per-query tests
// (test/unit/queries/offers/pipeline.ts) run exactly what build() runs.

/** The statement that counts an offer's behaviour gap on the landmark facts `facts` (queries/offers/behaviour_gap.sql). */
export function gapStatement(facts: string, offer: Offer) {
  return fill(sql('offers/behaviour_gap', { facts }), { exposed: compileRule(offer.behaviour.exposed, 'x'), changed_to: compileRule(offer.behaviour.changed_to, 'y') });
}

/** The statement that scores every active customer of `facts` with `model` (queries/offers/scored_customers.sql). */
export function scoredStatement(facts: string, model: RiskFit, exchangeRates: Record<string, number>) {
  const rates = Object.entries(exchangeRates);
  const q = fill(sql('offers/scored_customers', { facts }), { linear_predictor: linearPredictorSql(model, 'f') });
  return { text: q.text, params: { ...q.params, baseline_hazard: model.baseline, rate_currencies: listValue(rates.map((r) => r[0])), rate_values: listValue(rates.map((r) => String(r[1]))) } };
}

/** The statement that appends one offer's candidates to `tables.candidates` (queries/offers/offer_candidates.sql). */
export function candidatesStatement(tables: { candidates: string; scored: string; history: string }, ev: Pick<OfferEvaluation, 'offer' | 'position' | 'acceptance' | 'effect'>, asOfEnd: string) {
  const o = ev.offer;
  return fill(sql('offers/offer_candidates', { candidates: tables.candidates, scored: tables.scored, history: tables.history }), { target: compileRule(o.target, 't', 's'), reason: compileTemplate(o.reason, 'r', 's') }, {
    offer_id: o.id,
    position: ev.position,
    channel: o.channel,
    exp_end: asOfEnd,
    cooldown_days: o.eligibility.cooldown_days,
    after_acceptance_days: o.eligibility.after_acceptance_days,
    min_days_since_any_offer: o.eligibility.min_days_since_any_offer,
    // An offer without a usable measured effect is valued at zero reduction (never recommended).
    effect: ev.effect.value ?? 0,
    acceptance: ev.acceptance.rate,
    monthly_cost: o.monthly_cost,
    discount: o.price_discount_share,
  });
}

/**
 * The model input's fingerprint: its row count and the sum of its rows' 64-bit hashes (customer id
 * included, so the order the fit reads them in is covered). Equal fingerprints mean the same rows,
 * up to a 2⁻⁶⁴ chance per changed row.
 */
async function modelInputFingerprint(c: DuckDBConnection, facts: string): Promise<string> {
  const r = (await c.runAndReadAll(`SELECT count(*) AS n, sum(hash(m))::HUGEINT AS h FROM (${sql('offers/model_input', { facts })}) m`)).getRowObjectsJson()[0];
  return `${r.n}:${r.h}`;
}

async function readModelRows(c: DuckDBConnection, facts: string): Promise<ModelRows> {
  const cols = (await c.runAndReadAll(sql('offers/model_input', { facts }))).getColumnsObjectJS() as Record<string, unknown[]>;
  const time = Float64Array.from((cols.time_days ?? []) as number[]);
  const event = Uint8Array.from((cols.event ?? []) as number[]);
  const factors = Object.fromEntries(MODEL_FACTORS.map((f) => [f, ((cols[f] ?? []) as (string | null)[]).map((v) => v ?? 'unknown')])) as Record<ModelFactor, string[]>;
  return { time, event, factors };
}

interface Entry<T> {
  version: number;
  /** db.writesVersion when it was built: after a settings, catalogue or erasure write it is never served again. */
  writes: number;
  /** The batch of the published snapshot it was built from. */
  batch: number;
  ready: Promise<T>;
  /** Set once `ready` resolved: only a finished entry is served while its successor builds. */
  done: boolean;
  /** How long it took to build (once done): the slack of its staleness bound (FactsUpkeep.stillServable). */
  buildMs: number;
  used: number;
  tables: string[];
  /** The entry for the current snapshot, while it is being built. */
  next?: Promise<unknown>;
}

/** Windows kept per data version (each holds a few tables of one row per customer). */
const KEEP = 3;
/** Numbers the scratch tables: one name space for every offer engine of the process. */
let tableCounter = 0;
/** Fits kept by their input's fingerprint: the fit and validation windows of a few as-of dates. */
const KEEP_FITS = 8;

export class OfferEngine {
  private readonly states = new Map<string, Entry<OfferState>>();
  private readonly validations = new Map<string, Entry<{ validation: Validation; fit: RiskFit; fitScope: AnalysisScope }>>();
  /**
   * The fitted models by their input's fingerprint. The offer state is rebuilt at every data
   * version, but the fit window ends one horizon before the as-of date: the events of a live
   * trickle (dated now) rarely change its rows, and a fit over every customer of the window takes
   * seconds of a core (about 9 s on the large set). A fit is a deterministic function of its rows
   * in order, so reusing it for equal rows gives exactly the answer a refit would.
   */
  private readonly fits = new Map<string, Promise<RiskFit>>();
  /** How many fits ran and how many were reused (tests and benchmarks read them). */
  readonly counters = { fits: 0, fit_reuses: 0 };

  constructor(readonly engine: Engine) {}

  /** The risk model fitted on the offer facts `facts` (model_input.sql), or the same fit reused. */
  private async fitFor(c: DuckDBConnection, facts: string): Promise<RiskFit> {
    const key = await modelInputFingerprint(c, facts);
    const hit = this.fits.get(key);
    if (hit) {
      this.counters.fit_reuses++;
      this.fits.delete(key);
      this.fits.set(key, hit);
      return hit;
    }
    this.counters.fits++;
    const fit = readModelRows(c, facts).then((rows) => offThread('risk_model', rows));
    this.fits.set(key, fit);
    // A failed fit (a refusal, a lost worker) is not kept: the next build tries again.
    fit.catch(() => this.fits.get(key) === fit && this.fits.delete(key));
    if (this.fits.size > KEEP_FITS) this.fits.delete(this.fits.keys().next().value!);
    return fit;
  }

  private get db() {
    return this.engine.db;
  }

  /** The built state for the window the filters name (segment filters are ignored here). */
  async state(filters: Filters): Promise<OfferState> {
    // Derived facts catch up after each ingest; key on the version they settle at.
    await this.engine.upkeep.readable();
    const scope = await resolveScope(this.db, filters, 'landmark');
    const key = `${scope.asOf}|${filters.lookback_days}|${filters.horizon_days}`;
    return this.memo(this.states, key, (tables) => this.build(scope.asOf, filters.lookback_days, filters.horizon_days, tables));
  }

  /** The temporal hold-out: the same model fitted one horizon earlier, scored on the later window. */
  async validation(filters: Filters): Promise<{ validation: Validation; fit: RiskFit; fitScope: AnalysisScope }> {
    await this.engine.upkeep.readable();
    const scope = await resolveScope(this.db, filters, 'landmark');
    const L = filters.lookback_days;
    const H = filters.horizon_days;
    const key = `${scope.asOf}|${L}|${H}`;
    return this.memo(this.validations, key, async (tables) => {
      const state = await this.state(filters);
      const earlierScope = scopeFor(shiftDays(scope.asOf, -H), 'landmark', L, H);
      const earlierBase = await this.engine.cache.table(earlierScope);
      const earlierFacts = this.name('offer_facts', tables);
      return this.db.withConnection(async (c) => {
        await c.run(`CREATE TABLE ${earlierFacts} AS ${sql('offers/offer_facts', { base: earlierBase })}`, namedParams(sql('offers/offer_facts', { base: earlierBase }), earlierScope.params as never));
        const fit = await this.fitFor(c, earlierFacts);
        const test = await readModelRows(c, state.tables.fitFacts);
        return { validation: validate(fit, test), fit, fitScope: earlierScope };
      });
    });
  }

  private attached: Promise<void> | null = null;

  /** The in-memory schema the offer tables live in: scratch, rebuilt from the stored bases after a restart. */
  private scratch(): Promise<void> {
    this.attached ??= this.db.withConnection(async (c) => {
      await c.run(`ATTACH IF NOT EXISTS ':memory:' AS analysis_cache`);
    });
    return this.attached;
  }

  private name(kind: string, tables: string[]): string {
    const t = `analysis_cache.${kind}_${++tableCounter}`;
    tables.push(t);
    return t;
  }

  /**
   * The entry for `key` at the current snapshot. Building one takes seconds (a model fit over every
   * customer), so when the snapshot moved on and the previous entry is finished and within the
   * staleness bound widened by its own build time (a reader waiting for the successor would get no
   * fresher data by the time it is answered), that one is served (and the answer says which batch it reflects:
   * analytics/reflected.ts) while its successor is built in the background; it replaces the old
   * one when ready. Without a usable predecessor the caller waits for the build.
   */
  private async memo<T>(map: Map<string, Entry<T>>, key: string, build: (tables: string[]) => Promise<T>): Promise<T> {
    const version = this.db.analysisVersion;
    const hit = map.get(key);
    if (hit && hit.version === version) {
      hit.used = performance.now();
      reflects(hit.batch);
      return hit.ready;
    }
    if (hit?.done && (await this.engine.upkeep.stillServable(hit.batch, hit.writes, hit.buildMs))) {
      hit.used = performance.now();
      // Built as background work: its risk-model fit yields to readers' tasks in the worker threads.
      hit.next ??= inBackground(async () => this.start(map, key, build, version).ready)
        .catch(() => undefined)
        .finally(() => (hit.next = undefined));
      reflects(hit.batch);
      return hit.ready;
    }
    const entry = this.start(map, key, build, version);
    return entry.ready;
  }

  private start<T>(map: Map<string, Entry<T>>, key: string, build: (tables: string[]) => Promise<T>, version: number): Entry<T> {
    const tables: string[] = [];
    const started = performance.now();
    const entry: Entry<T> = { version, writes: this.db.writesVersion, batch: this.engine.upkeep.watermark, used: started, tables, done: false, buildMs: 0, ready: Promise.resolve(null as T) };
    entry.ready = this.scratch()
      .then(() => build(tables))
      .then((value) => {
        entry.done = true;
        entry.buildMs = performance.now() - started;
        // Only now does it replace its predecessor (served meanwhile), unless a newer one already did.
        const current = map.get(key);
        if (current !== entry && (!current || current.version <= version)) {
          map.set(key, entry);
          if (current) this.drop(current.tables, 30_000);
        }
        this.evict(map);
        return value;
      })
      .catch((error) => {
        if (map.get(key) === entry) map.delete(key);
        this.drop(tables, 0);
        throw error;
      });
    // A caller with no predecessor to read waits for this one: make it findable at once.
    if (!map.get(key)?.done) map.set(key, entry);
    return entry;
  }

  private evict<T>(map: Map<string, Entry<T>>): void {
    // Beyond KEEP windows, the least recently used go (after a delay: a request that fetched the
    // names just before may still be reading them).
    for (const [key, entry] of [...map.entries()].sort((a, b) => b[1].used - a[1].used).slice(KEEP)) {
      if (!map.delete(key)) continue;
      this.drop(entry.tables, 30_000);
    }
  }

  private drop(tables: string[], delay: number): void {
    if (!tables.length) return;
    setTimeout(() => {
      this.db.withConnection(async (c) => {
        for (const t of tables) await c.run(`DROP TABLE IF EXISTS ${t}`);
      }).catch(() => undefined);
    }, delay).unref();
  }

  private async build(asOf: string, L: number, H: number, tables: string[]): Promise<OfferState> {
    const timings: Record<string, number> = {};
    let mark = performance.now();
    const step = (name: string) => {
      const now = performance.now();
      timings[name] = Math.round(now - mark);
      mark = now;
    };
    const catalogue = await loadCatalogue(this.db);
    const fitScope = scopeFor(asOf, 'landmark', L, H);
    const scoreScope = scoringScope(asOf, L);
    // The analysis bases are shared with the churn endpoints (the fit window is the drivers' default).
    const [fitBase, scoreBase] = await Promise.all([this.engine.cache.table(fitScope), this.engine.cache.table(scoreScope)]);
    step('analysis_bases');
    const t = {
      fitFacts: this.name('offer_facts', tables),
      scoreFacts: this.name('offer_facts', tables),
      scored: this.name('offer_scored', tables),
      history: this.name('offer_history', tables),
      candidates: this.name('offer_candidates', tables),
      best: this.name('offer_best', tables),
    };
    const asOfEnd = scoreScope.params.exp_end;
    return this.db.withConnection(async (c) => {
      const create = async (table: string, text: string, params: Record<string, unknown>) => c.run(`CREATE TABLE ${table} AS ${text}`, namedParams(text, params) as never);
      await create(t.fitFacts, sql('offers/offer_facts', { base: fitBase }), fitScope.params as never);
      await create(t.scoreFacts, sql('offers/offer_facts', { base: scoreBase }), scoreScope.params as never);
      step('offer_facts');
      const model = await this.fitFor(c, t.fitFacts);
      step('model_fit');

      // Evidence per offer: the measured gap on the landmark window, and observed acceptance.
      const observed = new Map(
        (await c.runAndReadAll(sql('offers/observed_acceptance'), { exp_end: asOfEnd, window_days: ACCEPTANCE_WINDOW_DAYS })).getRowObjectsJson().map((r) => [String(r.offer_id), { shown: Number(r.shown), accepted: Number(r.accepted) }]),
      );
      const window = fitScope.window!;
      const evaluations: OfferEvaluation[] = [];
      for (const [position, offer] of catalogue.document.offers.entries()) {
        const q = gapStatement(t.fitFacts, offer);
        const row = (await c.runAndReadAll(q.text, q.params)).getRowObjectsJson()[0];
        const counts: GapCounts = { exposed_n: Number(row.exposed_n), exposed_churned: Number(row.exposed_churned), changed_n: Number(row.changed_n), changed_churned: Number(row.changed_churned) };
        const gap = gapEvidence(offer, counts, window);
        evaluations.push({ offer, position, gap, acceptance: acceptanceEvidence(offer, observed.get(offer.id)), effect: effectOf(gap) });
      }

      step('evidence');
      // Risk for every active customer, then each enabled offer's candidates, then the best offer.
      const scoredText = scoredStatement(t.scoreFacts, model, catalogue.document.exchange_rates);
      await create(t.scored, scoredText.text, scoredText.params);
      // The scored table carries every fact column; the unscored copy is no longer needed.
      await c.run(`DROP TABLE ${t.scoreFacts}`);
      step('scores');
      await create(t.history, sql('offers/offer_history'), { exp_end: asOfEnd });
      await c.run(`CREATE TABLE ${t.candidates} ${CANDIDATES_DDL}`);
      for (const ev of evaluations) {
        if (!ev.offer.enabled) continue;
        const q = candidatesStatement(t, ev, asOfEnd);
        await c.run(q.text, q.params);
      }
      step('candidates');
      await create(t.best, sql('offers/best_offer', { candidates: t.candidates, scored: t.scored }), {});
      step('best_offer');
      return { asOf, lookbackDays: L, horizonDays: H, asOfEnd, fitScope, catalogue, model, evaluations, tables: t, timings };
    });
  }
}

const engines = new WeakMap<Engine, OfferEngine>();
/** One offer engine per analysis engine (shared by the offers and customers routes). */
export function offerEngineFor(engine: Engine): OfferEngine {
  let e = engines.get(engine);
  if (!e) engines.set(engine, (e = new OfferEngine(engine)));
  return e;
}
