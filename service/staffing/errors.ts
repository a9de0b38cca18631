/**
 * Staffing figures feed rosters, so a nonsense input (a NaN forecast, a 120 % service level, a
 * shrinkage of 1 that would divide by zero) must stop the calculation loudly instead of producing
 * a plausible-looking agent count. Every check throws the same typed error, carrying the
 * `code`/`details` pair of the API error envelope (docs/api.md), so a route can hand it straight to
 * the caller as a 400 without parsing messages, and the message names the field, the accepted
 * range and the value received so a support lead can fix a scenario without reading code.
 */

export interface StaffingInputErrorDetails {
  field: string;
  value: unknown;
  expected: string;
}

export class StaffingInputError extends Error {
  override readonly name = 'StaffingInputError';
  readonly code = 'invalid_staffing_input';
  readonly details: StaffingInputErrorDetails;

  constructor(details: StaffingInputErrorDetails, message?: string) {
    super(message ?? `${details.field} must be ${details.expected}; got ${describe(details.value)}`);
    this.details = details;
  }
}

/** A combination of query parameters that cannot be planned (opening hours, response target). */
export class StaffingQueryError extends Error {
  override readonly name = 'StaffingQueryError';
  readonly code = 'invalid_request';
  constructor(readonly details: { path: string; message: string }[]) {
    super('invalid query parameters');
  }
}

export interface NumericRange {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
}

/** Throws a StaffingInputError unless `value` is a finite number inside `range`. */
export function requireNumberInRange(field: string, value: unknown, range: NumericRange = {}): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (range.integer !== true || Number.isInteger(value)) &&
    (range.min === undefined || (range.minExclusive === true ? value > range.min : value >= range.min)) &&
    (range.max === undefined || (range.maxExclusive === true ? value < range.max : value <= range.max));
  if (!ok) throw new StaffingInputError({ field, value, expected: expectation(range) });
  return value;
}

function expectation(range: NumericRange): string {
  const parts: string[] = [];
  if (range.min !== undefined) parts.push(`${range.minExclusive === true ? '>' : '≥'} ${range.min}`);
  if (range.max !== undefined) parts.push(`${range.maxExclusive === true ? '<' : '≤'} ${range.max}`);
  const kind = range.integer === true ? 'a finite integer' : 'a finite number';
  return parts.length === 0 ? kind : `${kind} ${parts.join(' and ')}`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  return String(value);
}
