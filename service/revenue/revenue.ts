/**
 * Revenue analyses (issue 15): how much MRR churn costs, where MRR moves month by month, and why
 * customers leave. They run over the same filtered analysis bases as the churn analyses (so the
 * segment filters and windows mean the same), with money converted by the offer catalogue's
 * exchange rates (offers/catalogue.ts loadCatalogue: one place to configure them).
 *
 * Revenue-weighted churn = lost MRR / MRR at risk on the landmark window: the MRR at the landmark
 * of customers active then, and of those of them who churned within the horizon. Its 95 %
 * interval is the delta method for a ratio of sums (the linearised ratio estimator):
 * Var(R) ≈ n/(n − 1) · Σ(yᵢ − R·xᵢ)² / (Σxᵢ)², with xᵢ a customer's MRR and yᵢ = xᵢ if churned
 * else 0 — closed-form, so exactly reproducible, and within a few per cent of a bootstrap for
 * groups of hundreds of customers; groups under 30 customers or 5 churned are flagged `small`.
 */
import { listValue } from '@duckdb/node-api';
import type { Filters } from '../analytics/contracts.ts';
import { overFiltered, type Engine } from '../analytics/runner.ts';
import { resolveScope, scopeFor } from '../analytics/scope.ts';
import { loadCatalogue } from '../offers/catalogue.ts';
import { normalQuantile } from '../stats/distributions.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import type { CancellationReasons, MrrMovements, RevenueChurn } from './contracts.ts';
import type { Factor, SegmentDimension } from '../analytics/contracts.ts';

const num = (v: unknown) => Number(v ?? 0);
const money = (cents: number) => cents / 100;
const Z = normalQuantile(0.975);

async function rates(engine: Engine) {
  const doc = (await loadCatalogue(engine.db)).document;
  const entries = Object.entries(doc.exchange_rates);
  return {
    info: { reporting_currency: doc.reporting_currency, exchange_rates: doc.exchange_rates },
    params: { rate_currencies: listValue(entries.map((e) => e[0])), rate_values: listValue(entries.map((e) => String(e[1]))) },
  };
}

interface Sums {
  n: number;
  churned: number;
  unpriced: number;
  priced: number;
  at_risk: number;
  lost: number;
  sum_xx: number;
  sum_yy: number;
}

export function revenueRate(s: Sums): { rate: number | null; ci: [number, number] | null } {
  if (s.at_risk <= 0) return { rate: null, ci: null };
  const r = s.lost / s.at_risk;
  // With no churn (or all of it) the linearisation has zero variance: an interval of [0, 0] would
  // claim certainty, so there is none.
  if (s.priced < 2 || s.lost === 0 || s.lost === s.at_risk) return { rate: r, ci: null };
  // Σ(y − R x)² with y = x·churned: Σy² − 2RΣxy + R²Σx², and Σxy = Σy².
  const ss = Math.max(0, s.sum_yy * (1 - 2 * r) + r * r * s.sum_xx);
  const se = Math.sqrt((s.priced / (s.priced - 1)) * ss) / s.at_risk;
  return { rate: r, ci: [Math.max(0, r - Z * se), Math.min(1, r + Z * se)] };
}

function group(key: string, s: Sums) {
  const w = wilsonInterval(s.churned, s.n);
  const rr = revenueRate(s);
  return {
    key,
    n: s.n,
    churned: s.churned,
    customer_rate: w.proportion,
    customer_rate_ci: s.n > 0 ? ([w.lower, w.upper] as [number, number]) : null,
    mrr_at_risk: money(s.at_risk),
    mrr_lost: money(s.lost),
    revenue_rate: rr.rate,
    revenue_rate_ci: rr.ci,
    small: s.n < 30 || s.churned < 5,
  };
}

export async function revenueChurn(engine: Engine, filters: Filters, by: Factor): Promise<RevenueChurn> {
  const scope = await resolveScope(engine.db, { ...filters, view: 'landmark' }, 'landmark');
  const r = await rates(engine);
  const rows = await overFiltered(engine, scope, filters, 'revenue/revenue_churn', { identifiers: { group: by }, params: r.params });
  const sums: [string, Sums][] = rows.map((x) => [
    String(x.key),
    { n: num(x.n), churned: num(x.churned), unpriced: num(x.unpriced), priced: num(x.priced), at_risk: num(x.at_risk_cents), lost: num(x.lost_cents), sum_xx: num(x.sum_xx), sum_yy: num(x.sum_yy) },
  ]);
  // Every sum is additive over groups, so the total is exact without another query.
  const total = sums.reduce<Sums>((t, [, s]) => ({ n: t.n + s.n, churned: t.churned + s.churned, unpriced: t.unpriced + s.unpriced, priced: t.priced + s.priced, at_risk: t.at_risk + s.at_risk, lost: t.lost + s.lost, sum_xx: t.sum_xx + s.sum_xx, sum_yy: t.sum_yy + s.sum_yy }), { n: 0, churned: 0, unpriced: 0, priced: 0, at_risk: 0, lost: 0, sum_xx: 0, sum_yy: 0 });
  return {
    as_of: scope.asOf,
    window: { landmark: scope.window!.landmark, horizon_end: scope.window!.horizon_end },
    by,
    money: { ...r.info, unconverted_customers: total.unpriced },
    overall: group('all', total),
    groups: sums.map(([k, s]) => group(k, s)),
    note: `MRR at the landmark ${scope.window!.landmark} of customers active then, lost when they churned by ${scope.asOf}; in ${r.info.reporting_currency} at the catalogue's exchange rates. Intervals: delta method for a ratio of sums. Correlation, not causation.`,
  };
}

export async function mrrMovements(engine: Engine, filters: Filters): Promise<MrrMovements> {
  const scope = await resolveScope(engine.db, { ...filters, view: 'lifetime' }, 'lifetime');
  const r = await rates(engine);
  const life = scopeFor(scope.asOf, 'lifetime', filters.lookback_days, filters.horizon_days);
  const rows = await overFiltered(engine, life, filters, 'revenue/mrr_movements', { params: { ...r.params, as_of_end: life.params.exp_end } });
  const unconverted = await overFiltered(engine, life, filters, 'revenue/unconverted_customers', { params: r.params });
  const months = rows.map((x) => {
    const start = num(x.start_cents);
    const end = num(x.end_cents);
    return {
      month: String(x.month),
      period_start: String(x.period_start),
      period_end: String(x.period_end),
      partial: Boolean(x.partial),
      mrr_start: money(start),
      new: money(num(x.new_cents)),
      expansion: money(num(x.expansion_cents)),
      contraction: money(num(x.contraction_cents)),
      churned: money(num(x.churned_cents)),
      mrr_end: money(end),
      net_change: money(end - start),
      customers_start: num(x.customers_start),
      customers_end: num(x.customers_end),
      new_customers: num(x.new_customers),
      expanded_customers: num(x.expanded_customers),
      contracted_customers: num(x.contracted_customers),
      churned_customers: num(x.churned_customers),
    };
  });
  return {
    as_of: scope.asOf,
    money: { ...r.info, unconverted_customers: num(unconverted[0]?.n) },
    months,
    note: `MRR = the latest monthly price of each active customer at the month boundary, in ${r.info.reporting_currency}. New includes re-activations; churned is MRR that went to zero. Months start at the first invoice month; the as-of month is partial.`,
  };
}

export async function cancellationReasons(engine: Engine, filters: Filters, by: SegmentDimension): Promise<CancellationReasons> {
  const scope = await resolveScope(engine.db, { ...filters, view: 'landmark' }, 'landmark');
  const r = await rates(engine);
  const rows = await overFiltered(engine, scope, filters, 'revenue/cancellation_reasons', { identifiers: { group: by }, params: { ...r.params, landmark: scope.params.exp_end, outcome_end: scope.params.outcome_end } });
  const unconverted = await overFiltered(engine, scope, filters, 'revenue/unconverted_customers', { params: r.params });
  const build = (key: string, list: { reason: string; customers: number; lost: number }[]) => {
    const churned = list.reduce((s, x) => s + x.customers, 0);
    const merged = new Map<string, { customers: number; lost: number }>();
    for (const x of list) {
      const m = merged.get(x.reason) ?? { customers: 0, lost: 0 };
      merged.set(x.reason, { customers: m.customers + x.customers, lost: m.lost + x.lost });
    }
    const reasons = [...merged.entries()]
      .map(([reason, m]) => {
        const w = wilsonInterval(m.customers, churned);
        return { reason, customers: m.customers, share: w.proportion ?? 0, share_ci: [w.lower, w.upper] as [number, number], mrr_lost: money(m.lost) };
      })
      .sort((a, b) => b.customers - a.customers || a.reason.localeCompare(b.reason));
    return { key, churned, mrr_lost: money(list.reduce((s, x) => s + x.lost, 0)), reasons };
  };
  const all = rows.map((x) => ({ key: String(x.key), reason: String(x.reason), customers: num(x.customers), lost: num(x.lost_cents) }));
  const keys = [...new Set(all.map((x) => x.key))].sort();
  return {
    as_of: scope.asOf,
    window: { landmark: scope.window!.landmark, horizon_end: scope.window!.horizon_end },
    by,
    money: { ...r.info, unconverted_customers: num(unconverted[0]?.n) },
    overall: build('all', all),
    groups: keys.map((k) => build(k, all.filter((x) => x.key === k))),
    note: `The reason of each churned customer's first cancellation between ${scope.window!.landmark} and ${scope.asOf} ('unspecified' when none was given), with the MRR it lost. Shares with 95 % Wilson intervals.`,
  };
}
