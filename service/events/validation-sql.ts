/**
 * Turns the event contract into one SQL statement that validates every staged row and yields
 * either a typed event or a rejection (code + human message). Validation runs inside DuckDB
 * because it is vectorised and parallel there: a JavaScript loop over a million rows would cost
 * more than the insert itself. The SQL is generated once from contract.ts; values are never
 * spliced in (the only literals are the contract's own field names and enum values, which are
 * constants of this file's module, quoted by `lit`).
 */
import {
  ENVELOPE,
  EVENT_TYPES,
  EVENT_TYPE_NAMES,
  PAYLOAD_COLUMNS,
  type FieldRule,
  type FieldSpec,
} from './contract.ts';

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const list = (xs: readonly string[]) => `[${xs.map(lit).join(', ')}]`;
/**
 * Membership in a constant list. Not `x IN (…)`: DuckDB rewrites an IN list of six or more
 * constants into a mark join, and the dozens of joins that made cost ~70 ms of fixed planning and
 * start-up per statement, more than validating 20 000 rows.
 */
const isIn = (x: string, xs: readonly string[]) => `list_contains(${list(xs)}, ${x})`;

/** Field names in extraction order: envelope first, then every payload column. */
export const EXTRACTED_FIELDS: readonly string[] = [...Object.keys(ENVELOPE), ...PAYLOAD_COLUMNS.map((c) => c.name)];
const v = (name: string) => `v."${name}"`;
/** json_transform walks each document once into a struct of text values (3× faster than paths). */
const AS_TEXT_STRUCT = lit(JSON.stringify(Object.fromEntries(EXTRACTED_FIELDS.map((f) => [f, 'VARCHAR']))));

// Offsets within ±18:00 (RFC 3339 and ISO 8601 allow no more), minutes 00–59.
const RFC3339 = String.raw`^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-](0\d|1[0-7]):[0-5]\d|[+-]18:00)$`;
/**
 * The plausible range of dates, from the one-row table `plausible_dates` (written at start-up from
 * DATE_MIN and DATE_MAX_DAYS_AHEAD, see db/plausible-dates.ts): a date far in the past (0001-01-01)
 * made every analysis span two thousand years of empty months.
 */
const DATE_MIN = `(SELECT min_date FROM plausible_dates)`;
const DATE_MAX = `($now::TIMESTAMPTZ::DATE + (SELECT days_ahead FROM plausible_dates))`;
/** A JSON array or object where a string is required: json_transform hands it over as its JSON text. */
const jsonContainer = (x: string) => `((starts_with(${x}, '[') AND ends_with(${x}, ']')) OR (starts_with(${x}, '{') AND ends_with(${x}, '}')))`;
const ISO_DATE = String.raw`^\d{4}-\d{2}-\d{2}$`;

interface Check {
  when: string;
  code: string;
  message: string; // SQL expression producing the message
}

/** The checks for one field value `x` under `rule`, as (failure condition, code, message). */
function ruleChecks(field: string, rule: FieldRule, x: string): Check[] {
  const shown = `left(${x}, 80)`;
  switch (rule.kind) {
    case 'string':
      return [{ when: `length(${x}) > ${rule.max}`, code: 'too_long', message: `${lit(`${field} is longer than ${rule.max} characters (`)} || length(${x}) || ')'` }];
    case 'enum':
      return [{ when: `NOT ${isIn(x, rule.values)}`, code: 'invalid_value', message: `${lit(`${field} must be one of ${rule.values.join(', ')}; got "`)} || ${shown} || '"'` }];
    case 'country':
      return [{ when: `NOT regexp_full_match(${x}, '[A-Z]{2}')`, code: 'invalid_value', message: `${lit(`${field} must be an ISO 3166-1 alpha-2 code; got "`)} || ${shown} || '"'` }];
    case 'currency':
      return [{ when: `NOT regexp_full_match(${x}, '[A-Z]{3}')`, code: 'invalid_value', message: `${lit(`${field} must be an ISO 4217 code; got "`)} || ${shown} || '"'` }];
    case 'date':
      return [
        { when: `NOT regexp_full_match(${x}, ${lit(ISO_DATE)}) OR try_cast(${x} AS DATE) IS NULL`, code: 'invalid_value', message: `${lit(`${field} must be a date YYYY-MM-DD; got "`)} || ${shown} || '"'` },
        {
          when: `try_cast(${x} AS DATE) < ${DATE_MIN} OR try_cast(${x} AS DATE) > ${DATE_MAX}`,
          code: 'implausible_date',
          message: `${lit(`${field} must be between `)} || ${DATE_MIN} || ' and ' || ${DATE_MAX} || '; got ' || ${shown}`,
        },
      ];
    case 'number': {
      const d = `try_cast(${x} AS DOUBLE)`;
      const checks: Check[] = [
        { when: `${d} IS NULL`, code: 'invalid_value', message: `${lit(`${field} must be a number; got "`)} || ${shown} || '"'` },
        { when: `NOT isfinite(${d}) OR ${d} < ${rule.min} OR ${d} > ${rule.max}`, code: 'out_of_range', message: `${lit(`${field} must be finite and within [${rule.min}, ${rule.max}]; got `)} || ${shown}` },
      ];
      if (rule.integer) checks.push({ when: `${d} <> floor(${d})`, code: 'invalid_value', message: `${lit(`${field} must be a whole number; got `)} || ${shown}` });
      return checks;
    }
  }
}

interface CheckPlan {
  envelope: Check[];
  byType: Map<string, Check[]>;
  all: Check[]; // every check once, indexed by position: the code/message lookup
}

/**
 * Envelope checks run for every row; payload checks run only for rows of their own type (a CASE
 * on type dispatches), which keeps the per-row work proportional to one type's fields.
 */
function planChecks(): CheckPlan {
  const envelope: Check[] = [{ when: 'v IS NULL', code: 'invalid_json', message: `'row is not a valid JSON object'` }];
  for (const [name, spec] of Object.entries(ENVELOPE) as [string, FieldSpec][]) {
    envelope.push({ when: `${v(name)} IS NULL OR ${v(name)} = ''`, code: 'missing_field', message: lit(`${name} is required`) });
    if (name === 'event_id' || name === 'customer_id') {
      envelope.push({ when: jsonContainer(v(name)), code: 'invalid_value', message: lit(`${name} must be a string, not a JSON array or object`) });
    }
    envelope.push(...ruleChecks(name, spec.rule, v(name)));
    if (name === 'type') {
      envelope.push({
        when: `tn IS NULL`,
        code: 'unknown_type',
        message: `'unknown event type "' || left(${v('type')}, 80) || '"'`,
      });
    }
    if (name === 'occurred_at') {
      envelope.push({
        when: `ts IS NULL OR NOT regexp_full_match(${v(name)}, ${lit(RFC3339)})`,
        code: 'invalid_timestamp',
        message: `'occurred_at must be an RFC 3339 timestamp with offset or Z; got "' || left(${v(name)}, 80) || '"'`,
      });
      envelope.push({
        when: `ts < ${DATE_MIN}::TIMESTAMPTZ`,
        code: 'implausible_date',
        message: `'occurred_at is before ' || ${DATE_MIN} || ' (DATE_MIN): ' || left(${v(name)}, 80)`,
      });
      envelope.push({
        when: `ts > $now::TIMESTAMPTZ + INTERVAL 1 DAY`,
        code: 'future_timestamp',
        message: `'occurred_at is more than 1 day in the future: ' || left(${v(name)}, 80)`,
      });
    }
  }
  const byType = new Map<string, Check[]>();
  for (const [type, fields] of Object.entries(EVENT_TYPES) as [string, Record<string, FieldSpec>][]) {
    const checks: Check[] = [];
    for (const [name, spec] of Object.entries(fields)) {
      if (spec.required) {
        checks.push({ when: `${v(name)} IS NULL OR ${v(name)} = ''`, code: 'missing_field', message: lit(`${name} is required for ${type}`) });
      }
      for (const c of ruleChecks(name, spec.rule, v(name))) checks.push({ ...c, when: `${v(name)} IS NOT NULL AND (${c.when})` });
    }
    byType.set(type, checks);
  }
  return { envelope, byType, all: [...envelope, ...[...byType.values()].flat()] };
}

/** Each type's number (1-based): the row's type is looked up once, then dispatched on integers. */
const typeNumber = (type: string) => EVENT_TYPE_NAMES.indexOf(type as never) + 1;

const PLAN = planChecks();
const checkIndex = (c: Check) => PLAN.all.indexOf(c) + 1;

/** The number of the first failing check of a row (1-based into PLAN.all), or NULL when valid. */
const FAILED_CHECK = `CASE
    ${PLAN.envelope.map((c) => `WHEN ${c.when} THEN ${checkIndex(c)}`).join('\n    ')}
    ELSE CASE tn
      ${[...PLAN.byType]
        .filter(([, checks]) => checks.length)
        .map(([type, checks]) => `WHEN ${typeNumber(type)} THEN CASE ${checks.map((c) => `WHEN ${c.when} THEN ${checkIndex(c)}`).join(' ')} END`)
        .join('\n      ')}
    END
  END`;

const MESSAGE = `CASE failed ${PLAN.all.map((c, i) => `WHEN ${i + 1} THEN ${c.message}`).join('\n    ')} END`;
const CODES = list(PLAN.all.map((c) => c.code));

/** How many of its own type's fields (envelope included) a row carries with a value. */
const PRESENT_FIELDS = `(${Object.keys(ENVELOPE).length} + CASE tn ${EVENT_TYPE_NAMES.map(
  (t) => `WHEN ${typeNumber(t)} THEN ${Object.keys(EVENT_TYPES[t]).map((f) => `(${v(f)} IS NOT NULL)::INTEGER`).join(' + ') || '0'}`,
).join(' ')} ELSE 0 END)`;

function knownFieldsByType(): string {
  const envelope = Object.keys(ENVELOPE);
  const arms = EVENT_TYPE_NAMES.map((t) => `WHEN ${typeNumber(t)} THEN ${list([...envelope, ...Object.keys(EVENT_TYPES[t])])}`);
  return `CASE tn ${arms.join(' ')} ELSE ${list(envelope)} END`;
}

/** A payload column keeps its value only for the types that define the field (others go to extra). */
function typedColumn(name: string, type: string): string {
  const mask = EVENT_TYPE_NAMES.reduce((m, t) => (name in EVENT_TYPES[t] ? m | (1n << BigInt(typeNumber(t))) : m), 0n);
  return `CASE WHEN (${mask}::UBIGINT >> tn::UTINYINT) & 1 = 1 THEN try_cast(${v(name)} AS ${type}) END AS "${name}"`;
}

/**
 * Where one request's rows were staged: `documents` is the table `staged(rn, doc, raw, pre_code,
 * pre_message)` of JSON text (NDJSON, JSON, CSV); `columns` is `staged_columns(rn, extra_json,
 * <one VARCHAR column per contract field present in the body>)` (Arrow, whose columns need no
 * JSON round trip). Both are judged by the same checks.
 */
export type StagedSource = { kind: 'documents' } | { kind: 'columns'; fields: readonly string[] };

const TYPE_AND_TIME = `list_position(${list(EVENT_TYPE_NAMES)}, v."type") AS tn, try_cast(v."occurred_at" AS TIMESTAMPTZ) AS ts`;

/** The `parsed` rows (rn, raw, pre_code, pre_message, v, tn, ts, key count, and what builds doc). */
function parsedFrom(source: StagedSource): { parsed: string; keys: string; doc: string } {
  if (source.kind === 'documents') {
    return {
      parsed: `SELECT rn, doc, raw, pre_code, pre_message, v, ${TYPE_AND_TIME}
  FROM (
    SELECT *, CASE WHEN pre_code IS NULL AND (starts_with(doc, '{') OR starts_with(ltrim(doc), '{')) THEN try(json_transform(doc, ${AS_TEXT_STRUCT})) END AS v
    FROM staged
  )`,
      keys: 'len(json_keys(doc))',
      doc: 'doc',
    };
  }
  const present = new Set(source.fields);
  const fields = EXTRACTED_FIELDS.filter((f) => present.has(f));
  const v = `struct_pack(${EXTRACTED_FIELDS.map((f) => `"${f}" := ${present.has(f) ? `"${f}"` : 'NULL::VARCHAR'}`).join(', ')})`;
  // The row as a JSON object of its non-null cells plus its unknown columns: built only for the
  // rows that need it (rejected ones show it as their raw text; rows with extra fields read them).
  const entries = fields.map((f) => `struct_pack(key := ${lit(f)}, value := to_json(v."${f}"))`).join(', ');
  return {
    parsed: `SELECT rn, NULL::VARCHAR AS raw, NULL::VARCHAR AS pre_code, NULL::VARCHAR AS pre_message, v, extra_json, ${TYPE_AND_TIME}
  FROM (SELECT rn, ${v} AS v, extra_json FROM staged_columns)`,
    keys: `(${fields.map((f) => `(v."${f}" IS NOT NULL)::INTEGER`).join(' + ') || '0'} + coalesce(len(json_keys(extra_json)), 0))`,
    doc: `json_merge_patch(to_json(map_from_entries(list_filter([${entries}], lambda e: e.value IS NOT NULL))), coalesce(extra_json, '{}'))`,
  };
}

/**
 * SELECT over one request's staged rows giving, per row: rn, raw (rejected rows only), code,
 * message, and the typed event columns in events-table order plus `extra`. Bound parameter: $now
 * (the server clock, for the future-timestamp rule).
 *
 * Cost notes (measured on 500 000 events): the document is parsed by json_transform, whose
 * failure (try) also marks invalid JSON, instead of a separate json_valid pass; the type and the
 * timestamp are resolved once per row (tn, ts); the raw text is copied only for rejected rows.
 */
export function validationSql(source: StagedSource): string {
  const { parsed, keys, doc } = parsedFrom(source);
  return `
WITH parsed AS (
  ${parsed}
), checked AS (
  SELECT *, CASE WHEN pre_code IS NOT NULL THEN 0 ELSE ${FAILED_CHECK} END AS failed
  FROM parsed
), flagged AS (
  -- Fast path: a valid row whose key count equals the number of its type's fields that it
  -- carries has nothing extra; only the others pay for building the extra object.
  -- (A CASE, not AND: only CASE evaluates its branch for the selected rows alone, and a rejected
  -- row's document may not even parse.)
  SELECT *, CASE WHEN failed IS NULL THEN ${keys} <> ${PRESENT_FIELDS} ELSE false END AS has_extra
  FROM checked
), judged AS (
  SELECT *,
         CASE WHEN failed = 0 THEN pre_code WHEN failed > 0 THEN ${CODES}[failed] END AS code,
         CASE WHEN failed = 0 THEN pre_message WHEN failed > 0 THEN ${MESSAGE} END AS message,
         CASE WHEN has_extra OR failed IS NOT NULL THEN ${doc} END AS row_doc
  FROM flagged
), sorted AS (
  SELECT *, CASE WHEN has_extra THEN list_filter(json_keys(row_doc), lambda k: NOT list_contains(${knownFieldsByType()}, k)) END AS unknown
  FROM judged
)
SELECT rn, CASE WHEN code IS NOT NULL THEN coalesce(raw, rtrim(row_doc, chr(13))) END AS raw, code, message,
       ${v('event_id')} AS event_id,
       ${v('type')} AS type,
       ts AS occurred_at,
       ${v('customer_id')} AS customer_id,
       ${PAYLOAD_COLUMNS.map((c) => typedColumn(c.name, c.type)).join(',\n       ')},
       CASE WHEN len(unknown) > 0 THEN to_json(map_from_entries(list_transform(unknown,
         lambda k: struct_pack(key := k, value := json_extract(row_doc, '/' || replace(replace(k, '~', '~0'), '/', '~1')))))) END AS extra
FROM sorted`;
}

