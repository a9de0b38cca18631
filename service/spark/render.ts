/**
 * Renders the DuckDB SQL of `queries/` into Spark SQL by rules, so each statement has one source
 * and the two engines cannot drift (issue 14). The rules cover what the event-sized statements
 * use and nothing more; anything outside them throws `UnsupportedSql` instead of guessing, so a
 * statement that grows a new DuckDB-only construct fails the two-engine test
 * (test/spark/render.test.ts, test/spark/statements.test.ts) rather than silently diverging.
 *
 * Rules (each one a DuckDB spelling and its Spark equivalent):
 * - `$name` parameters become Spark named markers `:name` (bound by the driver, never inlined).
 * - `expr::TYPE` becomes `CAST(expr AS TYPE)`; TIMESTAMPTZ → TIMESTAMP (the Spark session runs in
 *   UTC, as DuckDB does here), VARCHAR → STRING, INTEGER → INT.
 * - decimal literals (`86400.0`) become DOUBLE literals (`86400.0D`): DuckDB divides a DOUBLE by
 *   them in floating point, Spark would switch to DECIMAL arithmetic and round to 6 places.
 * - `arg_max`/`arg_min` → `max_by`/`min_by`; a row value `(a, b)` as their ordering becomes
 *   `struct(a, b)` (both order it field by field).
 * - `epoch_us(ts)` → `unix_micros(ts)` (microseconds since 1970, exact in both). The sources
 *   spell a duration as `(epoch_us(a) - epoch_us(b)) / 1000000.0`, never `epoch(a - b)`: DuckDB's
 *   ICU subtraction of two TIMESTAMPTZ costs about 8 µs a row (1.3 s over 157 000 customers).
 * - `list(x)` (an aggregate) → `collect_list(x)`, and `list_sort(l)` → `array_sort(l)` (both ascending;
 *   the sources sort every list they aggregate, since neither engine's list order is defined; a list of
 *   structs sorts field by field in both).
 * - `struct_pack(a := x, b := y)` → `named_struct('a', x, 'b', y)`.
 * - `json_extract_string(json, '$.path')` → `get_json_object(json, '$.path')` (both give a scalar
 *   as text, a JSON string unquoted; the lake keeps `extra` as JSON text).
 * - `SEMI JOIN`/`ANTI JOIN` → `LEFT SEMI JOIN`/`LEFT ANTI JOIN`.
 * - `alias.* EXCLUDE (c, …)` → the quoted regex column `` alias.`(c|…)?+.+` `` (the driver sets
 *   spark.sql.parser.quotedRegexColumnNames; the SQL sources use no other back-quotes).
 * - comments are dropped (they name parameters, which Spark would take for markers).
 * `count(*) FILTER (WHERE …)`, `GROUP BY ALL`, `INTERVAL n DAY`, window functions and the usual
 * scalar functions are spelled the same in both.
 */

export class UnsupportedSql extends Error {
  constructor(message: string) {
    super(`cannot render for Spark: ${message}`);
    this.name = 'UnsupportedSql';
  }
}

type Kind = 'ws' | 'ident' | 'num' | 'str' | 'param' | 'cast' | 'punct' | 'quoted';
interface Token {
  kind: Kind;
  text: string;
}

const TYPES: Record<string, string> = {
  TIMESTAMPTZ: 'TIMESTAMP',
  TIMESTAMP: 'TIMESTAMP',
  VARCHAR: 'STRING',
  TEXT: 'STRING',
  INTEGER: 'INT',
  INT: 'INT',
  BIGINT: 'BIGINT',
  DOUBLE: 'DOUBLE',
  BOOLEAN: 'BOOLEAN',
  DATE: 'DATE',
  DECIMAL: 'DECIMAL',
};

/** DuckDB functions with no Spark function of the same meaning and name. */
const DUCKDB_ONLY = new Set(['epoch', 'list_value', 'strftime', 'strptime', 'epoch_ms', 'string_agg', 'regexp_matches', 'list_contains', 'date_diff', 'datediff', 'age', 'quantile_cont', 'median', 'json_extract', 'unnest']);
const DUCKDB_ONLY_KEYWORDS = new Set(['QUALIFY', 'ASOF', 'POSITIONAL', 'PIVOT', 'UNPIVOT', 'REPLACE']);

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^--[^\n]*/.exec(rest))) {
      i += m[0].length; // comments dropped
    } else if ((m = /^\/\*[\s\S]*?\*\//.exec(rest))) {
      i += m[0].length;
    } else if ((m = /^\s+/.exec(rest))) {
      out.push({ kind: 'ws', text: ' ' });
      i += m[0].length;
    } else if ((m = /^'(?:[^']|'')*'/.exec(rest))) {
      // Spark reads a backslash in a literal as an escape; DuckDB does not.
      if (m[0].includes('\\')) throw new UnsupportedSql('a string literal with a backslash');
      out.push({ kind: 'str', text: m[0] });
      i += m[0].length;
    } else if ((m = /^"(?:[^"]|"")*"/.exec(rest))) {
      out.push({ kind: 'quoted', text: '`' + m[0].slice(1, -1).replaceAll('""', '"').replaceAll('`', '``') + '`' });
      i += m[0].length;
    } else if ((m = /^\$([a-z_][a-z0-9_]*)/i.exec(rest))) {
      out.push({ kind: 'param', text: `:${m[1]}` });
      i += m[0].length;
    } else if (rest.startsWith('::')) {
      out.push({ kind: 'cast', text: '::' });
      i += 2;
    } else if ((m = /^\d+\.\d+|^\d+/.exec(rest))) {
      out.push({ kind: 'num', text: m[0] });
      i += m[0].length;
    } else if ((m = /^[a-z_][a-z0-9_]*/i.exec(rest))) {
      out.push({ kind: 'ident', text: m[0] });
      i += m[0].length;
    } else if ((m = /^(:=|<>|<=|>=|!=|\|\||[(),.*+\-/<>=;%])/.exec(rest))) {
      out.push({ kind: 'punct', text: m[0] });
      i += m[0].length;
    } else if (rest[0] === '`') {
      throw new UnsupportedSql('back-quoted identifiers (the regex column rule relies on there being none)');
    } else {
      throw new UnsupportedSql(`unexpected character ${JSON.stringify(rest[0])}`);
    }
  }
  return out;
}

const upper = (t: Token | undefined) => (t && t.kind === 'ident' ? t.text.toUpperCase() : '');
const isOpen = (t: Token | undefined) => t?.kind === 'punct' && t.text === '(';
const isClose = (t: Token | undefined) => t?.kind === 'punct' && t.text === ')';

/** Index of the ')' matching the '(' at `open`. */
function matchClose(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOpen(tokens[i])) depth++;
    else if (isClose(tokens[i]) && --depth === 0) return i;
  }
  throw new UnsupportedSql('unbalanced parentheses');
}

/** Index of the '(' matching the ')' at `close`. */
function matchOpen(tokens: Token[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (isClose(tokens[i])) depth++;
    else if (isOpen(tokens[i]) && --depth === 0) return i;
  }
  throw new UnsupportedSql('unbalanced parentheses');
}

const prevSolid = (tokens: Token[], i: number) => {
  let j = i - 1;
  while (j >= 0 && tokens[j].kind === 'ws') j--;
  return j;
};
const nextSolid = (tokens: Token[], i: number) => {
  let j = i + 1;
  while (j < tokens.length && tokens[j].kind === 'ws') j++;
  return j;
};

const raw = (text: string): Token => ({ kind: 'ident', text });
const join = (tokens: Token[]) => tokens.map((t) => t.text).join('');

/** `x::T` → `CAST(x AS T)`, innermost-left first so `a::DATE::VARCHAR` nests. */
function rewriteCasts(tokens: Token[]): Token[] {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].kind !== 'cast') continue;
    // The operand: a parenthesised group (with its function name), a literal, a parameter or a dotted name.
    const end = prevSolid(tokens, i);
    let start = end;
    const last = tokens[end];
    if (isClose(last)) {
      start = matchOpen(tokens, end);
      if (tokens[start - 1]?.kind === 'ident') start--;
    } else if (last?.kind === 'ident' || last?.kind === 'quoted') {
      while (tokens[start - 1]?.text === '.' && (tokens[start - 2]?.kind === 'ident' || tokens[start - 2]?.kind === 'quoted')) start -= 2;
    } else if (!last || !['num', 'str', 'param'].includes(last.kind)) {
      throw new UnsupportedSql('a cast of an operand the renderer does not recognise');
    }
    const typeAt = nextSolid(tokens, i);
    const name = upper(tokens[typeAt]);
    const mapped = TYPES[name];
    if (!mapped) throw new UnsupportedSql(`the type ${tokens[typeAt]?.text ?? '(none)'}`);
    let typeEnd = typeAt;
    let typeText = mapped;
    if (isOpen(tokens[nextSolid(tokens, typeAt)]) && name === 'DECIMAL') {
      typeEnd = matchClose(tokens, nextSolid(tokens, typeAt));
      typeText += join(tokens.slice(nextSolid(tokens, typeAt), typeEnd + 1));
    }
    const operand = tokens.slice(start, end + 1);
    const replacement = [raw('CAST'), { kind: 'punct', text: '(' } as Token, ...operand, raw(` AS ${typeText}`), { kind: 'punct', text: ')' } as Token];
    tokens.splice(start, typeEnd - start + 1, ...replacement);
    i = start;
  }
  return tokens;
}

/** Top-level comma positions of the argument list opening at `open`. */
function argBounds(tokens: Token[], open: number): Array<[number, number]> {
  const close = matchClose(tokens, open);
  const bounds: Array<[number, number]> = [];
  let depth = 0;
  let from = open + 1;
  for (let i = open + 1; i < close; i++) {
    if (isOpen(tokens[i])) depth++;
    else if (isClose(tokens[i])) depth--;
    else if (depth === 0 && tokens[i].text === ',') {
      bounds.push([from, i - 1]);
      from = i + 1;
    }
  }
  bounds.push([from, close - 1]);
  return bounds;
}

function rewriteFunctions(tokens: Token[]): Token[] {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'ident') continue;
    const lower = t.text.toLowerCase();
    const next = tokens[i + 1];
    if (DUCKDB_ONLY_KEYWORDS.has(t.text.toUpperCase()) && t.text === t.text.toUpperCase()) throw new UnsupportedSql(`the DuckDB clause ${t.text}`);
    if (!isOpen(next)) continue;
    if (DUCKDB_ONLY.has(lower)) throw new UnsupportedSql(`the DuckDB function ${t.text}`);
    if (lower === 'json_extract_string') {
      if (argBounds(tokens, i + 1).length !== 2) throw new UnsupportedSql('json_extract_string with other than (json, path)');
      t.text = 'get_json_object';
    } else if (lower === 'arg_max' || lower === 'arg_min') {
      t.text = lower === 'arg_max' ? 'max_by' : 'min_by';
      const args = argBounds(tokens, i + 1);
      if (args.length !== 2) throw new UnsupportedSql(`${lower} with ${args.length} arguments`);
      const [from, to] = args[1];
      const a = nextSolid(tokens, from - 1);
      const b = prevSolid(tokens, to + 1);
      // A row value as the ordering: DuckDB compares it field by field, as Spark does a struct.
      if (isOpen(tokens[a]) && matchClose(tokens, a) === b && argBounds(tokens, a).length > 1) tokens.splice(a, 0, raw('struct'));
    } else if (lower === 'epoch_us') {
      t.text = 'unix_micros';
    } else if (lower === 'list') {
      t.text = 'collect_list';
    } else if (lower === 'struct_pack') {
      // struct_pack(name := expr, …) → named_struct('name', expr, …): the same field names, in the same order.
      const args = argBounds(tokens, i + 1);
      for (const [from, to] of args.reverse()) {
        const name = nextSolid(tokens, from - 1);
        const op = nextSolid(tokens, name);
        if (tokens[name]?.kind !== 'ident' || tokens[op]?.text !== ':=' || op > to) throw new UnsupportedSql('struct_pack with other than name := value arguments');
        tokens.splice(name, op - name + 1, { kind: 'str', text: `'${tokens[name].text}'` }, { kind: 'punct', text: ',' });
      }
      t.text = 'named_struct';
    } else if (lower === 'list_sort') {
      if (argBounds(tokens, i + 1).length !== 1) throw new UnsupportedSql('list_sort with a sort order');
      t.text = 'array_sort';
    }
  }
  return tokens;
}

function rewriteJoinsAndExclude(tokens: Token[]): Token[] {
  for (let i = 0; i < tokens.length; i++) {
    const u = upper(tokens[i]);
    if ((u === 'SEMI' || u === 'ANTI') && upper(tokens[nextSolid(tokens, i)]) === 'JOIN' && upper(tokens[prevSolid(tokens, i)]) !== 'LEFT') {
      tokens[i] = raw(`LEFT ${u}`);
    } else if (u === 'EXCLUDE') {
      const star = prevSolid(tokens, i);
      const open = nextSolid(tokens, i);
      if (tokens[star]?.text !== '*' || !isOpen(tokens[open])) throw new UnsupportedSql('EXCLUDE outside `* EXCLUDE (…)`');
      const close = matchClose(tokens, open);
      const names = tokens.slice(open + 1, close).filter((t) => t.kind === 'ident').map((t) => t.text);
      if (!names.length || names.some((n) => !/^[a-z_][a-z0-9_]*$/i.test(n))) throw new UnsupportedSql('EXCLUDE of something but plain column names');
      tokens.splice(star, close - star + 1, { kind: 'quoted', text: `\`(${names.join('|')})?+.+\`` });
      i = star;
    }
  }
  return tokens;
}

/** DuckDB decimal literals as Spark DOUBLE literals (see the header). */
function rewriteNumbers(tokens: Token[]): Token[] {
  for (const t of tokens) if (t.kind === 'num' && t.text.includes('.')) t.text += 'D';
  return tokens;
}

/** One DuckDB statement (or query) rendered as Spark SQL. */
export function renderSpark(duckdbSql: string): string {
  let tokens = tokenize(duckdbSql);
  tokens = rewriteNumbers(tokens);
  tokens = rewriteCasts(tokens);
  tokens = rewriteFunctions(tokens);
  tokens = rewriteJoinsAndExclude(tokens);
  for (const t of tokens) if (t.kind === 'ident' && upper(t) in TYPES && upper(t) !== TYPES[upper(t)] && ['TIMESTAMPTZ', 'VARCHAR', 'TEXT', 'INTEGER'].includes(upper(t))) t.text = TYPES[upper(t)];
  return join(tokens).replace(/ {2,}/g, ' ').trim();
}

/** The parameter names a rendered statement uses (the driver binds exactly these). */
export function sparkParams(sparkSql: string): string[] {
  const names = new Set<string>();
  for (const t of tokenizeRendered(sparkSql)) names.add(t);
  return [...names];
}

function tokenizeRendered(text: string): string[] {
  // Markers outside string literals and back-quoted names.
  const stripped = text.replace(/'(?:[^'\\]|\\.)*'|`(?:[^`]|``)*`/g, '');
  return [...stripped.matchAll(/(?<![:\w]):([a-z_][a-z0-9_]*)/gi)].map((m) => m[1]);
}

/** A .sql file's statements (split like facts.ts does), comments-only pieces dropped. */
export function statementsOf(text: string): string[] {
  return text
    .split(/;\s*\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s && !/^(--[^\n]*\n?)*$/.test(s));
}
