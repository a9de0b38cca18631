/**
 * queries/customers/drill_down_count.sql, drill_down_page.sql and drill_down_csv.sql, composed over
 * drill_down.sql exactly as the endpoint composes them (drilledStatement), on three customers whose
 * plans are hostile to a spreadsheet: "=HYPERLINK(1)" (a formula), "+46 plan" and `gold, "plus"`.
 */
import { describe, expect, it } from 'vitest';
import { FilterQuery } from '../../../../service/analytics/contracts.ts';
import { drilledStatement } from '../../../../service/customers/drill-down.ts';
import { useStore, type Ev } from '../store.ts';

const signUp = (customer: string, plan: string, price: number, at: string): Ev[] => [
  { type: 'subscription_started', at, customer, plan, monthly_price: price, currency: 'SEK' },
  { type: 'customer_updated', at, customer, vertical: 'telecom', market: 'SE' },
];
const store = useStore([...signUp('d1', '=HYPERLINK(1)', 300, '2025-01-01T00:00:00Z'), ...signUp('d2', '+46 plan', 100, '2025-01-02T00:00:00Z'), ...signUp('d3', 'gold, "plus"', 200, '2025-01-03T00:00:00Z')]);
const AS_OF = '2025-06-30';

const run = async (tail: string, identifiers: Record<string, string> = {}, params: Record<string, unknown> = {}) => {
  const s = store();
  const p = {
    base: await s.base(AS_OF),
    identifiers: { factor: 'customer_id', factor2: 'customer_id', count_column: 'late_invoices' },
    params: { level: null, level2: null, outcome: 'any', kpi: 'customers', cohort: null, month: null, count: null, as_of_end: '2025-07-01T00:00:00Z' },
  };
  const { text, params: bound } = drilledStatement(p, FilterQuery.parse({}), tail, identifiers, params);
  return s.db.withConnection(async (c) => (await c.runAndReadAll(text, bound as never)).getRowObjectsJson());
};

describe('customers/drill_down_count and drill_down_page', () => {
  it('counts the whole list and pages it in the sort order with the id as tie-break', async () => {
    expect(await run('customers/drill_down_count')).toEqual([{ total: '3' }]);
    // By price, highest first: d1 (300), d3 (200), d2 (100); the second page of two holds d2 alone.
    const first = await run('customers/drill_down_page', { sort: 'monthly_price', order: 'desc' }, { limit: 2, offset: 0 });
    const second = await run('customers/drill_down_page', { sort: 'monthly_price', order: 'desc' }, { limit: 2, offset: 2 });
    expect([...first, ...second].map((r) => [r.customer_id, r.monthly_price])).toEqual([['d1', 300], ['d3', 200], ['d2', 100]]);
  });
});

describe('customers/drill_down_csv', () => {
  it('quotes free text, doubles its quotes and defuses a formula with a leading apostrophe', async () => {
    const lines = (await run('customers/drill_down_csv', { sort: 'customer_id', order: 'asc' })).map((r) => String(r.line));
    expect(lines).toEqual([
      // The plan "=HYPERLINK(1)" would run as a formula: it is written '=HYPERLINK(1), quoted.
      `"d1","telecom","SE",unknown,<1y,"'=HYPERLINK(1)","unknown",unknown,"(none)",on_time,none,2025-01-01T00:00:00Z,false,,300.00,"SEK",0,0,0,0.00,0`,
      `"d2","telecom","SE",unknown,<1y,"'+46 plan","unknown",unknown,"(none)",on_time,none,2025-01-02T00:00:00Z,false,,100.00,"SEK",0,0,0,0.00,0`,
      // A comma stays inside the quotes and each quote is doubled (RFC 4180).
      `"d3","telecom","SE",unknown,<1y,"gold, ""plus""","unknown",unknown,"(none)",on_time,none,2025-01-03T00:00:00Z,false,,200.00,"SEK",0,0,0,0.00,0`,
    ]);
  });
});
