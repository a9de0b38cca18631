/** Locale-aware number formatting; percentages with one decimal. */
const cache = new Map<string, Intl.NumberFormat>();
function nf(opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(opts);
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.NumberFormat(undefined, opts)));
  return f;
}

const DASH = '–';

export const fmtInt = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? DASH : nf({ maximumFractionDigits: 0 }).format(x));
export const fmtNum = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? DASH : nf({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
/** 0.1234 → "12.3 %" (locale decides spacing and decimal mark). */
export const fmtPct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? DASH : nf({ style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
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
  return nf({ maximumSignificantDigits: 2 }).format(p);
}

export const fmtInterval = (ci: readonly [number, number] | null | undefined, f: (x: number) => string) => (ci ? `${f(ci[0])}–${f(ci[1])}` : DASH);
export const pctCi = (ci: readonly [number, number] | null | undefined) => fmtInterval(ci, (x) => fmtPct(x));
export const ratioCi = (ci: readonly [number, number] | null | undefined) => fmtInterval(ci, (x) => fmtRatio(x));

/** "2025-03" → "Mar 2025" in the user's locale. */
export function fmtMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number);
  if (!y || !m) return ym;
  return new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, 1));
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso.length === 10 ? iso + 'T00:00:00Z' : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(d);
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
