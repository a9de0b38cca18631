/**
 * Targeting rules and reason templates as data, turned into SQL without ever putting user text in
 * the SQL: a column name is only ever one of the allow-listed RULE_COLUMNS (checked again here and
 * written as a quoted identifier), an operator only one of the fixed set mapped below, and every
 * value a bound parameter. The SQL files in queries/offers/ mark where a compiled fragment goes
 * with `{{@name}}`; `fill` swaps the markers and returns the parameters the statement needs.
 * Conditions are two-valued: a missing (NULL) fact fails every test except `is_null`, so `not`
 * means what a marketer expects ("not on paper" includes customers with no invoice yet).
 */
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { namedParams } from '../db/sql-compose.ts';
import { RULE_COLUMNS, type Condition, type RuleColumn, type RuleNode } from './contracts.ts';

export interface Fragment {
  text: string;
  params: Record<string, DuckDBValue>;
}

const COMPARE: Record<string, string> = { eq: '=', neq: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' };
const CAST = { string: 'VARCHAR', number: 'DOUBLE', boolean: 'BOOLEAN' } as const;

function column(name: string, alias: string): string {
  if (!Object.hasOwn(RULE_COLUMNS, name)) throw new Error(`not a rule column: ${name}`);
  if (!/^[a-z]*$/.test(alias)) throw new Error('bad alias');
  return `${alias ? alias + '.' : ''}"${name}"`;
}

/** Compile a rule to a boolean SQL expression; parameters are named `${prefix}_${k}`. */
export function compileRule(rule: RuleNode, prefix: string, alias = ''): Fragment {
  if (!/^[a-z][a-z0-9_]*$/.test(prefix)) throw new Error('bad parameter prefix');
  const params: Record<string, DuckDBValue> = {};
  let k = 0;
  const bind = (v: DuckDBValue) => {
    const name = `${prefix}_${k++}`;
    params[name] = v;
    return `$${name}`;
  };
  const walk = (node: RuleNode): string => {
    if ('all' in node && node.all) return node.all.length ? `(${node.all.map(walk).join(' AND ')})` : 'TRUE';
    if ('any' in node && node.any) return `(${node.any.map(walk).join(' OR ')})`;
    if ('not' in node && node.not) return `(NOT ${walk(node.not)})`;
    const c = node as Condition;
    const col = column(c.column, alias);
    const type = RULE_COLUMNS[c.column as RuleColumn].type;
    switch (c.op) {
      case 'is_null':
        return `(${col} IS NULL)`;
      case 'not_null':
        return `(${col} IS NOT NULL)`;
      case 'in':
      case 'not_in': {
        // Bound as text and cast in SQL: the driver would type a JS number list by its first element.
        const values = (c.value as (string | number)[]).map((v) => String(v));
        const list = `${bind(listValue(values))}::${CAST[type]}[]`;
        return `coalesce(${c.op === 'not_in' ? 'NOT ' : ''}list_contains(${list}, ${col}::${CAST[type]}), false)`;
      }
      default: {
        const op = COMPARE[c.op];
        if (!op) throw new Error(`unknown operator ${c.op}`);
        return `coalesce(${col}::${CAST[type]} ${op} ${bind(c.value as DuckDBValue)}::${CAST[type]}, false)`;
      }
    }
  };
  return { text: walk(rule), params };
}

/**
 * A reason template ("{late_invoices} late invoices") as a SQL string expression: literal pieces
 * bound, columns cast to text (numbers rounded to two decimals), a missing fact shown as "–".
 */
export function compileTemplate(template: string, prefix: string, alias = ''): Fragment {
  const params: Record<string, DuckDBValue> = {};
  const parts: string[] = [];
  let k = 0;
  let last = 0;
  const literal = (s: string) => {
    if (!s) return;
    const name = `${prefix}_${k++}`;
    params[name] = s;
    parts.push(`$${name}::VARCHAR`);
  };
  for (const m of template.matchAll(/\{([a-z_]+)\}/g)) {
    if (!Object.hasOwn(RULE_COLUMNS, m[1])) continue; // validated before; left as text otherwise
    literal(template.slice(last, m.index));
    const col = column(m[1], alias);
    const type = RULE_COLUMNS[m[1] as RuleColumn].type;
    // Whole numbers print without decimals ("2 late invoices"), others with at most two.
    const number = `CASE WHEN ${col}::DOUBLE = trunc(${col}::DOUBLE) THEN CAST(${col}::BIGINT AS VARCHAR) ELSE CAST(round(${col}::DOUBLE, 2) AS VARCHAR) END`;
    parts.push(type === 'number' ? `coalesce(${number}, '–')` : `coalesce(CAST(${col} AS VARCHAR), '–')`);
    last = m.index! + m[0].length;
  }
  literal(template.slice(last));
  return { text: parts.length ? `concat(${parts.join(', ')})` : `''`, params };
}

/**
 * Put compiled fragments into a statement at its `{{@name}}` markers, and keep only the parameters
 * the final text names (DuckDB refuses unused named parameters).
 */
export function fill(text: string, fragments: Record<string, Fragment>, params: Record<string, unknown> = {}): { text: string; params: Record<string, DuckDBValue> } {
  const all: Record<string, unknown> = { ...params };
  const out = text.replace(/\{\{@(\w+)\}\}/g, (_, name: string) => {
    const f = fragments[name];
    if (!f) throw new Error(`no fragment for {{@${name}}}`);
    Object.assign(all, f.params);
    return f.text;
  });
  return { text: out, params: namedParams(out, all) };
}
