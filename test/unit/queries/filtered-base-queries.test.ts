/**
 * Each churn query that reads the filtered analysis base, run as a unit on a real in-memory
 * DuckDB over a six-customer base written out here, so every expected number can be counted by
 * hand from the rows below. The statements are composed and bound exactly as the analyses do
 * (analytics/runner.ts filteredStatement), so a query that breaks its contract with the base, or a
 * filter that stops narrowing, fails here before it reaches an endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filteredStatement } from '../../../service/analytics/runner.ts';
import { FilterQuery } from '../../../service/analytics/contracts.ts';
import { Database } from '../../../service/db/database.ts';
import { codedStatement, type CodedRead } from '../../../service/db/coded-columns.ts';

let db: Database;

// customer, vertical, market, age, tenure, plan, channel, class, method, churned, days, due, late, timeliness, fees, fee_exposure, fee_amount, reminders, fee_contacts, price, plan_fit, satisfaction
const ROWS = [
  ['c1', 'telecom', 'SE', '18-29', '<1y', 'basic', 'paper', 'manual', 'ocr', true, 100, 3, 2, 'late_repeatedly', 2, 'two_or_more', 120, 3, 1, 199, 'fits_use', 'unknown'],
  ['c2', 'telecom', 'SE', '30-49', '1-2y', 'basic', 'email', 'automatic', 'autogiro', false, 400, 4, 0, 'on_time', 0, 'none', 0, 0, 0, 199, 'fits_use', 'satisfied'],
  ['c3', 'telecom', 'NO', '30-49', '2+y', 'plus', 'paper', 'manual', 'ocr', true, 50, 2, 1, 'late_once', 1, 'one', 60, 1, 0, 299, 'priced_above_use', 'dissatisfied'],
  ['c4', 'energy', 'SE', '50-79', '2+y', 'basic', 'app', 'automatic', 'autogiro', false, 800, 5, 0, 'on_time', 0, 'none', 0, 0, 0, 99, 'fits_use', 'satisfied'],
  ['c5', 'energy', 'SE', '50-79', '<1y', 'plus', 'paper', 'unknown', '(none)', true, 20, 0, 0, 'on_time', 4, 'two_or_more', 240, 4, 2, 149, 'no_usage_data', 'unknown'],
  ['c6', 'energy', 'NO', '80+', '1-2y', 'basic', 'email', 'manual', 'ocr', false, -5, 1, 1, 'late_once', 0, 'none', 0, 2, 0, 99, 'fits_use', 'satisfied'],
] as const;

const run = async (query: string, filters: Record<string, string> = {}, identifiers: Record<string, string> = {}) => {
  const { text, params } = filteredStatement('base', FilterQuery.parse(filters), query, { identifiers });
  return db.withConnection(async (c) => (await c.runAndReadAll(text, params)).getRowObjectsJson());
};

beforeAll(async () => {
  db = await Database.open({ path: ':memory:' });
  await db.withConnection(async (c) => {
    await c.run(`CREATE TABLE base (customer_id VARCHAR, vertical VARCHAR, market VARCHAR, age_band VARCHAR, tenure_band VARCHAR, plan VARCHAR,
      invoice_channel VARCHAR, payment_method_class VARCHAR, payment_method VARCHAR, churned BOOLEAN, time_days DOUBLE, invoices_due INTEGER,
      late_invoices INTEGER, timeliness VARCHAR, fees INTEGER, fee_exposure VARCHAR, fee_amount DOUBLE, reminders INTEGER, fee_contacts INTEGER,
      monthly_price DOUBLE, plan_fit VARCHAR, satisfaction_level VARCHAR)`);
    for (const r of ROWS) await c.run(`INSERT INTO base VALUES (${r.map((_, i) => `$${i + 1}`).join(', ')})`, [...r]);
    // Entry on the tenure scale: c2 was first seen 300 days into its tenure (delayed entry), c4
    // 900 days in, after it was last seen (no time at risk), and c3's tenure origin is unknown.
    await c.run(`ALTER TABLE base ADD COLUMN entry_days DOUBLE DEFAULT 0`);
    await c.run(`ALTER TABLE base ADD COLUMN on_time_scale BOOLEAN DEFAULT true`);
    await c.run(`UPDATE base SET entry_days = 300 WHERE customer_id = 'c2'`);
    await c.run(`UPDATE base SET entry_days = 900 WHERE customer_id = 'c4'`);
    await c.run(`UPDATE base SET on_time_scale = false WHERE customer_id = 'c3'`);
    // Billing currencies: telecom bills in SEK and NOK, so its money must not be summed as given.
    await c.run(`ALTER TABLE base ADD COLUMN currency VARCHAR DEFAULT 'SEK'`);
    await c.run(`UPDATE base SET currency = 'NOK' WHERE customer_id = 'c3'`);
  });
});
afterAll(() => db.close());

describe('queries over the filtered base', () => {
  it('filtered_base keeps everyone without filters and narrows by every list given', async () => {
    expect(await run('churn/summary_counts')).toMatchObject([{ customers: '6' }]);
    expect(await run('churn/summary_counts', { vertical: 'telecom' })).toMatchObject([{ customers: '3' }]);
    expect(await run('churn/summary_counts', { vertical: 'telecom,energy', market: 'NO' })).toMatchObject([{ customers: '2' }]);
    expect(await run('churn/summary_counts', { payment_method_class: 'manual', age_band: '30-49' })).toMatchObject([{ customers: '1' }]);
  });

  it('summary_counts counts each share over its own denominator', async () => {
    expect(await run('churn/summary_counts')).toEqual([{ customers: '6', churned: '3', automatic: '2', classified: '5', on_time: '2', with_invoices: '5', with_fee: '3' }]);
  });

  it('churn_by_factor gives customers and churners per level, in level order', async () => {
    expect(await run('churn/churn_by_factor', {}, { factor: 'payment_method_class' })).toEqual([
      { key: 'automatic', n: '2', churned: '0' },
      { key: 'manual', n: '3', churned: '2' },
      { key: 'unknown', n: '1', churned: '1' },
    ]);
  });

  it('churn_by_count caps the count at 3', async () => {
    expect(await run('churn/churn_by_count', {}, { count_column: 'fees' })).toEqual([
      { k: 0, n: '3', churned: '0' },
      { k: 1, n: '1', churned: '1' },
      { k: 2, n: '1', churned: '1' },
      { k: 3, n: '1', churned: '1' },
    ]);
  });

  it('churn_by_segment_and_factor crosses a segment with a factor', async () => {
    expect(await run('churn/churn_by_segment_and_factor', { market: 'SE' }, { rows: 'vertical', factor: 'timeliness' })).toEqual([
      { row_key: 'energy', key: 'on_time', n: '2', churned: '1' },
      { row_key: 'telecom', key: 'late_repeatedly', n: '1', churned: '1' },
      { row_key: 'telecom', key: 'on_time', n: '1', churned: '0' },
    ]);
  });

  it('survival_input and cox_input leave out negative times, rows off the time scale and rows with no time at risk after entry', async () => {
    const surv = await run('churn/survival_input', {}, { factor: 'vertical' });
    expect(surv.map((r) => [r.key, r.entry_days, r.time_days, r.event]).sort()).toEqual([
      ['energy', 0, 20, 1],
      ['telecom', 0, 100, 1],
      ['telecom', 300, 400, 0],
    ]);
    const cox = await run('churn/cox_input');
    expect(cox).toHaveLength(3);
    expect(cox.find((r) => r.time_days === 400)).toMatchObject({ entry_days: 300, event: 0, payment_method_class: 'automatic', timeliness: 'on_time', fee_exposure: 'none', plan_fit: 'fits_use', satisfaction_level: 'satisfied' });
  });

  it("the model inputs, as the analyses read them, code each category as its dense rank over the rows kept, NULL last, in customer order", async () => {
    // A NULL vertical and market on c2, and every category as dense_rank() would number it.
    await db.withConnection((c) => c.run(`CREATE OR REPLACE TABLE base_nulls AS SELECT * REPLACE (CASE WHEN customer_id = 'c2' THEN NULL ELSE vertical END AS vertical, CASE WHEN customer_id = 'c2' THEN NULL ELSE market END AS market) FROM base`));
    const rows = async (query: string, read: CodedRead, identifiers: Record<string, string> = {}) => {
      const { text, params } = filteredStatement('base_nulls', FilterQuery.parse({}), query, { identifiers });
      return db.withConnection(async (c) => (await c.runAndReadAll(codedStatement(text, read), params)).getRowObjectsJS());
    };
    const rank = (values: unknown[]) => {
      const levels = [...new Set(values.filter((v) => v !== null) as string[])].sort();
      return values.map((v) => (v === null ? levels.length + 1 : levels.indexOf(v as string) + 1));
    };
    const all = ['payment_method_class', 'timeliness', 'fee_exposure', 'vertical', 'market', 'age_band', 'tenure_band', 'plan', 'invoice_channel', 'plan_fit', 'satisfaction_level'];
    const cox = await rows('churn/cox_input', { numbers: ['entry_days', 'time_days', 'event'], categories: all, orderBy: 'customer_id' });
    expect(cox.map((r) => r.time_days)).toEqual([100, 400, 20]); // c1, c2, c5: in customer order
    for (const f of all) expect(cox.map((r) => Number(r[`${f}__code`])), f).toEqual(rank(cox.map((r) => r[f])));
    expect(cox.map((r) => Number(r.vertical__code))).toEqual([2, 3, 1]); // telecom, NULL, energy
    // Only the columns a fit uses are read, with the same codes.
    const two = await rows('churn/cox_input', { numbers: ['time_days'], categories: ['market', 'vertical'], orderBy: 'customer_id' });
    expect(Object.keys(two[0])).toEqual(['time_days', 'market', 'market__code', 'vertical', 'vertical__code']);
    expect(two.map((r) => [r.time_days, Number(r.market__code), Number(r.vertical__code)])).toEqual([[100, 1, 2], [400, 2, 3], [20, 1, 1]]);
    const surv = await rows('churn/survival_input', { numbers: ['entry_days', 'time_days', 'event'], categories: ['key'], orderBy: 'customer_id' }, { factor: 'market' });
    expect(surv.map((r) => [r.key, Number(r.key__code)])).toEqual([['SE', 1], [null, 2], ['SE', 1]]);
    // Names reach the statement only as plain identifiers.
    expect(() => codedStatement('SELECT 1', { numbers: ['x; DROP TABLE base'], categories: [], orderBy: 'customer_id' })).toThrow(/not a plain column name/);
  });

  it('fee_economics sums fees, reminders and churn with and without fees per vertical and currency, never across currencies', async () => {
    expect(await run('churn/fee_economics')).toEqual([
      { vertical: 'energy', currency: 'SEK', customers: '3', fee_customers: '1', fees: '4', fee_revenue: 240, reminders: '6', fee_contacts: '2', churned_with_fee: '1', no_fee_customers: '2', churned_without_fee: '0', fee_price_sum: 149, fee_priced: '1' },
      { vertical: 'telecom', currency: 'NOK', customers: '1', fee_customers: '1', fees: '1', fee_revenue: 60, reminders: '1', fee_contacts: '0', churned_with_fee: '1', no_fee_customers: '0', churned_without_fee: '0', fee_price_sum: 299, fee_priced: '1' },
      { vertical: 'telecom', currency: 'SEK', customers: '2', fee_customers: '1', fees: '2', fee_revenue: 120, reminders: '3', fee_contacts: '1', churned_with_fee: '1', no_fee_customers: '1', churned_without_fee: '0', fee_price_sum: 199, fee_priced: '1' },
    ]);
  });
});
