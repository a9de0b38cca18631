/**
 * Targeting rules compile to SQL over allow-listed columns with every value bound: the compiled
 * rules select exactly the rows a plain reading of the rule selects, on a real (in-memory) DuckDB,
 * and text that looks like SQL stays a value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../service/db/database.ts';
import { CatalogueDocument, RuleNode, ruleIssues, type RuleNode as Rule } from '../../../service/offers/contracts.ts';
import { compileRule, compileTemplate, fill } from '../../../service/offers/rules.ts';
import { defaultCatalogue } from '../../../service/offers/catalogue.ts';

let db: Database;
beforeAll(async () => {
  db = await Database.open({ path: ':memory:' });
  await db.withConnection((c) =>
    c.run(`CREATE TABLE facts AS SELECT * FROM (VALUES
      ('a', 'manual',    2, 'paper', 0.3,  true,  'SE', 12),
      ('b', 'automatic', 0, 'email', NULL, false, 'NO', 800),
      ('c', 'manual',    0, 'email', 0.9,  false, 'SE', 400),
      ('d', 'unknown',   1, NULL,    0.5,  true,  'DK', 100)
    ) t(customer_id, payment_method_class, late_invoices, invoice_channel, usage_ratio, overpriced, market, tenure_days)`),
  );
});
afterAll(() => db.close());

async function select(rule: Rule): Promise<string[]> {
  const parsed = RuleNode.parse(rule);
  expect(ruleIssues(parsed, [], 'target')).toEqual([]);
  const q = fill('SELECT customer_id FROM facts WHERE {{@r}} ORDER BY customer_id', { r: compileRule(parsed, 'p') });
  return db.withConnection(async (c) => (await c.runAndReadAll(q.text, q.params)).getRowObjects().map((r) => String(r.customer_id)));
}

describe('rule compilation', () => {
  it('selects what the rule says', async () => {
    expect(await select({ column: 'payment_method_class', op: 'eq', value: 'manual' })).toEqual(['a', 'c']);
    expect(await select({ all: [{ column: 'payment_method_class', op: 'eq', value: 'manual' }, { column: 'late_invoices', op: 'gte', value: 1 }] })).toEqual(['a']);
    expect(await select({ any: [{ column: 'market', op: 'in', value: ['NO', 'DK'] }, { column: 'usage_ratio', op: 'lt', value: 0.4 }] })).toEqual(['a', 'b', 'd']);
    expect(await select({ column: 'tenure_days', op: 'in', value: [12, 100.0] })).toEqual(['a', 'd']);
    expect(await select({ column: 'overpriced', op: 'eq', value: true })).toEqual(['a', 'd']);
    expect(await select({ all: [] })).toEqual(['a', 'b', 'c', 'd']);
  });

  it('treats a missing fact as failing every test but is_null, so not() includes it', async () => {
    expect(await select({ column: 'invoice_channel', op: 'eq', value: 'paper' })).toEqual(['a']);
    expect(await select({ not: { column: 'invoice_channel', op: 'eq', value: 'paper' } })).toEqual(['b', 'c', 'd']);
    expect(await select({ column: 'invoice_channel', op: 'not_in', value: ['paper'] })).toEqual(['b', 'c']);
    expect(await select({ column: 'usage_ratio', op: 'is_null' })).toEqual(['b']);
    expect(await select({ column: 'usage_ratio', op: 'not_null' })).toEqual(['a', 'c', 'd']);
  });

  it('keeps SQL-looking text a value', async () => {
    expect(await select({ column: 'market', op: 'eq', value: "SE' OR 1=1 --" })).toEqual([]);
    expect(await select({ column: 'market', op: 'in', value: ["x'); DROP TABLE facts; --"] })).toEqual([]);
    expect(await db.withConnection(async (c) => Number((await c.runAndReadAll('SELECT count(*) AS n FROM facts')).getRowObjects()[0].n))).toBe(4);
    const compiled = compileRule({ column: 'market', op: 'eq', value: "SE' OR 1=1 --" }, 'p');
    expect(compiled.text).not.toContain('OR 1=1');
    expect(() => compileRule({ column: 'customer_id; --' as never, op: 'eq', value: 1 }, 'p')).toThrow(/not a rule column/);
  });

  it('fills reason templates with the facts, numbers rounded and whole numbers without decimals', async () => {
    const t = compileTemplate('{late_invoices} late; usage {usage_ratio}; {invoice_channel}; {{nope}}', 'r');
    const q = fill('SELECT {{@t}} AS reason FROM facts ORDER BY customer_id', { t });
    const reasons = await db.withConnection(async (c) => (await c.runAndReadAll(q.text, q.params)).getRowObjects().map((r) => String(r.reason)));
    expect(reasons).toEqual(['2 late; usage 0.3; paper; {{nope}}', '0 late; usage –; email; {{nope}}', '0 late; usage 0.9; email; {{nope}}', '1 late; usage 0.5; –; {{nope}}']);
  });

  it('reports a rule of the wrong shape or types at its path', () => {
    expect(ruleIssues({ column: 'late_invoices', op: 'lt', value: 'x' }, ['target'], 'target')).toEqual([{ path: ['target', 'value'], message: 'late_invoices compares with number values' }]);
    expect(ruleIssues({ not: { column: 'risk', op: 'gt', value: 0.1 } }, ['b'], 'behaviour')[0].path).toEqual(['b', 'not', 'column']);
    expect(ruleIssues({ all: [], column: 'fees' }, [], 'target')[0].message).toMatch(/exactly one/);
  });

  it('compiles every default offer, and the defaults validate', () => {
    const cat = defaultCatalogue();
    expect(CatalogueDocument.safeParse(cat).success).toBe(true);
    for (const o of cat.offers) {
      for (const rule of [o.target, o.behaviour.exposed, o.behaviour.changed_to]) expect(compileRule(rule, 'p', 's').text).toMatch(/s\."/);
    }
  });
});
