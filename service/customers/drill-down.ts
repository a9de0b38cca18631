/**
 * Drill-down: from a number on the dashboard to the customers behind it (issue 15). A click names
 * a group — a factor level (a bar), two levels (a heat-map cell), a cohort cell, or an Overview KPI
 * — a dose–response bar — and this module lists exactly those customers, paged and sorted, or streams them as CSV.
 *
 * The list must count what the figure counted. So it runs over the same analysis base and window
 * the figure's analysis uses (the same scope rules as churn.ts and overview.ts), narrowed by the
 * shared filters through runner.ts (never re-implemented here), and queries/customers/drill_down.sql
 * writes each group's predicate the way the figure's own query groups it. As a check that cannot
 * drift, every answer also carries the figure itself, computed by that analysis's own query
 * (churn_by_factor, churn_by_segment_and_factor, cohort_retention, summary_counts) on the same base.
 */
import { filteredStatement, overFiltered, type Engine } from '../analytics/runner.ts';
import { resolveScope, scopeFor, type AnalysisScope } from '../analytics/scope.ts';
import type { Filters } from '../analytics/contracts.ts';
import { namedParams } from '../db/sql-compose.ts';
import { sql } from '../db/sql-files.ts';
import type { DrillPage, DrillQuery, DrillRow, KpiKey } from './contracts.ts';
import { DrillInputError } from './errors.ts';
import { streamLines } from '../db/stream-lines.ts';

export const DRILL_CSV_HEADER =
  'customer_id,vertical,market,age_band,tenure_band,plan,invoice_channel,payment_method_class,payment_method,timeliness,fee_exposure,tenure_start,churned,churn_at,monthly_price,currency,invoices_due,late_invoices,fees,fee_amount,contacts';

/** Which KPIs summary() measures in the landmark window (the rest in the lifetime view), and their denominators in summary_counts. */
const KPI_WINDOW: Record<KpiKey, { view: 'lifetime' | 'landmark'; count: string; denominator: string | null }> = {
  customers: { view: 'lifetime', count: 'customers', denominator: null },
  active: { view: 'lifetime', count: 'active', denominator: null },
  churned: { view: 'landmark', count: 'churned', denominator: null },
  churn_rate: { view: 'landmark', count: 'churned', denominator: 'customers' },
  automatic_share: { view: 'landmark', count: 'automatic', denominator: 'classified' },
  on_time_share: { view: 'landmark', count: 'on_time', denominator: 'with_invoices' },
  fee_share: { view: 'landmark', count: 'with_fee', denominator: 'customers' },
};

type Kind = 'kpi' | 'heatmap' | 'factor' | 'dose' | 'cohort' | 'all';

function kindOf(q: DrillQuery): Kind {
  const kinds = [q.kpi !== undefined && 'kpi', q.factor !== undefined && 'factor', q.measure !== undefined && 'measure', q.cohort !== undefined && 'cohort'].filter(Boolean);
  if (kinds.length > 1) throw new DrillInputError(`one kind of group at a time: got ${kinds.join(' and ')}`);
  if ((q.factor === undefined) !== (q.level === undefined)) throw new DrillInputError('factor and level go together');
  if ((q.factor2 === undefined) !== (q.level2 === undefined)) throw new DrillInputError('factor2 and level2 go together');
  if (q.factor2 !== undefined && q.factor === undefined) throw new DrillInputError('factor2 needs factor (a heat-map cell names its row and its column)');
  if (q.month !== undefined && q.cohort === undefined) throw new DrillInputError('month needs cohort');
  if ((q.measure === undefined) !== (q.count === undefined)) throw new DrillInputError('measure and count go together');
  if (q.outcome !== 'any' && q.factor === undefined && q.measure === undefined) throw new DrillInputError('outcome narrows a factor or dose–response group; a KPI or cohort cell already says which customers it counts');
  if (q.kpi) return 'kpi';
  if (q.cohort) return 'cohort';
  if (q.factor) return q.factor2 ? 'heatmap' : 'factor';
  if (q.measure) return 'dose';
  return 'all';
}

/** The window the clicked figure was computed in: the same defaults as the analysis that drew it. */
async function scopeOf(engine: Engine, q: DrillQuery, kind: Kind): Promise<AnalysisScope> {
  if (kind === 'kpi') {
    const summaryScope = await resolveScope(engine.db, q, 'landmark');
    return scopeFor(summaryScope.asOf, KPI_WINDOW[q.kpi!].view, q.lookback_days, q.horizon_days);
  }
  // Cohorts are always the lifetime view (overview.ts cohorts()).
  if (kind === 'cohort') return resolveScope(engine.db, { ...q, view: 'lifetime' }, 'lifetime');
  return resolveScope(engine.db, q, 'lifetime');
}

function describe(q: DrillQuery, kind: Kind): string {
  const out = q.outcome === 'churned' ? ' who churned' : q.outcome === 'retained' ? ' who stayed' : '';
  switch (kind) {
    case 'kpi':
      return `KPI ${q.kpi}`;
    case 'cohort':
      return q.month === undefined ? `signed up in ${q.cohort}` : `signed up in ${q.cohort}, still active ${q.month} months later`;
    case 'factor':
      return `${q.factor} = ${q.level}${out}`;
    case 'heatmap':
      return `${q.factor2} = ${q.level2} and ${q.factor} = ${q.level}${out}`;
    case 'dose':
      return `${q.count === 3 ? '3 or more' : q.count} ${q.measure === 'fees' ? 'fees' : 'late invoices'}${out}`;
    default:
      return 'every customer matching the filters';
  }
}

interface Prepared {
  scope: AnalysisScope;
  base: string;
  kind: Kind;
  params: Record<string, unknown>;
  identifiers: Record<string, string>;
}

async function prepare(engine: Engine, q: DrillQuery): Promise<Prepared> {
  const kind = kindOf(q);
  const scope = await scopeOf(engine, q, kind);
  const base = await engine.cache.table(scope);
  return {
    scope,
    base,
    kind,
    // Absent groups bind NULL, and their identifier is a harmless column the NULL never compares.
    identifiers: { factor: q.factor ?? 'customer_id', factor2: q.factor2 ?? 'customer_id', count_column: q.measure ?? 'late_invoices' },
    params: {
      level: q.level ?? null,
      level2: q.level2 ?? null,
      outcome: q.outcome,
      kpi: q.kpi ?? null,
      cohort: q.cohort ? `${q.cohort}-01` : null,
      month: q.month ?? null,
      count: q.count ?? null,
      as_of_end: scope.params.exp_end,
    },
  };
}

/** drill_down.sql over the filtered base as the CTE `drilled`, followed by `tail` (a query of `drilled`); exported for its unit test. */
export function drilledStatement(p: Pick<Prepared, 'base' | 'identifiers' | 'params'>, filters: Filters, tail: string, tailIdentifiers: Record<string, string> = {}, tailParams: Record<string, unknown> = {}) {
  const inner = filteredStatement(p.base, filters, 'customers/drill_down', { identifiers: p.identifiers, params: p.params });
  const text = `WITH drilled AS (\n${inner.text}\n) ${sql(tail, tailIdentifiers)}`;
  return { text, params: { ...inner.params, ...namedParams(text, tailParams) } };
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** The clicked figure as its own analysis computes it, on the same base and filters. */
async function figureOf(engine: Engine, p: Prepared, q: DrillQuery): Promise<DrillPage['figure']> {
  const pick = (n: number, churned: number) => (q.outcome === 'churned' ? churned : q.outcome === 'retained' ? n - churned : n);
  // One group of a churn table (n customers, `churned` of them): the clicked outcome's count and its share of the group.
  const ofGroup = (g: Record<string, unknown> | undefined): DrillPage['figure'] => {
    const n = num(g?.n);
    const count = pick(n, num(g?.churned));
    return { count, denominator: q.outcome === 'any' ? null : n, share: q.outcome === 'any' || !n ? null : count / n };
  };
  if (p.kind === 'kpi') {
    const [row] = await overFiltered(engine, p.base, q, 'churn/summary_counts');
    const w = KPI_WINDOW[q.kpi!];
    const values: Record<string, number> = { ...Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, num(v)])) };
    values.active = num(values.customers) - num(values.churned);
    const count = values[w.count] ?? 0;
    const denominator = w.denominator ? (values[w.denominator] ?? 0) : null;
    return { count, denominator, share: denominator ? count / denominator : null };
  }
  if (p.kind === 'factor') {
    const rows = await overFiltered(engine, p.base, q, 'churn/churn_by_factor', { identifiers: { factor: q.factor! } });
    return ofGroup(rows.find((r) => String(r.key) === q.level));
  }
  if (p.kind === 'heatmap') {
    const rows = await overFiltered(engine, p.base, q, 'churn/churn_by_segment_and_factor', { identifiers: { rows: q.factor2!, factor: q.factor! } });
    return ofGroup(rows.find((r) => String(r.row_key) === q.level2 && String(r.key) === q.level));
  }
  if (p.kind === 'dose') {
    const rows = await overFiltered(engine, p.base, q, 'churn/churn_by_count', { identifiers: { count_column: q.measure! } });
    return ofGroup(rows.find((r) => num(r.k) === q.count));
  }
  if (p.kind === 'cohort') {
    const rows = await overFiltered(engine, p.base, q, 'churn/cohort_retention', { params: { as_of_end: p.scope.params.exp_end } });
    const cohort = rows.filter((r) => String(r.signup_month) === q.cohort);
    const n = num(cohort[0]?.n);
    if (q.month === undefined) return { count: n, denominator: null, share: null };
    const cell = cohort.find((r) => num(r.months_since) === q.month);
    const active = num(cell?.active);
    return { count: active, denominator: cell ? n : null, share: cell && n ? active / n : null };
  }
  const [row] = await overFiltered(engine, p.base, q, 'churn/summary_counts');
  return { count: num(row?.customers), denominator: null, share: null };
}

export async function drillDownPage(engine: Engine, q: DrillQuery): Promise<DrillPage> {
  const p = await prepare(engine, q);
  const count = drilledStatement(p, q, 'customers/drill_down_count');
  const page = drilledStatement(p, q, 'customers/drill_down_page', { sort: q.sort, order: q.order }, { limit: q.limit, offset: q.offset });
  const [[total], rows] = await engine.db.withConnection(async (c) => [
    (await c.runAndReadAll(count.text, count.params as never)).getRowObjectsJson(),
    (await c.runAndReadAll(page.text, page.params as never)).getRowObjectsJson() as unknown as Record<string, unknown>[],
  ]);
  const figure = await figureOf(engine, p, q);
  return {
    as_of: p.scope.asOf,
    view: p.scope.view,
    window: p.scope.window,
    group: describe(q, p.kind),
    total: num(total?.total),
    figure,
    limit: q.limit,
    offset: q.offset,
    sort: q.sort,
    order: q.order,
    rows: rows.map(
      (r): DrillRow => ({
        ...(r as unknown as DrillRow),
        monthly_price: r.monthly_price === null ? null : Number(r.monthly_price),
        fee_amount: num(r.fee_amount),
        invoices_due: num(r.invoices_due),
        late_invoices: num(r.late_invoices),
        fees: num(r.fees),
        contacts: num(r.contacts),
      }),
    ),
  };
}

/** The whole list as CSV (header first), streamed chunk by chunk as the client reads. */
export async function drillDownCsv(engine: Engine, q: DrillQuery): Promise<{ stream: ReadableStream<Uint8Array>; asOf: string }> {
  const p = await prepare(engine, q);
  const { text, params } = drilledStatement(p, q, 'customers/drill_down_csv', { sort: q.sort, order: q.order });
  return { stream: streamLines(engine.db, text, params, DRILL_CSV_HEADER), asOf: p.scope.asOf };
}
