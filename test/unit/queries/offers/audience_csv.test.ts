/**
 * queries/offers/audience_csv.sql over the best offer table of the offers pipeline (pipeline.ts):
 * the same rows and order as audience_page.sql, as quoted CSV lines DuckDB formats.
 */
import { describe, expect, it } from 'vitest';
import { AS_OF, usePipeline } from './pipeline.ts';

const pipeline = usePipeline();

const csv = async (sort: string, order: string, params: Record<string, unknown> = {}, table?: string) => {
  const { store, tables } = pipeline();
  const rows = await store.filtered('offers/audience_csv', AS_OF, { table: table ?? tables.best, identifiers: { sort, order }, params: { offer_id: null, min_value: null, value_currency: 'EUR', ...params } });
  return rows.map((r) => r.line);
};

describe('offers/audience_csv', () => {
  it('writes one line per audience row with fixed decimals and quoted text', async () => {
    expect(await csv('expected_value', 'desc')).toEqual([
      // Risk and reduction to six decimals, value to four, price to two.
      '"p1",soft_reminder,email,0.937500,0.093750,1.8625,EUR,"1 late invoice(s); via email","telecom","SE",manual,200.00,SEK',
      '"p7",direct_debit,invoice,0.750000,0.037500,1.5000,EUR,"Pays manually (ocr_transfer)","telecom","SE",manual,400.00,SEK',
      '"p2",e_invoice,invoice,0.500000,0.020000,0.5000,EUR,"Receives paper invoices","energy","SE",automatic,50.00,EUR',
      '"p6",e_invoice,invoice,0.750000,0.030000,0.2000,EUR,"Receives paper invoices","telecom","SE",automatic,100.00,SEK',
    ]);
  });

  it('follows the page order and filters', async () => {
    // Ties on risk go by customer id, as in audience_page.sql.
    expect((await csv('risk', 'asc')).map((l) => String(l).split(',')[0])).toEqual(['"p2"', '"p6"', '"p7"', '"p1"']);
    expect((await csv('expected_value', 'desc', { offer_id: 'e_invoice', min_value: 0.3 })).map((l) => String(l).split(',')[0])).toEqual(['"p2"']);
  });

  it('defuses spreadsheet formulas and doubles quotes in text cells', async () => {
    const { store, tables } = pipeline();
    // p1's row with an id and a reason a spreadsheet would run, and a quote in the reason and the market.
    await store.rows(`CREATE OR REPLACE TABLE p_formula AS SELECT * REPLACE ('=p1' AS customer_id, '@SUM("x")' AS reason, 'S"E' AS market) FROM ${tables.best} WHERE customer_id = 'p1'`);
    expect(await csv('expected_value', 'desc', {}, 'p_formula')).toEqual([`"'=p1",soft_reminder,email,0.937500,0.093750,1.8625,EUR,"'@SUM(""x"")","telecom","S""E",manual,200.00,SEK`]);
  });
});
