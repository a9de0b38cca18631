/**
 * A conservative pre-check of one JSON row, derived from the same contract as the validation SQL,
 * for the live path (live-writer.ts). The validation statement costs about 30 ms to run however
 * few rows it judges (its CASE over every check of every type is set up per execution), which
 * would cap a trickle of one-event requests at a few dozen commits a second. So a small request's
 * rows are first looked at here: a row this check *accepts* is one the SQL would accept too, with
 * at most plain `extra` fields (extraText), written only in canonical forms (plain decimal numbers, RFC 3339 with `T`,
 * `Z` or `±hh:mm` and at most microseconds), and appendTypedRows() writes its typed columns straight
 * into a DuckDB appender: converting 32 rows with the SQL's own expressions cost 9 ms a group, the
 * whole budget. Every other row (anything unusual: numbers sent for text fields, unknown fields,
 * nulls in required fields, odd timestamps) goes to the SQL validation, which alone decides
 * rejections, their codes and messages, and converts those rows itself.
 *
 * "Accepts only what the SQL accepts, and converts to exactly the SQL's values" is proven by a
 * differential test over a corpus of valid, invalid and edge-case rows
 * (test/unit/events/fast-check.test.ts). When a rule in the contract or the SQL changes, this
 * file must stay at least as strict; that test fails otherwise.
 */
import { DuckDBDataChunk, type DuckDBAppender } from '@duckdb/node-api';
import { CHUNK_ROWS, storageOf, writeColumn, type Cell } from '../db/chunk-columns.ts';
import { ENVELOPE, EVENT_TYPES, PAYLOAD_COLUMNS, type FieldRule, type FieldSpec } from './contract.ts';

/** A row this check accepted: its id, its parsed fields and its instant (µs since 1970). */
export interface FastRow {
  eventId: string;
  /** the row's JSON text, as logged */
  doc: string;
  fields: Record<string, unknown>;
  micros: bigint;
  /** Fields beyond the type's, as the JSON object text the SQL stores in `extra` (null: none). */
  extra?: string | null;
}

/**
 * The plausible range the validation SQL applies (DATE_MIN, DATE_MAX_DAYS_AHEAD; see
 * db/plausible-dates.ts): occurred_at from minDate, date fields from minDate to the server's UTC
 * date plus daysAhead. The live path must use the same bounds as the table the SQL reads.
 */
export interface DateBounds {
  minDate: string;
  daysAhead: number;
}
export const DEFAULT_DATE_BOUNDS: DateBounds = { minDate: '1970-01-01', daysAhead: 3660 };
/** Years outside this range go to the SQL whatever the bounds (the cheap checks below assume 4 digits). */
const EARLIEST_YEAR = 1000;
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A plain decimal number, as both JavaScript and DuckDB read it to the same double. */
const NUMBER_TEXT = /^-?(0|[1-9]\d{0,20})(\.\d{1,20})?([eE][+-]?\d{1,3})?$/;
const INTEGER_TEXT = /^-?(0|[1-9]\d{0,9})$/;
const COUNTRY = /^[A-Z]{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Days in a month of the proleptic Gregorian calendar (a Date built per row cost more than all the rest of a timestamp). */
const daysIn = (year: number, month: number) => (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : MONTH_DAYS[month - 1]);

function validDate(y: number, m: number, d: number): boolean {
  return y >= EARLIEST_YEAR && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
}

/** The `n` decimal digits of `text` from `at` as a number, or -1 when one of them is not a digit. */
function digitsAt(text: string, at: number, n: number): number {
  let value = 0;
  for (let k = 0; k < n; k++) {
    const d = text.charCodeAt(at + k) - 48; // NaN past the end
    if (!(d >= 0 && d <= 9)) return -1;
    value = value * 10 + d;
  }
  return value;
}

const MAX_SAFE_MS = Math.floor(Number.MAX_SAFE_INTEGER / 1000) - 1;

/**
 * The instant of an RFC 3339 text in µs since 1970, or null when it is not one this check is sure
 * of. Like the SQL's RFC3339 pattern, but stricter: `YYYY-MM-DDThh:mm:ss`, then at most six
 * fractional digits, then `Z` or `±hh:mm` within ±14:00, seconds ≤ 59. A character scan, not a
 * regular expression: the expression, its match array and the BigInt text took 0.8 µs a row,
 * a quarter of this check; this takes 0.2 µs (a local closure over `text` tripled that).
 */
export function rfc3339Micros(text: string): bigint | null {
  if (text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(10) !== 0x54 || text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a) return null;
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  const h = digitsAt(text, 11, 2);
  const mi = digitsAt(text, 14, 2);
  const s = digitsAt(text, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return null;
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  let at = 19;
  let fraction = 0;
  if (text.charCodeAt(at) === 0x2e) {
    let n = 0;
    while (n < 7 && digitsAt(text, at + 1 + n, 1) >= 0) n++;
    if (n === 0 || n > 6) return null;
    fraction = digitsAt(text, at + 1, n) * 10 ** (6 - n);
    at += 1 + n;
  }
  let offset = 0;
  if (text.charCodeAt(at) === 0x5a) {
    if (text.length !== at + 1) return null;
  } else {
    const sign = text.charCodeAt(at);
    if ((sign !== 0x2b && sign !== 0x2d) || text.charCodeAt(at + 3) !== 0x3a || text.length !== at + 6) return null;
    const oh = digitsAt(text, at + 1, 2);
    const om = digitsAt(text, at + 4, 2);
    if (oh < 0 || om < 0 || oh > 14 || om > 59 || (oh === 14 && om > 0)) return null;
    offset = (sign === 0x2d ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - offset;
  // Exact in a double up to about the year 2255; beyond, in BigInt arithmetic.
  return Math.abs(ms) <= MAX_SAFE_MS ? BigInt(ms * 1000 + fraction) : BigInt(ms) * 1000n + BigInt(fraction);
}

/** Is `value` (from JSON.parse) a value of `rule` that the SQL check passes for sure? `days`: the plausible range of date fields, in days since 1970. */
function passes(rule: FieldRule, value: unknown, days: readonly [number, number]): boolean {
  switch (rule.kind) {
    case 'string':
      // UTF-16 length ≥ characters, so this never passes a text the SQL finds too long.
      return typeof value === 'string' && value.length > 0 && value.length <= rule.max;
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value);
    case 'country':
      return typeof value === 'string' && COUNTRY.test(value);
    case 'currency':
      return typeof value === 'string' && CURRENCY.test(value);
    case 'date': {
      const m = typeof value === 'string' ? ISO_DATE.exec(value) : null;
      if (m === null || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
      const day = DAY_DAYS(value as string);
      return day >= days[0] && day <= days[1];
    }
    case 'number': {
      let n: number;
      if (typeof value === 'number') n = value;
      else if (typeof value === 'string' && (rule.integer ? INTEGER_TEXT : NUMBER_TEXT).test(value)) n = Number(value);
      else return false;
      return Number.isFinite(n) && n >= rule.min && n <= rule.max && (!rule.integer || Number.isInteger(n));
    }
  }
}

/**
 * Top-level members of a JSON object text, counted by their ':' outside strings. JSON.parse keeps
 * the last of two equal keys and DuckDB's json_transform the first, so a row whose member count
 * differs from its parsed key count (a repeated key) must go to the SQL.
 */
function memberCount(text: string): number {
  let depth = 0;
  let members = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) {
      // Jump to the closing quote (one not preceded by an odd run of backslashes): most of a
      // document is string, and indexOf crosses it several times faster than a loop over it.
      for (let j = i + 1; ; j++) {
        j = text.indexOf('"', j);
        if (j < 0) return -1;
        let backslashes = 0;
        while (text.charCodeAt(j - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) {
          i = j;
          break;
        }
      }
    } else if (ch === 0x7b || ch === 0x5b) depth++;
    else if (ch === 0x7d || ch === 0x5d) depth--;
    else if (ch === 0x3a && depth === 1) members++;
  }
  return members;
}

const ENVELOPE_FIELDS = Object.entries(ENVELOPE) as [string, FieldSpec][];
const TYPE_FIELDS = new Map(Object.entries(EVENT_TYPES).map(([type, fields]) => [type, Object.entries(fields) as [string, FieldSpec][]]));
const KNOWN = new Map([...TYPE_FIELDS].map(([type, fields]) => [type, new Set([...ENVELOPE_FIELDS, ...fields].map(([name]) => name))]));

/**
 * Judges one staged document (a JSON object text). `nowMs` is the server clock of the request
 * (occurred_at may be at most one day ahead of it).
 */
export function fastCheck(doc: string, nowMs: number, bounds: DateBounds = DEFAULT_DATE_BOUNDS): FastRow | null {
  if (doc.charCodeAt(0) !== 0x7b) return null;
  let row: Record<string, unknown>;
  try {
    row = JSON.parse(doc);
  } catch {
    return null;
  }
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return null;
  const fields = TYPE_FIELDS.get(row.type as string);
  if (!fields) return null;
  const split = splitExtra(row, KNOWN.get(row.type as string)!);
  if (split === null) return null;
  if (memberCount(doc) !== Object.keys(row).length) return null;
  // The SQL cannot tell a JSON array or object from a string that looks like one (json_transform
  // renders both as text), so it refuses such envelope ids; so does this.
  for (const name of ['event_id', 'customer_id'] as const) if (looksLikeContainer(row[name])) return null;
  const minDay = DAY_DAYS(bounds.minDate);
  const days = [minDay, Math.floor(nowMs / DAY_MS) + bounds.daysAhead] as const;
  for (const [name, spec] of ENVELOPE_FIELDS) if (!passes(spec.rule, row[name], days)) return null;
  const micros = rfc3339Micros(row.occurred_at as string);
  if (micros === null || micros > BigInt(nowMs + DAY_MS) * 1000n || micros < BigInt(minDay * DAY_MS) * 1000n) return null;
  for (const [name, spec] of fields) {
    const value = row[name];
    if (value === undefined || value === null) {
      if (spec.required) return null;
    } else if (!passes(spec.rule, value, days)) return null;
  }
  return { eventId: row.event_id as string, doc, micros, ...split };
}

/**
 * A row's own fields and its extra ones: the extra fields leave `fields` (a payload column takes a
 * value only from its own type's fields) and become the `extra` object text; null when an extra
 * field is one extraText() does not render.
 */
function splitExtra(row: Record<string, unknown>, known: ReadonlySet<string>): { fields: Record<string, unknown>; extra: string | null } | null {
  let extra: string[] | null = null;
  for (const key of Object.keys(row)) {
    if (known.has(key)) continue;
    const text = extraText(key, row[key]);
    if (text === null) return null;
    (extra ??= []).push(text);
  }
  if (extra === null) return { fields: row, extra: null };
  return { fields: Object.fromEntries(Object.entries(row).filter(([k]) => known.has(k))), extra: `{${extra.join(',')}}` };
}

/** Extra field names the fast path takes: no escaping needed, and never reordered by JavaScript (no integer-like keys). */
const EXTRA_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
/** Text the SQL's JSON writer and JSON.stringify render alike: printable ASCII without quote or backslash. */
const PLAIN_TEXT = /^[\x20-\x21\x23-\x5b\x5d-\x7e]{0,256}$/;

/**
 * One extra field as `"key":value`, exactly as the SQL writes it into `extra` (to_json of the
 * fields in document order), or null when this check does not know the SQL's rendering for sure:
 * then the row goes to the SQL. Only plain keys, and values that are plain strings, booleans or
 * safe integers; the differential test (test/unit/events/fast-check.test.ts) holds it to the SQL.
 * Producers often send a field or two of their own (a source system's id, a region code): before,
 * any such row took the SQL lane, about 30 ms a group quiet and several hundred under load.
 */
function extraText(key: string, value: unknown): string | null {
  if (!EXTRA_KEY.test(key)) return null;
  if (typeof value === 'string') return PLAIN_TEXT.test(value) ? `"${key}":"${value}"` : null;
  if (typeof value === 'boolean') return `"${key}":${value}`;
  if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return `"${key}":${value}`;
  return null;
}

/**
 * A row fastCheck() accepted once, read back from the live log at replay: parsed, not judged again
 * (its verdict was acknowledged; the clock and date bounds may have moved since).
 */
export function fastRowOf(doc: string): FastRow {
  const fields = JSON.parse(doc) as Record<string, unknown>;
  const micros = rfc3339Micros(fields.occurred_at as string);
  if (micros === null) throw new Error(`live log: a logged row has no readable occurred_at: ${doc.slice(0, 200)}`);
  const known = KNOWN.get(fields.type as string);
  const split = known ? splitExtra(fields, known) : { fields, extra: null };
  if (split === null) throw new Error(`live log: a logged row has an extra field the fast path does not take: ${doc.slice(0, 200)}`);
  return { eventId: fields.event_id as string, doc, micros, ...split };
}

/**
 * A plain decimal text (NUMBER_TEXT) as DECIMAL(18,4), rounded half away from zero at the fourth
 * decimal as DuckDB's cast rounds ('0.00005' → 0.0001). A JSON number arrives as its shortest
 * round-trip text, the digits DuckDB's json_transform renders for the same double.
 */
export function decimal4(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new Error(`not a plain decimal: ${text}`);
  const digits = m[2] + (m[3] ?? '');
  // The decimal point sits after `point` digits; scale by 10^4 and keep one digit more to round.
  const point = m[2].length + Number(m[4] ?? 0) + 4;
  const keep = digits.slice(0, Math.max(0, point + 1)).padEnd(Math.max(0, point + 1), '0');
  const scaled = keep.length ? BigInt(keep) : 0n;
  const rounded = (scaled + 5n) / 10n;
  return m[1] === '-' ? -rounded : rounded;
}

function looksLikeContainer(value: unknown): boolean {
  if (typeof value !== 'string' || value.length < 2) return false;
  const [first, last] = [value[0], value[value.length - 1]];
  return (first === '[' && last === ']') || (first === '{' && last === '}');
}

const textOf = (value: unknown) => (typeof value === 'number' ? String(value) : (value as string));
const DAY_DAYS = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;

/**
 * Appends accepted rows to a table whose columns are the events table's (event_id, type,
 * occurred_at, customer_id, every payload column, extra) followed by `seq` and `gen` (one value
 * per row each), column by column, one data chunk per 2 048 rows. Row by row, the appender made
 * one native call per cell, null or not, and a contact event leaves 26 of its 36 cells null: that
 * was 14 % of the service's main thread under 32 clients of 20-event requests (`--cpu-prof`).
 * Here a cell is a JavaScript write into a typed array (db/chunk-columns.ts); only text cells
 * cross to DuckDB one by one (3.2 µs a contact row in all, 6.6 µs through the vectors' setItem).
 */
export function appendTypedRows(appender: DuckDBAppender, rows: readonly FastRow[], seqs: readonly number[], gens: readonly number[]): void {
  if (rows.length === 0) return;
  const types = Array.from({ length: appender.columnCount }, (_, c) => appender.columnType(c));
  const storages = types.map(storageOf);
  const payloadCell = (type: string, value: unknown): Cell => {
    if (value === undefined || value === null) return null;
    if (type === 'VARCHAR') return value as string;
    if (type === 'DECIMAL(18,4)') return decimal4(textOf(value)); // DECIMAL(18,4) is stored as its scaled int64
    if (type === 'INTEGER' || type === 'DOUBLE') return Number(value);
    return DAY_DAYS(value as string);
  };
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows.length - start);
    const chunk = DuckDBDataChunk.create(types, n);
    let c = 0;
    const column = (cell: (i: number) => Cell) => {
      writeColumn(chunk, c, n, storages[c], cell);
      c++;
    };
    column((i) => rows[start + i].eventId);
    column((i) => rows[start + i].fields.type as string);
    column((i) => rows[start + i].micros);
    column((i) => rows[start + i].fields.customer_id as string);
    for (const { name, type } of PAYLOAD_COLUMNS) column((i) => payloadCell(type, rows[start + i].fields[name]));
    column((i) => rows[start + i].extra ?? null);
    column((i) => seqs[start + i]);
    column((i) => gens[start + i]);
    if (c !== types.length) throw new Error(`appendTypedRows: wrote ${c} of ${types.length} columns`);
    appender.appendDataChunk(chunk);
  }
}
