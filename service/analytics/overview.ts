/**
 * The descriptive analyses around the churn statistics: headline KPIs against the previous period
 * with the monthly trend, cohort retention, engagement (how customers pay, view and contact), fee
 * economics, and the ingestion status and dimension values the dashboard's Data page and filter
 * bar need. Every share carries its Wilson interval and its denominator.
 */
import { eventTotals } from '../events/event-totals.ts';
import { isSmallSample } from './group-stats.ts';
import type { Database } from '../db/database.ts';
import { sql } from '../db/sql-files.ts';
import { compareRisks } from '../stats/risk-comparison.ts';
import { normalQuantile } from '../stats/distributions.ts';
import { newcombeDifference } from '../stats/proportion-difference.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import { periodOf, planPeriod, shiftDays, type Period, type PeriodPlan } from './period.ts';
import { CORRELATION_NOTE } from './churn.ts';
import { overFiltered, type Engine } from './runner.ts';
import type { Cohorts, Dimensions, Engagement, FeeEconomics, Filters, IngestionStatus, Summary } from './contracts.ts';
import { defaultScopesFor, latestEventDate, resolveScope, scopeFor } from './scope.ts';

const share = (k: number, n: number) => {
  const w = wilsonInterval(k, n);
  return { value: w.proportion, ci: n > 0 ? ([w.lower, w.upper] as [number, number]) : null };
};
const num = (v: unknown) => Number(v ?? 0);

/**
 * Headline KPIs of a period against its comparison period, and the monthly trend. Without a
 * `plan` (no from/to/compare in the query) the period is the landmark window of as_of and
 * horizon_days and the comparison the window just before it, as it always was; a plan
 * (period.ts) gives both windows, and the answer then also carries the comparison's
 * denominators and the interval of each share's change.
 */
export async function summary(engine: Engine, filters: Filters, given: PeriodPlan | null = null): Promise<Summary> {
  const scope = await resolveScope(engine.db, given ? given.current : filters, 'landmark');
  const H = filters.horizon_days;
  const L = filters.lookback_days;
  const plan = given ?? planPeriod(filters, periodOf(shiftDays(scope.asOf, -H + 1), scope.asOf), 'previous_period', null);
  const cmp = plan.comparison;
  const counts = async (period: Period | null, view: 'lifetime' | 'landmark') => (period ? ((await overFiltered(engine, scopeFor(period.end, view, L, period.days), filters, 'churn/summary_counts'))[0] ?? {}) : {});
  const [now, before, lifeNow, lifeBefore] = await Promise.all([counts(plan.period, 'landmark'), counts(cmp, 'landmark'), counts(plan.period, 'lifetime'), counts(cmp, 'lifetime')]);
  type Figure = { value: number | null; ci: [number, number] | null; n: number; k?: number };
  const kpi = (key: Summary['kpis'][number]['key'], label: string, unit: 'count' | 'share', cur: Figure, prev: Figure) => ({
    key,
    label,
    unit,
    value: cur.value,
    ci: cur.ci,
    n: cur.n,
    previous: cmp ? prev.value : null,
    previous_ci: cmp ? prev.ci : null,
    change: cmp && cur.value !== null && prev.value !== null ? cur.value - prev.value : null,
    ...(given
      ? {
          previous_n: cmp ? prev.n : 0,
          change_ci: cmp && unit === 'share' && cur.k !== undefined && prev.k !== undefined ? newcombeDifference(cur.k, cur.n, prev.k, prev.n) : null,
        }
      : {}),
  });
  const count = (v: unknown): Figure => ({ value: num(v), ci: null, n: num(v) });
  const shareOf = (k: unknown, n: unknown): Figure => ({ ...share(num(k), num(n)), n: num(n), k: num(k) });
  const P = plan.period;
  const labels = given
    ? { active: `Active at the end of ${P.end}`, churned: `Churned ${P.start} – ${P.end}`, churn_rate: `Churn rate (${P.days} days, of those active at ${P.start})` }
    : { active: 'Active at the as-of date', churned: `Churned in the last ${H} days`, churn_rate: `Churn rate (${H} days, of those active at its start)` };
  const kpis = [
    kpi('customers', 'Customers (ever started)', 'count', count(lifeNow.customers), count(lifeBefore.customers)),
    kpi('active', labels.active, 'count', count(num(lifeNow.customers) - num(lifeNow.churned)), count(num(lifeBefore.customers) - num(lifeBefore.churned))),
    kpi('churned', labels.churned, 'count', count(now.churned), count(before.churned)),
    kpi('churn_rate', labels.churn_rate, 'share', shareOf(now.churned, now.customers), shareOf(before.churned, before.customers)),
    kpi('automatic_share', `Paying automatically (look-back ${L} days)`, 'share', shareOf(now.automatic, now.classified), shareOf(before.automatic, before.classified)),
    kpi('on_time_share', `Paying every invoice on time (look-back ${L} days)`, 'share', shareOf(now.on_time, now.with_invoices), shareOf(before.on_time, before.with_invoices)),
    kpi('fee_share', `Charged a reminder fee (look-back ${L} days)`, 'share', shareOf(now.with_fee, now.customers), shareOf(before.with_fee, before.customers)),
  ];
  const lifetime = scopeFor(scope.asOf, 'lifetime', L, H);
  const trendRows = await overFiltered(engine, lifetime, filters, 'churn/monthly_trend', { params: { as_of_end: lifetime.params.exp_end } });
  const trend = trendRows.map((r) => {
    const churn = share(num(r.churned), num(r.active_start));
    const auto = share(num(r.automatic_payers), num(r.payers));
    const onTime = share(num(r.on_time), num(r.invoices_due));
    return {
      month: String(r.month),
      active_start: num(r.active_start),
      churned: num(r.churned),
      churn_rate: churn.value,
      churn_rate_ci: churn.ci,
      payers: num(r.payers),
      automatic_share: auto.value,
      automatic_share_ci: auto.ci,
      invoices_due: num(r.invoices_due),
      on_time_share: onTime.value,
      on_time_share_ci: onTime.ci,
    };
  });
  return {
    as_of: scope.asOf,
    period: { start: P.start, end: P.end },
    previous_period: cmp ? { start: cmp.start, end: cmp.end } : null,
    ...(given ? { period_query: { period: P, comparison: cmp } } : {}),
    kpis,
    trend,
  };
}

export async function cohorts(engine: Engine, filters: Filters): Promise<Cohorts> {
  const scope = await resolveScope(engine.db, { ...filters, view: 'lifetime' }, 'lifetime');
  const rows = await overFiltered(engine, scope, filters, 'churn/cohort_retention', { params: { as_of_end: scope.params.exp_end } });
  const byCohort = new Map<string, Cohorts['cohorts'][number]>();
  for (const r of rows) {
    const key = String(r.signup_month);
    const c = byCohort.get(key) ?? { signup_month: key, n: num(r.n), small_sample: isSmallSample(num(r.n)), retention: [] };
    const s = share(num(r.active), num(r.n));
    c.retention.push({ months_since: num(r.months_since), active: num(r.active), share: s.value ?? 0, ci: s.ci ?? [0, 1] });
    byCohort.set(key, c);
  }
  return {
    as_of: scope.asOf,
    note: 'Share of each sign-up month still active k months later (95 % Wilson intervals). Only customers who signed up after the first invoice in the data: earlier sign-ups are known only by those who stayed.',
    cohorts: [...byCohort.values()],
  };
}

export interface FeeCosts {
  handling_cost_per_reminder: number;
  handling_cost_per_fee_contact: number;
  expected_lifetime_months: number;
}

/** Exchange rates: the value of one unit of each billing currency in the reporting currency. */
export interface Money {
  reporting_currency: string;
  exchange_rates: Record<string, number>;
}

export async function feeEconomics(engine: Engine, filters: Filters, costs: FeeCosts, money: Money): Promise<FeeEconomics> {
  const scope = await resolveScope(engine.db, filters, 'lifetime');
  const rows = await overFiltered(engine, scope, filters, 'churn/fee_economics');
  const z = normalQuantile(0.975);
  const rateOf = (currency: string): number | null => money.exchange_rates[currency] ?? null;
  const byVertical = new Map<string, Record<string, unknown>[]>();
  for (const r of rows) byVertical.set(String(r.vertical), [...(byVertical.get(String(r.vertical)) ?? []), r]);
  const verticals = [...byVertical].map(([vertical, list]) => {
    const sum = (k: string) => list.reduce((s, r) => s + num(r[k]), 0);
    const feeCustomers = sum('fee_customers');
    const noFee = sum('no_fee_customers');
    const cmp = compareRisks({ n: feeCustomers, events: sum('churned_with_fee') }, { n: noFee, events: sum('churned_without_fee') });
    const rd = cmp.riskDifference;
    // Wald interval of the risk difference, scaled to customers: attributable churners.
    let rdCi: [number, number] | null = null;
    if (rd !== null && feeCustomers > 0 && noFee > 0) {
      const p1 = cmp.exposed.rate!;
      const p0 = cmp.reference.rate!;
      const se = Math.sqrt((p1 * (1 - p1)) / feeCustomers + (p0 * (1 - p0)) / noFee);
      rdCi = [(rd - z * se) * feeCustomers, (rd + z * se) * feeCustomers];
    }
    const attributable = rd !== null ? rd * feeCustomers : 0;
    // Money: each currency converted before anything is added; a currency without a rate is left out and listed.
    let revenue = 0;
    let priceSum = 0;
    let priced = 0;
    const unconverted: { currency: string; fee_revenue: number; customers: number }[] = [];
    const byCurrency = list.map((r) => {
      const currency = String(r.currency);
      const rate = rateOf(currency);
      if (rate !== null) {
        revenue += num(r.fee_revenue) * rate;
        priceSum += num(r.fee_price_sum) * rate;
        priced += num(r.fee_priced);
      } else unconverted.push({ currency, fee_revenue: num(r.fee_revenue), customers: num(r.customers) });
      return {
        currency,
        customers: num(r.customers),
        fee_customers: num(r.fee_customers),
        fees: num(r.fees),
        fee_revenue: num(r.fee_revenue),
        rate,
        fee_revenue_converted: rate === null ? null : num(r.fee_revenue) * rate,
      };
    });
    const price = priced > 0 ? priceSum / priced : null;
    const valueOf = (churners: number) => Math.max(0, churners) * (price ?? 0) * costs.expected_lifetime_months;
    const value = valueOf(attributable);
    // Unit costs are given in the reporting currency.
    const handling = sum('reminders') * costs.handling_cost_per_reminder + sum('fee_contacts') * costs.handling_cost_per_fee_contact;
    const net = revenue - value - handling;
    const netCi: [number, number] | null = rdCi ? [revenue - valueOf(rdCi[1]) - handling, revenue - valueOf(rdCi[0]) - handling] : null;
    return {
      vertical,
      customers: sum('customers'),
      fee_customers: feeCustomers,
      fees: sum('fees'),
      fee_revenue: revenue,
      reminders: sum('reminders'),
      fee_contacts: sum('fee_contacts'),
      handling_cost: handling,
      rate_with_fee: cmp.exposed.rate,
      rate_without_fee: cmp.reference.rate,
      attributable_churned: attributable,
      attributable_churned_ci: rdCi,
      mean_monthly_price: price,
      attributable_churn_value: value,
      net,
      net_ci: netCi,
      by_currency: byCurrency,
      unconverted,
    };
  });
  const total = (k: 'fees' | 'fee_revenue' | 'handling_cost' | 'attributable_churn_value' | 'net' | 'customers' | 'fee_customers') => verticals.reduce((s, v) => s + v[k], 0);
  const unconverted = verticals.flatMap((v) => v.unconverted);
  const present = [...new Set(rows.map((r) => String(r.currency)))].sort();
  return {
    as_of: scope.asOf,
    view: scope.view,
    window: scope.window,
    parameters: { ...costs },
    currency: money.reporting_currency,
    exchange_rates: Object.fromEntries(present.filter((c) => rateOf(c) !== null).map((c) => [c, rateOf(c)!])),
    totals: {
      customers: total('customers'),
      fee_customers: total('fee_customers'),
      fees: total('fees'),
      fee_revenue: total('fee_revenue'),
      handling_cost: total('handling_cost'),
      attributable_churn_value: total('attributable_churn_value'),
      net: total('net'),
    },
    unconverted_currencies: [...new Set(unconverted.map((u) => u.currency))].sort(),
    verticals,
    note: `Money is in ${money.reporting_currency}: each billing currency (${present.join(', ') || 'none'}) is converted with the exchange rates of the Offers settings before anything is added up${unconverted.length ? `; ${[...new Set(unconverted.map((u) => u.currency))].join(', ')} ha${unconverted.length === 1 ? 's' : 've'} no rate and ${unconverted.length === 1 ? 'is' : 'are'} left out of the money figures (listed per vertical)` : ''}. Unit costs are in ${money.reporting_currency}. Attributable churn = (churn rate with a fee − without) × customers with a fee; its value = those customers × their mean monthly price × ${costs.expected_lifetime_months} months; net_ci follows from the interval of attributable churn. ${CORRELATION_NOTE}`,
  };
}

export async function engagement(engine: Engine, filters: Filters): Promise<Engagement> {
  const scope = await resolveScope(engine.db, { ...filters, view: 'lifetime' }, 'lifetime');
  const asOfEnd = { as_of_end: scope.params.exp_end };
  const mix = (await Promise.all((['vertical', 'age_band', 'market'] as const).map((d) => overFiltered(engine, scope, filters, 'churn/engagement_method_mix', { identifiers: { dimension: d } })))).flat();
  const totals = new Map<string, number>();
  for (const r of mix) totals.set(`${r.dimension}|${r.segment}`, (totals.get(`${r.dimension}|${r.segment}`) ?? 0) + num(r.customers));
  const [views, contacts, quiet] = await Promise.all([
    overFiltered(engine, scope, filters, 'churn/engagement_invoice_views', { params: asOfEnd }),
    overFiltered(engine, scope, filters, 'churn/engagement_contacts', { params: asOfEnd }),
    overFiltered(engine, scope, filters, 'churn/engagement_no_contact', { params: asOfEnd }),
  ]);
  return {
    as_of: scope.asOf,
    payment_method_mix: mix.map((r) => ({
      dimension: String(r.dimension),
      segment: String(r.segment),
      method_class: String(r.method_class),
      customers: num(r.customers),
      share: num(r.customers) / (totals.get(`${r.dimension}|${r.segment}`) ?? 1),
    })),
    invoice_views: views.map((r) => {
      const s = share(num(r.viewed), num(r.invoices));
      return { channel: String(r.channel), invoices: num(r.invoices), viewed: num(r.viewed), view_rate: s.value, view_rate_ci: s.ci, median_hours_to_view: r.median_hours_to_view === null ? null : num(r.median_hours_to_view) };
    }),
    contacts: contacts.map((r) => ({ vertical: String(r.vertical), channel: String(r.channel), topic: String(r.topic), contacts: num(r.contacts), customers: num(r.customers) })),
    no_contact_share: quiet.map((r) => {
      const s = share(num(r.without_contact), num(r.customers));
      return { vertical: String(r.vertical), customers: num(r.customers), without_contact: num(r.without_contact), share: s.value ?? 0, ci: s.ci ?? [0, 1] };
    }),
  };
}

const rowsOf = async (db: Database, name: string) => db.withConnection(async (c) => (await c.runAndReadAll(sql(name))).getRowObjectsJson() as Record<string, unknown>[]);

export async function ingestionStatus(db: Database): Promise<IngestionStatus> {
  const [totals, batches, byType, byDay] = await Promise.all([eventTotals(db), rowsOf(db, 'ingestion_batches'), rowsOf(db, 'events_by_type'), rowsOf(db, 'events_by_day')]);
  return {
    events: totals.events,
    customers: totals.customers,
    rejected_rows: totals.rejected_rows,
    first_event: totals.first_event,
    last_event: totals.last_event,
    batches: batches.map((b) => ({
      batch_id: num(b.batch_id),
      received_at: String(b.received_at),
      media_type: String(b.media_type),
      rows_total: num(b.rows_total),
      accepted: num(b.accepted),
      duplicates: num(b.duplicates),
      rejected: num(b.rejected),
      source: (b.source as string | null) ?? null,
    })),
    by_type: byType.map((r) => ({ type: String(r.type), events: num(r.events) })),
    by_day: byDay.map((r) => ({ day: String(r.day), type: String(r.type), events: num(r.events) })),
  };
}

export async function dimensions(engine: Engine): Promise<Dimensions> {
  // The staleness gate, as every analysis: the current facts of the published snapshot (a strict
  // settle here made the filter bar wait for every catch-up under a trickle).
  await engine.upkeep.readable();
  const db = engine.db;
  // Counted in the lifetime base of the default as-of date, not in the current facts (tenure and age
  // as of today): the count beside `2+y` is then the customers that filter selects in the default
  // analyses, and a data set that ended last month does not change its counts as the days pass.
  const asOf = await latestEventDate(db);
  const counted = async () => {
    if (!asOf) return [];
    const base = await engine.cache.table(defaultScopesFor(asOf).find((s) => s.view === 'lifetime')!);
    return db.withConnection(async (c) => (await c.runAndReadAll(sql('dimension_values', { base }))).getRowObjectsJson() as Record<string, unknown>[]);
  };
  const [rows, [totals]] = await Promise.all([counted(), db.cache.memo('event-span', '', () => rowsOf(db, 'event_span'))]);
  const values: Dimensions['values'] = {};
  for (const r of rows) (values[String(r.dimension)] ??= []).push({ value: String(r.value), customers: num(r.customers) });
  return {
    first_event: (totals.first_event as string | null) ?? null,
    last_event: (totals.last_event as string | null) ?? null,
    default_as_of: asOf,
    values,
  };
}
