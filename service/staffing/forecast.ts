/**
 * The contact forecast: a per-channel daily regression on the invoice calendar, times a weekly
 * pattern, spread over the day by a weekday × interval profile.
 *
 *   contacts(channel, day) = weekday_factor(channel, weekday) × Σ_k β(channel, k) · driver_k(day)
 *
 * Drivers (calendar.ts; all counts of the local day, summed over the window where contacts follow):
 *   invoices sent 1–3 days before, split into the customer's first invoice, later invoices in their
 *   first year and the rest (first invoices bring the most questions); invoices falling due from 2
 *   days before to 1 day after; hard reminders in the last 0–4 and 5–11 days (payment and fee
 *   contacts); failed debits in the last 0–2 days; collections in the last 0–5 days; and the active
 *   customer base (the background of technical, sales and cancellation contacts, and the trend).
 * Weekly pattern: contacts a customer would make at the weekend are partly made on Monday instead,
 * so every driver's weekend share δ moves to the next Monday (δ chosen on the pooled series by
 * least squares over a grid), and each weekday gets a multiplicative factor (mean 1).
 * Estimation: the coefficients are non-negative least squares (a driver can only add contacts;
 * nnls.ts) alternating with the weekday factors until both settle. The pooled series of all channels
 * is fitted first; each channel is then fitted with a ridge prior pulling it towards its share of the
 * pooled coefficients (prior SD half the coefficient, plus a little), and its weekday factors are
 * shrunk towards the pooled ones in proportion to its volume: a small channel borrows strength, a
 * big one speaks for itself.
 * Intraday: each channel's share of the day per weekday and interval over the last 52 weeks,
 * shrunk towards all channels' shape for that weekday, which is shrunk towards weekdays or weekend.
 * The future drivers come from calendar.ts's projection, so the same code forecasts the coming
 * weeks and, with an earlier cutoff, the held-out weeks of the back-test.
 */
import type { Database } from '../db/database.ts';
import { loadCalendar, valueOn, type Calendar, type CalendarBase, type CalendarField } from './calendar.ts';
import { CONTACT_CHANNELS, loadDailyContacts, loadProfile, type ContactChannel, type DailyContacts, type DailyContactsBase, type ProfileCounts } from './contact-history.ts';
import { dayToDate, isoWeekday, MINUTES_PER_DAY } from './local-time.ts';
import { addRidge, emptyGram, nnls } from './nnls.ts';
import { offThread } from '../off-thread.ts';

function sumOf(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

export interface Driver {
  key: string;
  label: string;
  field: CalendarField;
  /** Day offsets summed: the driver of day d is Σ field(d + o) for o in [from, to]. */
  from: number;
  to: number;
  /** Feature values are divided by this (customers per 1 000) to keep the columns comparable. */
  scale: number;
  /** What one unit of the coefficient × window means, for the report. */
  unit: string;
}

export const DRIVERS: readonly Driver[] = [
  { key: 'dispatch_first', label: 'First invoices sent 1–3 days earlier', field: 'issued_first', from: -3, to: -1, scale: 1, unit: 'contacts per invoice' },
  { key: 'dispatch_first_year', label: 'Later first-year invoices sent 1–3 days earlier', field: 'issued_first_year', from: -3, to: -1, scale: 1, unit: 'contacts per invoice' },
  { key: 'dispatch_other', label: 'Other invoices sent 1–3 days earlier', field: 'issued_other', from: -3, to: -1, scale: 1, unit: 'contacts per invoice' },
  { key: 'due_first', label: 'First invoices around their due date (−1…+2 days)', field: 'due_first', from: -1, to: 2, scale: 1, unit: 'contacts per invoice' },
  { key: 'due_first_year', label: 'Later first-year invoices around their due date (−1…+2 days)', field: 'due_first_year', from: -1, to: 2, scale: 1, unit: 'contacts per invoice' },
  { key: 'due_other', label: 'Other invoices around their due date (−1…+2 days)', field: 'due_other', from: -1, to: 2, scale: 1, unit: 'contacts per invoice' },
  { key: 'reminders_recent', label: 'Hard reminders sent 0–4 days before', field: 'hard_reminders', from: -4, to: 0, scale: 1, unit: 'contacts per reminder' },
  { key: 'reminders_older', label: 'Hard reminders sent 5–11 days before', field: 'hard_reminders', from: -11, to: -5, scale: 1, unit: 'contacts per reminder' },
  { key: 'payment_failures', label: 'Failed debits 0–2 days before', field: 'payment_failures', from: -2, to: 0, scale: 1, unit: 'contacts per failed debit' },
  { key: 'collections', label: 'Collections started 0–5 days before', field: 'collections', from: -5, to: 0, scale: 1, unit: 'contacts per collection' },
  { key: 'active_customers', label: 'Active customers (background, per day)', field: 'active_customers', from: 0, to: 0, scale: 1000, unit: 'contacts per 1 000 customers per day' },
];
// A due-date driver's offsets are the contact day relative to the due date: on day d it counts the
// invoices due on d − o for o in [from, to], i.e. due in [d − 2, d + 1].
const P = DRIVERS.length;

const DEFERRAL_GRID = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const ALTERNATIONS = 12;
/** Contacts of weight behind the pooled weekday factors when shrinking a channel's (see header). */
const WEEKDAY_PRIOR_CONTACTS = 300;
/** Pseudo-contacts behind the pooled shape in each channel's intraday profile. */
const PROFILE_PRIOR = 30;
const PROFILE_POOL_PRIOR = 60;
const FIT_MAX_DAYS = 728;
const PROFILE_DAYS = 364;
/** Handle times measured over this many days; defaults when a channel has no measured contacts. */
const AHT_DAYS = 84;
export const DEFAULT_AHT_SECONDS: Record<ContactChannel, number> = { phone: 360, chat: 600, email: 360, sms: 150, invoice_message: 360, social: 360 };

/** Raw driver values of a day (before the weekend deferral). */
function rawDrivers(cal: Calendar, day: number): Float64Array {
  const x = new Float64Array(P);
  DRIVERS.forEach((d, k) => {
    let s = 0;
    const due = d.field.startsWith('due_');
    for (let o = d.from; o <= d.to; o++) s += valueOn(cal, d.field, due ? day - o : day + o);
    x[k] = s / d.scale;
  });
  return x;
}

/** Drivers of a day after moving the weekend share δ to Monday (`raw` caches rawDrivers by day). */
export function driversOn(cal: Calendar, day: number, delta: number, raw: (day: number) => Float64Array = (d) => rawDrivers(cal, d)): Float64Array {
  const wd = isoWeekday(day);
  const x = Float64Array.from(raw(day));
  if (wd >= 6) {
    for (let k = 0; k < P; k++) if (DRIVERS[k].field !== 'active_customers') x[k] *= 1 - delta;
  } else if (wd === 1) {
    const sat = raw(day - 2);
    const sun = raw(day - 1);
    for (let k = 0; k < P; k++) if (DRIVERS[k].field !== 'active_customers') x[k] += delta * (sat[k] + sun[k]);
  }
  return x;
}

/** rawDrivers, memoised per day. */
function rawCache(cal: Calendar): (day: number) => Float64Array {
  const cache = new Map<number, Float64Array>();
  return (day) => {
    let x = cache.get(day);
    if (!x) cache.set(day, (x = rawDrivers(cal, day)));
    return x;
  };
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * Sufficient statistics of one series per ISO weekday: Σ x xᵀ, Σ x y and Σ y² over the days of that
 * weekday. With them every alternation of the fit costs O(7 p²) whatever the number of days, because
 * for weekday factors m the normal equations are Σ_w m_w² G_w β = Σ_w m_w b_w, and the weekday
 * factor's own least-squares update needs only βᵀ b_w and βᵀ G_w β.
 */
interface WeekdayStats {
  g: Float64Array[];
  b: Float64Array[];
  yy: number[];
  y: number[];
}

function gramsByWeekday(days: readonly number[], x: readonly Float64Array[]): Float64Array[] {
  const g = Array.from({ length: 8 }, () => new Float64Array(P * P));
  days.forEach((d, i) => {
    const gw = g[isoWeekday(d)];
    const r = x[i];
    for (let a = 0; a < P; a++) {
      const ra = r[a];
      if (ra === 0) continue;
      for (let c = 0; c < P; c++) gw[a * P + c] += ra * r[c];
    }
  });
  return g;
}

function statsFor(days: readonly number[], x: readonly Float64Array[], y: ArrayLike<number>, grams: Float64Array[]): WeekdayStats {
  const b = Array.from({ length: 8 }, () => new Float64Array(P));
  const yy = new Array<number>(8).fill(0);
  const ys = new Array<number>(8).fill(0);
  days.forEach((d, i) => {
    const w = isoWeekday(d);
    const yi = y[i];
    yy[w] += yi * yi;
    ys[w] += yi;
    if (yi !== 0) for (let k = 0; k < P; k++) b[w][k] += x[i][k] * yi;
  });
  return { g: grams, b, yy, y: ys };
}

const quad = (g: Float64Array, v: Float64Array) => {
  let s = 0;
  for (let a = 0; a < P; a++) for (let c = 0; c < P; c++) s += v[a] * g[a * P + c] * v[c];
  return s;
};

interface Fit {
  beta: Float64Array;
  /** Index 1–7 (ISO weekday); index 0 unused. */
  weekday: number[];
  sse: number;
}

interface Prior {
  beta: Float64Array;
  lambda: Float64Array;
  weekday: number[];
  weekdayWeight: number;
}

function fitSeries(st: WeekdayStats, prior?: Prior): Fit {
  let weekday = [1, 1, 1, 1, 1, 1, 1, 1];
  let beta: Float64Array = new Float64Array(P);
  for (let it = 0; it < ALTERNATIONS; it++) {
    const g = emptyGram(P);
    for (let w = 1; w <= 7; w++) {
      const m = weekday[w];
      for (let k = 0; k < P * P; k++) g.xtx[k] += m * m * st.g[w][k];
      for (let k = 0; k < P; k++) g.xty[k] += m * st.b[w][k];
    }
    if (prior) addRidge(g, prior.lambda, prior.beta);
    beta = nnls(g);
    const next = [1];
    for (let w = 1; w <= 7; w++) {
      const den = quad(st.g[w], beta);
      let m = den > 0 ? dot(beta, st.b[w]) / den : 1;
      if (prior) m = (st.y[w] * m + prior.weekdayWeight * prior.weekday[w]) / (st.y[w] + prior.weekdayWeight);
      next.push(Math.max(0, m));
    }
    const mean = next.slice(1).reduce((s, v) => s + v, 0) / 7;
    if (mean > 0) {
      for (let w = 1; w <= 7; w++) next[w] /= mean;
      for (let k = 0; k < P; k++) beta[k] *= mean;
    }
    const change = Math.max(...next.slice(1).map((v, i) => Math.abs(v - weekday[i + 1])));
    weekday = next;
    if (change < 1e-7) break;
  }
  let sse = 0;
  for (let w = 1; w <= 7; w++) sse += st.yy[w] - 2 * weekday[w] * dot(beta, st.b[w]) + weekday[w] * weekday[w] * quad(st.g[w], beta);
  return { beta, weekday, sse: Math.max(0, sse) };
}

export interface ChannelModel {
  channel: ContactChannel;
  beta: Float64Array;
  weekday: number[];
  mean_per_day: number;
  share_of_contacts: number;
  rmse_per_day: number;
  aht_seconds: number;
  aht_measured_contacts: number;
}

export interface ForecastModel {
  tz: string;
  cutoffDay: number;
  intervalMinutes: number;
  fitFromDay: number;
  fitDays: number;
  weekendDeferral: number;
  dispersion: number;
  pooled: { beta: Float64Array; weekday: number[] };
  channels: Record<ContactChannel, ChannelModel>;
  /** Share of the day per channel, ISO weekday (1–7) and slot. */
  profile: Record<ContactChannel, Float64Array[]>;
  calendar: Calendar;
  history: DailyContacts;
  /** Days excluded from the fit as outliers (see OUTLIER_Z), by date. */
  outliers: OutlierDay[];
}

export interface FitOptions {
  tz: string;
  cutoffDay: number;
  intervalMinutes: number;
  horizonDays: number;
}

export class NotEnoughHistoryError extends Error {
  override readonly name = 'NotEnoughHistoryError';
}

/** What does not depend on the cutoff: the zone's stored calendar, lags and daily contacts (calendar-store.ts). */
export interface ModelBase {
  calendar: CalendarBase;
  contacts: DailyContactsBase;
}

/** Loads the data known before `cutoffDay` and fits the model. */
export async function fitForecastModel(db: Database, o: FitOptions, base: ModelBase): Promise<ForecastModel> {
  const [calendar, history, profileCounts] = await Promise.all([
    loadCalendar(db, o.tz, o.cutoffDay, o.horizonDays, base.calendar),
    loadDailyContacts(o.cutoffDay, base.contacts),
    loadProfile(db, o.tz, o.cutoffDay - PROFILE_DAYS, o.cutoffDay, o.intervalMinutes),
  ]);
  // In the worker thread: the fit takes a core for 0.3–0.5 s on the large set (off-thread.ts).
  const model = await offThread('forecast', { o, calendar, history, profileCounts });
  // The intraday shape leaves the outlier days out too: one spike would otherwise bend every
  // Friday's shape towards the hours of that one day.
  const inProfile = model.outliers.filter((e) => e.day >= o.cutoffDay - PROFILE_DAYS);
  if (!inProfile.length) return model;
  const spikes = await Promise.all(inProfile.map((e) => loadProfile(db, o.tz, e.day, e.day + 1, o.intervalMinutes)));
  for (const spike of spikes) {
    for (const ch of CONTACT_CHANNELS) for (let w = 1; w <= 7; w++) spike[ch][w].forEach((v, s) => (profileCounts[ch][w][s] = Math.max(0, profileCounts[ch][w][s] - v)));
  }
  return { ...model, profile: intradayProfile(profileCounts, MINUTES_PER_DAY / o.intervalMinutes) };
}

/**
 * Outlier days (a contact spike from a campaign, an outage, a test load, a mis-dated import) would
 * otherwise be learnt as weekly pattern and level: one Friday of 20 000 contacts made every Friday
 * 4× a normal day. The rule, per series (the pooled series and each channel): fit, take each fitted
 * day's residual scaled as a count, r = (y − ŷ) / √max(ŷ, 1), and its robust z = (r − median r) /
 * max(1.4826 · MAD r, 1) (a Poisson count's scaled residual has SD ≈ 1, so a flat, sparse series
 * cannot make every contact look extreme). A day with |z| > OUTLIER_Z and at least
 * OUTLIER_MIN_EXCESS contacts away from its fit is excluded from every series' fit (weekday factors,
 * coefficients, the weekend deferral, dispersion), from the handle times and from the intraday
 * profile, and the fit is repeated until no new day is flagged (at most OUTLIER_ROUNDS times). Each round
 * excludes only the days within half the most extreme z of that round, so the days a spike makes
 * look low (its weekday's other days, under a fit pulled up by it) are judged again after the refit.
 * Residuals, not the raw weekday median: an invoice run's peak is a driver's doing and stays in the
 * fit; only what the invoice calendar cannot explain is excluded. The first fit is pulled towards
 * the spike, which only makes the spike's own residual smaller than it is, never hides it: 20 000
 * against a fitted ~30 still scores a z in the hundreds.
 */
export const OUTLIER_Z = 6;
export const OUTLIER_MIN_EXCESS = 10;
const OUTLIER_ROUNDS = 8;

export interface OutlierDay {
  date: string;
  day: number;
  weekday: number;
  /** The series that flagged it: a channel or `all`. */
  series: ContactChannel | 'all';
  contacts: number;
  /** What the fit without the outliers expects that day. */
  expected: number;
  z: number;
}

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Days of one series whose robust z of the scaled residual passes the rule above. */
export function flagOutliers(y: ArrayLike<number>, fitted: ArrayLike<number>): { index: number; z: number }[] {
  const r = Array.from({ length: y.length }, (_, i) => (y[i] - fitted[i]) / Math.sqrt(Math.max(fitted[i], 1)));
  const med = median(r);
  const scale = Math.max(1.4826 * median(r.map((v) => Math.abs(v - med))), 1);
  const out: { index: number; z: number }[] = [];
  r.forEach((v, i) => {
    const z = (v - med) / scale;
    if (Math.abs(z) > OUTLIER_Z && Math.abs(y[i] - fitted[i]) >= OUTLIER_MIN_EXCESS) out.push({ index: i, z });
  });
  return out;
}

export function fitFromData(o: FitOptions, calendar: Calendar, history: DailyContacts, profileCounts: ProfileCounts): ForecastModel {
  if (calendar.firstInvoiceDay === null) throw new NotEnoughHistoryError('no invoices before the cutoff: the forecast needs an invoice calendar');
  // The first two months of a calendar lack the due dates and reminders of invoices issued before
  // the data begins (and a source's first invoices are often history's n-th), so they are not fitted.
  const fitFromDay = Math.max(calendar.firstInvoiceDay + 60, history.firstDay, o.cutoffDay - FIT_MAX_DAYS);
  const candidate: number[] = [];
  for (let d = fitFromDay; d < o.cutoffDay; d++) candidate.push(d);
  if (candidate.length < 28) throw new NotEnoughHistoryError(`only ${candidate.length} days of contacts and invoices before the cutoff; the forecast needs at least 28`);
  const at = (d: number) => d - history.firstDay;
  const raw = rawCache(calendar);
  const excluded = new Map<number, OutlierDay>();
  let fitted = fitOnDays(o, calendar, history, candidate, raw, excluded);
  for (let round = 0; round < OUTLIER_ROUNDS; round++) {
    const days = candidate.filter((d) => !excluded.has(d));
    const found: { day: number; series: ContactChannel | 'all'; contacts: number; expected: number; z: number }[] = [];
    for (const series of ['all', ...CONTACT_CHANNELS] as const) {
      const y = days.map((d) => (series === 'all' ? CONTACT_CHANNELS.reduce((s, ch) => s + (history.counts[ch][at(d)] ?? 0), 0) : (history.counts[series][at(d)] ?? 0)));
      const f = days.map((d) => (series === 'all' ? CONTACT_CHANNELS.reduce((s, ch) => s + fitted.predict(ch, d), 0) : fitted.predict(series, d)));
      for (const { index, z } of flagOutliers(y, f)) found.push({ day: days[index], series, contacts: y[index], expected: f[index], z });
    }
    // Only the most extreme days of a round, over every series: a spike first pulls the fits towards
    // it (its weekday's factor, and through the pooled prior every channel's coefficients), so other
    // days look odd until it is out; they are judged again after the refit.
    const top = Math.max(0, ...found.map((x) => Math.abs(x.z)));
    let added = 0;
    for (const x of found.filter((x) => Math.abs(x.z) >= top / 2)) {
      const prev = excluded.get(x.day);
      if (!prev) added++;
      // A day keeps the series with the most extreme z.
      if (!prev || Math.abs(x.z) > Math.abs(prev.z)) excluded.set(x.day, { date: dayToDate(x.day), day: x.day, weekday: isoWeekday(x.day), series: x.series, contacts: x.contacts, expected: x.expected, z: x.z });
    }
    if (!added) break;
    fitted = fitOnDays(o, calendar, history, candidate, raw, excluded);
  }
  // What each excluded day "should" have been, by the final (clean) fit.
  for (const e of excluded.values()) {
    e.expected = e.series === 'all' ? CONTACT_CHANNELS.reduce((s, ch) => s + fitted.predict(ch, e.day), 0) : fitted.predict(e.series, e.day);
  }
  const outliers = [...excluded.values()].sort((a, b) => a.day - b.day);
  return {
    ...fitted.model,
    profile: intradayProfile(profileCounts, MINUTES_PER_DAY / o.intervalMinutes),
    outliers,
  };
}

/** One fit of every series on the candidate days less the excluded ones. */
function fitOnDays(o: FitOptions, calendar: Calendar, history: DailyContacts, candidate: readonly number[], raw: (day: number) => Float64Array, excluded: Map<number, unknown>) {
  const days = candidate.filter((d) => !excluded.has(d));
  const fitFromDay = candidate[0];
  const at = (d: number) => d - history.firstDay;
  const series = (ch: ContactChannel) => Float64Array.from(days, (d) => history.counts[ch][at(d)] ?? 0);
  const total = new Float64Array(days.length);
  for (const ch of CONTACT_CHANNELS) series(ch).forEach((v, i) => (total[i] += v));

  // Pooled fit over the deferral grid.
  let best: { delta: number; fit: Fit; x: Float64Array[]; grams: Float64Array[] } | null = null;
  for (const delta of DEFERRAL_GRID) {
    const x = days.map((d) => driversOn(calendar, d, delta, raw));
    const grams = gramsByWeekday(days, x);
    const fit = fitSeries(statsFor(days, x, total, grams));
    if (!best || fit.sse < best.fit.sse) best = { delta, fit, x, grams };
  }
  const { delta, fit: pooled, x, grams } = best!;
  const totalSum = total.reduce((s, v) => s + v, 0);
  const totalMean = totalSum / days.length;
  const dispersion = totalMean > 0 ? Math.max(1, pooled.sse / Math.max(1, days.length - P - 7) / totalMean) : 1;
  const rms = DRIVERS.map((_, k) => Math.sqrt(x.reduce((s, r) => s + r[k] * r[k], 0) / x.length) || 1);

  const channels = {} as Record<ContactChannel, ChannelModel>;
  for (const ch of CONTACT_CHANNELS) {
    const y = series(ch);
    const sum = y.reduce((s, v) => s + v, 0);
    const share = totalSum > 0 ? sum / totalSum : 0;
    const mean = sum / days.length;
    const prior = Float64Array.from(pooled.beta, (b) => b * share);
    const variance = Math.max(mean, 0.05) * dispersion;
    // Prior SD: half the coefficient, plus what moves the channel by 2 % of its mean per RMS driver.
    const lambda = Float64Array.from(prior, (b, k) => {
      const tau = 0.5 * Math.abs(b) + (0.02 * Math.max(mean, 0.05)) / rms[k];
      return variance / (tau * tau);
    });
    const fit = fitSeries(statsFor(days, x, y, grams), { beta: prior, lambda, weekday: pooled.weekday, weekdayWeight: WEEKDAY_PRIOR_CONTACTS });
    // Handle time over the last weeks (all history when that is too thin); outlier days left out.
    const ahtOver = (from: number) => {
      let s = 0;
      let n = 0;
      for (let d = Math.max(from, history.firstDay); d < history.endDay; d++) {
        if (excluded.has(d)) continue;
        s += history.handle[ch].sum[at(d)];
        n += history.handle[ch].n[at(d)];
      }
      return { s, n };
    };
    let aht = ahtOver(o.cutoffDay - AHT_DAYS);
    if (aht.n < 30) aht = ahtOver(history.firstDay);
    channels[ch] = {
      channel: ch,
      beta: fit.beta,
      weekday: fit.weekday,
      mean_per_day: mean,
      share_of_contacts: share,
      rmse_per_day: Math.sqrt(fit.sse / days.length),
      aht_seconds: aht.n > 0 ? aht.s / aht.n : DEFAULT_AHT_SECONDS[ch],
      aht_measured_contacts: aht.n,
    };
  }
  const predict = (ch: ContactChannel, day: number) => channels[ch].weekday[isoWeekday(day)] * dot(channels[ch].beta, driversOn(calendar, day, delta, raw));
  return {
    predict,
    model: {
      tz: o.tz,
      cutoffDay: o.cutoffDay,
      intervalMinutes: o.intervalMinutes,
      fitFromDay,
      fitDays: days.length,
      weekendDeferral: delta,
      dispersion,
      pooled: { beta: pooled.beta, weekday: pooled.weekday },
      channels,
      calendar,
      history,
    },
  };
}

/** Shares of the day per channel, weekday and slot, shrunk as described in the header. */
export function intradayProfile(counts: ProfileCounts, slots: number): Record<ContactChannel, Float64Array[]> {
  const sum = (a: ArrayLike<number>) => sumOf(a);
  const all = Array.from({ length: 8 }, () => new Float64Array(slots));
  for (const ch of CONTACT_CHANNELS) for (let w = 1; w <= 7; w++) for (let s = 0; s < slots; s++) all[w][s] += counts[ch][w][s];
  const typeShape = (weekdays: number[]) => {
    const t = new Float64Array(slots);
    for (const w of weekdays) for (let s = 0; s < slots; s++) t[s] += all[w][s];
    const n = sum(t);
    return n > 0 ? t.map((v) => v / n) : new Float64Array(slots).fill(1 / slots);
  };
  const workday = typeShape([1, 2, 3, 4, 5]);
  const weekend = typeShape([6, 7]);
  const pooled = [new Float64Array(slots)];
  for (let w = 1; w <= 7; w++) {
    const base = w >= 6 ? weekend : workday;
    const n = sum(all[w]);
    pooled.push(Float64Array.from(all[w], (v, s) => (v + PROFILE_POOL_PRIOR * base[s]) / (n + PROFILE_POOL_PRIOR)));
  }
  const out = {} as Record<ContactChannel, Float64Array[]>;
  for (const ch of CONTACT_CHANNELS) {
    out[ch] = [new Float64Array(slots)];
    for (let w = 1; w <= 7; w++) {
      const n = sum(counts[ch][w]);
      out[ch].push(Float64Array.from(counts[ch][w], (v, s) => (v + PROFILE_PRIOR * pooled[w][s]) / (n + PROFILE_PRIOR)));
    }
  }
  return out;
}

/** Expected contacts of a channel on a local day. */
export function dailyForecast(model: ForecastModel, channel: ContactChannel, day: number): number {
  const m = model.channels[channel];
  return m.weekday[isoWeekday(day)] * dot(m.beta, driversOn(model.calendar, day, model.weekendDeferral));
}

/**
 * Expected contacts per channel for `days` days from `fromDay`, interval by interval
 * (index = day offset × slots + slot).
 */
export function intervalForecast(model: ForecastModel, fromDay: number, days: number): Record<ContactChannel, Float64Array> {
  const slots = MINUTES_PER_DAY / model.intervalMinutes;
  const out = {} as Record<ContactChannel, Float64Array>;
  const raw = rawCache(model.calendar);
  const drivers = Array.from({ length: days }, (_, i) => driversOn(model.calendar, fromDay + i, model.weekendDeferral, raw));
  for (const ch of CONTACT_CHANNELS) {
    const m = model.channels[ch];
    const values = new Float64Array(days * slots);
    for (let i = 0; i < days; i++) {
      const wd = isoWeekday(fromDay + i);
      const daily = m.weekday[wd] * dot(m.beta, drivers[i]);
      const shape = model.profile[ch][wd];
      for (let s = 0; s < slots; s++) values[i * slots + s] = daily * shape[s];
    }
    out[ch] = values;
  }
  return out;
}

/** The fitted coefficients in the units a support lead reads: contacts per invoice, reminder, … */
export function describeModel(model: ForecastModel) {
  const perEvent = (beta: Float64Array, k: number) => beta[k] * (DRIVERS[k].field === 'active_customers' ? 1 : DRIVERS[k].to - DRIVERS[k].from + 1);
  return {
    kind: 'daily NNLS regression on the invoice calendar × weekday factors × weekday-by-interval profile',
    fitted_from: new Date(model.fitFromDay * 86_400_000).toISOString().slice(0, 10),
    fitted_days: model.fitDays,
    weekend_deferral: model.weekendDeferral,
    dispersion: model.dispersion,
    drivers: DRIVERS.map((d, k) => ({ key: d.key, label: d.label, unit: d.unit, pooled: perEvent(model.pooled.beta, k) })),
    channels: CONTACT_CHANNELS.map((ch) => {
      const m = model.channels[ch];
      return {
        channel: ch,
        mean_contacts_per_day: m.mean_per_day,
        share_of_contacts: m.share_of_contacts,
        rmse_per_day: m.rmse_per_day,
        aht_seconds: m.aht_seconds,
        aht_measured_contacts: m.aht_measured_contacts,
        weekday_factors: m.weekday.slice(1),
        coefficients: Object.fromEntries(DRIVERS.map((d, k) => [d.key, perEvent(m.beta, k)])),
      };
    }),
    projection: model.calendar.projection,
    outliers: {
      rule: `A fitted day whose residual, scaled as a count ((y − fit) / √max(fit, 1)), has a robust z-score (against the median and 1.4826 × MAD of all fitted days, scale at least 1) beyond ±${OUTLIER_Z}, and is at least ${OUTLIER_MIN_EXCESS} contacts from its fit, in the pooled series or any channel, is excluded from the fit (weekday factors, coefficients, handle times, intraday profile); the fit is repeated until no new day is flagged.`,
      days: model.outliers.map((e) => ({ date: e.date, weekday: e.weekday, series: e.series, contacts: e.contacts, expected: e.expected, z: e.z })),
    },
  };
}
