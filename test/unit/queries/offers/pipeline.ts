/**
 * The offers scoring pipeline that service/offers/engine.ts `build()` runs, on seven hand-made
 * customers, for the tests of the SQL files that read its tables (scored customers, candidates,
 * best offer). The statements and their bindings are the engine's own (scoredStatement,
 * candidatesStatement, CANDIDATES_DDL), run in its order over the analysis bases of its two
 * windows. Two inputs are chosen here instead of fitted or measured, so every value can be counted
 * by hand: the real fit refuses fewer than 20 churn events and the real evidence gives no effect
 * below 30 customers per group (so nothing would be recommended), and both are tested on their own
 * in test/unit/offers/. The chosen model is H₀(h) = ln 2 with a coefficient of ln 2 for manual
 * payers and for paying late once, so risk = 1 − 2^−(2^k) for k of those two: 0.5, 0.75 or 0.9375.
 *
 * As of 2025-06-30, look-back 180 days, horizon 90 (fit landmark 2025-04-02, 90 days before the as-of
 * end; scoring exposures from 2025-01-02 to 2025-07-01). Rates to EUR: SEK and NOK
 * 0.1. Invoices are issued 2025-05-01 and due 2025-05-31 unless said otherwise.
 *
 * - p1 telecom SE, 200 SEK: email invoice viewed, paid late 2025-06-10 by OCR transfer (manual,
 *   late once: risk 0.9375).
 * - p2 energy SE, 50 EUR: paper invoice paid on time by autogiro (automatic: risk 0.5).
 * - p3 telecom NO, 300 NOK: email invoice paid on time by Swish (manual: 0.75); shown
 *   soft_reminder (which does not target it) 2025-06-20, within the 30-day limit on any offer.
 * - p4 energy SE, 100 SEK: paper invoice 2025-02-01 paid late by OCR transfer; cancelled
 *   2025-05-15, so it churned within the fit horizon and is not scored.
 * - p5 energy SE, 80 CHF (no rate: no reporting price): paper invoice paid on time by OCR transfer
 *   (manual: 0.75); shown direct_debit 2024-12-01 and accepted it 2024-12-10 (within 365 days).
 * - p6 telecom SE, 100 SEK: paper invoice paid late 2025-06-15 by recurring card (automatic, late
 *   once: 0.75).
 * - p7 telecom SE, 400 SEK: email invoice paid on time by OCR transfer (manual: 0.75).
 * - p8 telecom SE, 100 SEK: like p7, and shown direct_debit 2025-05-01 (within its 90-day
 *   cooldown, not within 30 days).
 *
 * So each eligibility limit alone blocks one customer's direct_debit: p3 recent offer, p5 after
 * acceptance, p8 cooldown.
 *
 *
 * The catalogue, in this order: direct_debit (manual payers; acceptance 0.1, effect 0.5),
 * soft_reminder (manual payers with a late invoice; best-opened channel; acceptance 0.25, cost 0.05,
 * effect 0.4), e_invoice (paper invoices; acceptance 0.2, discount share 0.05, effect 0.2) and
 * loyalty (disabled, so it has no candidates).
 */
import { afterAll, beforeAll } from 'vitest';
import { analysisBaseSql } from '../../../../service/analytics/base-sql.ts';
import { scopeFor } from '../../../../service/analytics/scope.ts';
import { namedParams } from '../../../../service/db/sql-compose.ts';
import { sql } from '../../../../service/db/sql-files.ts';
import { CatalogueDocument } from '../../../../service/offers/contracts.ts';
import { scoringScope } from '../../../../service/analytics/scope.ts';
import { CANDIDATES_DDL, candidatesStatement, scoredStatement } from '../../../../service/offers/engine.ts';
import type { RiskFit, RiskTerm } from '../../../../service/offers/risk-model.ts';
import { openStore, type Ev, type Store } from '../store.ts';

export const AS_OF = '2025-06-30';
export const AS_OF_END = '2025-07-01T00:00:00Z';
export const LOOKBACK = 180;
export const HORIZON = 90;

const start = (id: string, vertical: string, market: string, price: number, currency: string): Ev[] => [
  { type: 'subscription_started', at: '2024-01-01T08:00:00Z', customer: id, plan: 'basic', monthly_price: price, currency },
  { type: 'customer_updated', at: '2024-01-01T08:00:01Z', customer: id, vertical, market, birth_year: 1980 },
];
/** An invoice issued at midnight UTC, paid in full at 10:00 on `paid`, viewed the next day if `viewed`. */
const invoice = (customer: string, issued: string, due_date: string, channel: string, amount: number, paid: string, method: string, viewed = false): Ev[] => [
  { type: 'invoice_issued', at: `${issued}T00:00:00Z`, customer, invoice_id: `${customer}-${issued}`, amount, due_date, channel },
  ...(viewed ? [{ type: 'invoice_viewed', at: `${issued}T12:00:00Z`, customer, invoice_id: `${customer}-${issued}`, channel }] : []),
  { type: 'payment_received', at: `${paid}T10:00:00Z`, customer, invoice_id: `${customer}-${issued}`, amount, method },
];
const offer = (type: 'offer_shown' | 'offer_accepted', customer: string, offer_id: string, day: string): Ev => ({ type, at: `${day}T12:00:00Z`, customer, offer_id });

export const PIPELINE_EVENTS: Ev[] = [
  ...start('p1', 'telecom', 'SE', 200, 'SEK'),
  ...invoice('p1', '2025-05-01', '2025-05-31', 'email', 200, '2025-06-10', 'ocr_transfer', true),
  ...start('p2', 'energy', 'SE', 50, 'EUR'),
  ...invoice('p2', '2025-05-01', '2025-05-31', 'paper', 50, '2025-05-20', 'autogiro'),
  ...start('p3', 'telecom', 'NO', 300, 'NOK'),
  ...invoice('p3', '2025-05-01', '2025-05-31', 'email', 300, '2025-05-20', 'swish'),
  offer('offer_shown', 'p3', 'soft_reminder', '2025-06-20'),
  ...start('p4', 'energy', 'SE', 100, 'SEK'),
  ...invoice('p4', '2025-02-01', '2025-02-28', 'paper', 100, '2025-03-10', 'ocr_transfer'),
  { type: 'subscription_cancelled', at: '2025-05-15T10:00:00Z', customer: 'p4', reason: 'price' },
  ...start('p5', 'energy', 'SE', 80, 'CHF'),
  ...invoice('p5', '2025-05-01', '2025-05-31', 'paper', 80, '2025-05-20', 'ocr_transfer'),
  offer('offer_shown', 'p5', 'direct_debit', '2024-12-01'),
  offer('offer_accepted', 'p5', 'direct_debit', '2024-12-10'),
  ...start('p6', 'telecom', 'SE', 100, 'SEK'),
  ...invoice('p6', '2025-05-01', '2025-05-31', 'paper', 100, '2025-06-15', 'card_recurring'),
  ...start('p7', 'telecom', 'SE', 400, 'SEK'),
  ...invoice('p7', '2025-05-01', '2025-05-31', 'email', 400, '2025-05-20', 'ocr_transfer'),
  ...start('p8', 'telecom', 'SE', 100, 'SEK'),
  ...invoice('p8', '2025-05-01', '2025-05-31', 'email', 100, '2025-05-20', 'ocr_transfer'),
  offer('offer_shown', 'p8', 'direct_debit', '2025-05-01'),
];

const manual = { column: 'payment_method_class', op: 'eq', value: 'manual' } as const;
const behaviour = { description: 'a → b', exposed: manual, changed_to: manual };

export const CATALOGUE = CatalogueDocument.parse({
  reporting_currency: 'EUR',
  exchange_rates: { EUR: 1, SEK: 0.1, NOK: 0.1 },
  offers: [
    { id: 'direct_debit', name: 'Direct debit', description: 'd', channel: 'invoice', target: manual, behaviour, acceptance_rate: 0.1, reason: 'Pays manually ({payment_method})' },
    {
      id: 'soft_reminder',
      name: 'Reminder',
      description: 'd',
      channel: 'best_opened',
      target: { all: [manual, { column: 'late_invoices', op: 'gte', value: 1 }] },
      behaviour,
      acceptance_rate: 0.25,
      monthly_cost: 0.05,
      reason: '{late_invoices} late invoice(s); via {best_opened_channel}',
    },
    { id: 'e_invoice', name: 'E-invoice', description: 'd', channel: 'invoice', target: { column: 'invoice_channel', op: 'eq', value: 'paper' }, behaviour, acceptance_rate: 0.2, price_discount_share: 0.05, reason: 'Receives paper invoices' },
    { id: 'loyalty', name: 'Loyalty', description: 'd', channel: 'invoice', enabled: false, target: { column: 'tenure_days', op: 'lt', value: 730 }, behaviour, acceptance_rate: 0.5, reason: 'Loyal' },
  ],
});

/** The effect each offer is valued at (in production: effectOf the measured gap). */
export const EFFECTS: Record<string, number> = { direct_debit: 0.5, soft_reminder: 0.4, e_invoice: 0.2, loyalty: 0.5 };

const term = (factor: RiskTerm['factor'], level: string, reference: string): RiskTerm => ({ factor, level, reference, n: 0, coef: Math.LN2, se: 0, hazardRatio: 2, hrCi: [2, 2], pValue: 0 });
/** The chosen model: only `terms` and `baseline` reach the SQL (linearPredictorSql, $baseline_hazard). */
export const MODEL: RiskFit = {
  n: 0,
  events: 0,
  terms: [term('payment_method_class', 'manual', 'automatic'), term('timeliness', 'late_once', 'on_time')],
  references: {} as RiskFit['references'],
  baseline: Math.LN2,
  concordance: null,
  loglik: [0, 0],
  variance: [],
  means: [],
  pooled: [],
  dropped: [],
};

export interface Pipeline {
  store: Store;
  tables: { fitFacts: string; scored: string; history: string; candidates: string; best: string };
}

/** Builds the tables in engine.ts's order: offer facts of both windows, scores, history, candidates, best offer. */
export async function openPipeline(): Promise<Pipeline> {
  const store = await openStore(PIPELINE_EVENTS);
  const fitScope = scopeFor(AS_OF, 'landmark', LOOKBACK, HORIZON);
  const scoreScope = scoringScope(AS_OF, LOOKBACK);
  const tables = { fitFacts: 'p_fit_facts', scored: 'p_scored', history: 'p_history', candidates: 'p_candidates', best: 'p_best' };
  await store.db.withConnection(async (c) => {
    const create = (table: string, text: string, params: Record<string, unknown>) => c.run(`CREATE TABLE ${table} AS ${text}`, namedParams(text, params) as never);
    await create('p_fit_base', analysisBaseSql(), { ...fitScope.params, after: null, upto: null } as never);
    await create('p_score_base', analysisBaseSql(), { ...scoreScope.params, after: null, upto: null } as never);
    await create(tables.fitFacts, sql('offers/offer_facts', { base: 'p_fit_base' }), fitScope.params as never);
    await create('p_score_facts', sql('offers/offer_facts', { base: 'p_score_base' }), scoreScope.params as never);
    const scored = scoredStatement('p_score_facts', MODEL, CATALOGUE.exchange_rates);
    await create(tables.scored, scored.text, scored.params);
    await create(tables.history, sql('offers/offer_history'), { exp_end: AS_OF_END });
    await c.run(`CREATE TABLE ${tables.candidates} ${CANDIDATES_DDL}`);
    for (const [position, o] of CATALOGUE.offers.entries()) {
      if (!o.enabled) continue;
      const q = candidatesStatement(tables, { offer: o, position, effect: { value: EFFECTS[o.id], ci: null }, acceptance: { source: 'assumed', rate: o.acceptance_rate, ci: null, shown: 0, accepted: 0, assumed_rate: o.acceptance_rate } }, AS_OF_END);
      await c.run(q.text, q.params);
    }
    await create(tables.best, sql('offers/best_offer', { candidates: tables.candidates, scored: tables.scored }), {});
  });
  return { store, tables };
}

/**
 * A DOUBLE to ten decimals: the chosen model's risks (0.5, 0.75, 0.9375) and the values built on
 * them are exact on paper, and differ from the doubles only in the last bits.
 */
export const r10 = (x: unknown) => (x === null ? null : Number(Number(x).toFixed(10)));

/** Opens the pipeline once for the test file; call the result inside a test. */
export function usePipeline(): () => Pipeline {
  let pipeline: Pipeline | null = null;
  beforeAll(async () => {
    pipeline = await openPipeline();
  });
  afterAll(() => pipeline?.store.close());
  return () => pipeline!;
}
