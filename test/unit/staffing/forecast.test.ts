// The forecast model on synthetic data with known truth: contacts drawn (seeded Poisson) from a
// planted regression on an invoice calendar, with planted weekday factors and weekend deferral.
// The fit must recover the planted contacts per event and forecast held-out weeks close to the
// planted expectation — better than the seasonal-naive forecast of the same draws.
import { describe, expect, it } from 'vitest';
import { CALENDAR_FIELDS, type Calendar, type CalendarField } from '../../../service/staffing/calendar.ts';
import { CONTACT_CHANNELS, type DailyContacts, type ProfileCounts } from '../../../service/staffing/contact-history.ts';
import { dailyForecast, DRIVERS, driversOn, fitFromData, intervalForecast, intradayProfile, NotEnoughHistoryError } from '../../../service/staffing/forecast.ts';
import { offThread, offThreadRuns } from '../../../service/off-thread.ts';
import { dayOfMonth, isoWeekday } from '../../../service/staffing/local-time.ts';
import { mulberry32 } from '../../helpers/random.ts';

function poisson(random: () => number, lambda: number): number {
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random())));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= random();
  } while (p > l);
  return k - 1;
}

const FIRST = 20_000; // a Thursday in 2024
const CUTOFF = FIRST + 600;
const LAST = CUTOFF + 120;
const DELTA = 0.6;
const WEEKDAY = [0, 1.3, 1.05, 1.0, 1.0, 0.95, 0.35, 0.35];
/** Planted contacts per event (per driver window, as describeModel reports them). */
const TRUTH: Record<string, number> = { dispatch_first: 0.2, dispatch_first_year: 0.03, dispatch_other: 0.012, due_first: 0.1, due_first_year: 0, due_other: 0.006, reminders_recent: 0.3, reminders_older: 0, payment_failures: 0.15, collections: 0, active_customers: 0.25 };

function syntheticCalendar(random: () => number): Calendar {
  const n = LAST - FIRST + 1;
  const series = Object.fromEntries([...CALENDAR_FIELDS, 'active_customers'].map((f) => [f, new Float64Array(n)])) as Record<CalendarField, Float64Array>;
  for (let d = FIRST; d <= LAST; d++) {
    const i = d - FIRST;
    const dom = dayOfMonth(d);
    const run = dom === 1 ? 2 : dom === 10 || dom === 20 ? 1 : 0;
    // Runs vary independently in size (sign-up waves, cohorts ageing), as in real billing.
    series.issued_other[i] += run * (3000 + 2 * i) * (0.8 + 0.4 * random());
    series.issued_first_year[i] += run * 400 * (0.5 + random());
    series.issued_first[i] += run * 150 * (0.2 + 1.6 * random());
    for (const [from, to] of [['issued_other', 'due_other'], ['issued_first_year', 'due_first_year'], ['issued_first', 'due_first']] as const) {
      const term = 14 + (i % 5);
      if (i + term < n) series[to][i + term] += series[from][i];
    }
    series.active_customers[i] = 40_000 + 8 * i;
  }
  for (let i = 0; i < n; i++) {
    const due = series.due_other[i] + series.due_first_year[i] + series.due_first[i];
    // Reminders and failed debits follow the due dates with their own noise, as binomial counts do.
    if (i + 8 < n) series.hard_reminders[i + 8] += 0.02 * due * (0.6 + 0.8 * random());
    series.payment_failures[i] += 0.01 * due * (0.6 + 0.8 * random());
  }
  return {
    firstDay: FIRST,
    cutoffDay: CUTOFF,
    lastDay: LAST,
    series,
    firstInvoiceDay: FIRST,
    projection: { monthly_churn: 0, billed_customers: 0, first_invoices_per_month: 0, active_trend_per_day: 0, lags: {} as Calendar['projection']['lags'] },
  };
}

/** Planted expected contacts of a day (all channels). */
function truthOn(cal: Calendar, day: number): number {
  const x = driversOn(cal, day, DELTA);
  let s = 0;
  DRIVERS.forEach((d, k) => {
    const window = d.field === 'active_customers' ? 1 : d.to - d.from + 1;
    s += (TRUTH[d.key] / window) * x[k];
  });
  return WEEKDAY[isoWeekday(day)] * s;
}

describe('forecast model on synthetic data with a planted truth', () => {
  const random = mulberry32(42);
  const cal = syntheticCalendar(random);
  const shares = { phone: 0.6, chat: 0.25, email: 0.15, sms: 0, invoice_message: 0, social: 0 } as const;
  const days = LAST - FIRST + 1;
  const counts = Object.fromEntries(CONTACT_CHANNELS.map((c) => [c, new Float64Array(days)])) as DailyContacts['counts'];
  for (let d = FIRST; d <= LAST; d++) for (const ch of CONTACT_CHANNELS) counts[ch][d - FIRST] = poisson(random, shares[ch] * truthOn(cal, d));
  const history: DailyContacts = {
    firstDay: FIRST,
    endDay: CUTOFF,
    counts: Object.fromEntries(CONTACT_CHANNELS.map((c) => [c, counts[c].slice(0, CUTOFF - FIRST)])) as DailyContacts['counts'],
    handle: Object.fromEntries(CONTACT_CHANNELS.map((c) => [c, { sum: new Float64Array(CUTOFF - FIRST).fill(300), n: new Float64Array(CUTOFF - FIRST).fill(1) }])) as DailyContacts['handle'],
  };
  const profile: ProfileCounts = Object.fromEntries(CONTACT_CHANNELS.map((c) => [c, Array.from({ length: 8 }, () => new Float64Array(48).fill(10))])) as ProfileCounts;
  const model = fitFromData({ tz: 'UTC', cutoffDay: CUTOFF, intervalMinutes: 30, horizonDays: 56 }, cal, history, profile);

  it('flags no outlier on clean data, invoice-run peaks included', () => {
    expect(model.outliers).toEqual([]);
  });

  it('excludes a one-day spike from the weekly pattern and the level, and lists it', () => {
    // A Friday of 20 000 extra phone contacts, 100 days before the cutoff.
    let spikeDay = CUTOFF - 100;
    while (isoWeekday(spikeDay) !== 5) spikeDay++;
    const phone = Float64Array.from(history.counts.phone);
    const normal = phone[spikeDay - FIRST];
    phone[spikeDay - FIRST] += 20_000;
    const dirty = fitFromData({ tz: 'UTC', cutoffDay: CUTOFF, intervalMinutes: 30, horizonDays: 56 }, cal, { ...history, counts: { ...history.counts, phone } }, profile);
    expect(dirty.outliers.map((o) => [o.day, o.series, o.contacts])).toEqual([[spikeDay, 'phone', normal + 20_000]]);
    expect(dirty.outliers[0].expected).toBeGreaterThan(0.5 * normal);
    expect(dirty.outliers[0].expected).toBeLessThan(2 * normal);
    expect(dirty.fitDays).toBe(model.fitDays - 1);
    for (let w = 1; w <= 7; w++) expect(Math.abs(dirty.channels.phone.weekday[w] - model.channels.phone.weekday[w]), `weekday ${w}`).toBeLessThan(0.02);
    for (let d = CUTOFF; d < CUTOFF + 28; d++) expect(Math.abs(dailyForecast(dirty, 'phone', d) / dailyForecast(model, 'phone', d) - 1)).toBeLessThan(0.02);
  });

  it('recovers the weekend deferral and the weekly pattern', () => {
    expect(Math.abs(model.weekendDeferral - DELTA)).toBeLessThanOrEqual(0.1 + 1e-9); // one grid step
    const mean = WEEKDAY.slice(1).reduce((a, b) => a + b, 0) / 7;
    for (let w = 1; w <= 7; w++) expect(model.pooled.weekday[w]).toBeCloseTo(WEEKDAY[w] / mean, 1);
  });

  it('recovers the planted contacts per event of the big drivers', () => {
    const perEvent = (key: string) => {
      const k = DRIVERS.findIndex((d) => d.key === key);
      const d = DRIVERS[k];
      const mean = WEEKDAY.slice(1).reduce((a, b) => a + b, 0) / 7;
      return (model.pooled.beta[k] * (d.field === 'active_customers' ? 1 : d.to - d.from + 1)) / mean;
    };
    console.log(Object.fromEntries(DRIVERS.map((d) => [d.key, [Number(perEvent(d.key).toFixed(4)), TRUTH[d.key]]])));
    for (const key of ['dispatch_first', 'dispatch_other', 'due_other', 'reminders_recent', 'active_customers']) {
      expect(Math.abs(perEvent(key) - TRUTH[key]) / TRUTH[key], key).toBeLessThan(0.25);
    }
  });

  it('forecasts held-out weeks near the planted expectation and beats seasonal naive', () => {
    let absModel = 0;
    let absNaive = 0;
    let absTruth = 0;
    let total = 0;
    for (let d = CUTOFF; d < CUTOFF + 56; d++) {
      for (const ch of CONTACT_CHANNELS) {
        const actual = counts[ch][d - FIRST];
        absModel += Math.abs(actual - dailyForecast(model, ch, d));
        absNaive += Math.abs(actual - counts[ch][d - 7 - FIRST]);
        absTruth += Math.abs(actual - shares[ch] * truthOn(cal, d));
        total += actual;
      }
    }
    expect(absModel / total).toBeLessThan(absNaive / total);
    // Within 20 % of the error the planted expectation itself makes (pure Poisson noise).
    expect(absModel / absTruth).toBeLessThan(1.2);
  });

  it('spreads each day over the intraday profile without losing contacts', () => {
    const f = intervalForecast(model, CUTOFF, 7);
    for (let i = 0; i < 7; i++) {
      const day = Array.from(f.phone.slice(i * 48, (i + 1) * 48)).reduce((a, b) => a + b, 0);
      expect(day).toBeCloseTo(dailyForecast(model, 'phone', CUTOFF + i), 9);
    }
  });

  it('fits the same in the worker thread, bit for bit, and refuses there with the same error', async () => {
    const o = { tz: 'UTC', cutoffDay: CUTOFF, intervalMinutes: 30, horizonDays: 56 };
    const before = offThreadRuns.forecast ?? 0;
    const off = await offThread('forecast', { o, calendar: cal, history, profileCounts: profile });
    expect(offThreadRuns.forecast).toBe(before + 1);
    expect(Array.from(off.pooled.beta)).toEqual(Array.from(model.pooled.beta));
    expect(off.weekendDeferral).toBe(model.weekendDeferral);
    for (const ch of CONTACT_CHANNELS) {
      expect(Array.from(off.channels[ch].beta)).toEqual(Array.from(model.channels[ch].beta));
      expect(off.channels[ch].weekday).toEqual(model.channels[ch].weekday);
    }
    const short = await offThread('forecast', { o: { ...o, cutoffDay: FIRST + 70 }, calendar: cal, history, profileCounts: profile }).catch((e: unknown) => e);
    expect(short).toBeInstanceOf(NotEnoughHistoryError);
    expect((short as Error).message).toMatch(/only \d+ days of contacts/);
  });
});

describe('intradayProfile', () => {
  it('is a distribution per channel and weekday, and shrinks a thin channel to the pooled shape', () => {
    const counts = Object.fromEntries(CONTACT_CHANNELS.map((c) => [c, Array.from({ length: 8 }, () => new Float64Array(4))])) as ProfileCounts;
    for (let w = 1; w <= 7; w++) counts.phone[w].set([0, 300, 600, 100]);
    counts.sms[1].set([1, 0, 0, 0]);
    const p = intradayProfile(counts, 4);
    for (const ch of CONTACT_CHANNELS) for (let w = 1; w <= 7; w++) expect(Array.from(p[ch][w]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(p.sms[1][2]).toBeGreaterThan(p.sms[1][0]);
    expect(p.phone[3][2]).toBeCloseTo(0.6, 1);
  });
});
