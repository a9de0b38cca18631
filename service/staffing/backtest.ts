/**
 * How far to trust the forecast: a rolling-origin back-test over the last held-out weeks. For each
 * week, the model is refitted with only what was known at its start (calendar.ts projects that
 * week's invoice runs from the billing cycle, exactly as the live forecast does) and its forecast is
 * compared with what arrived, interval by interval and day by day, against the seasonal-naive
 * baseline (the same interval one week earlier) that any forecast must beat to be worth having.
 * Errors, per channel and for all channels together: daily WAPE = Σ|actual − forecast| / Σ actual
 * over days (the headline: it is what a roster is planned against, and it stays defined when days
 * are empty), daily MAPE over days with at least one contact (reported with how many days it
 * covers), bias = Σ(forecast − actual) / Σ actual, and per interval the RMSE and WAPE. At interval
 * level with a handful of contacts per day the absolute error is minimised by forecasting the median,
 * i.e. zero everywhere, which staffs nobody; the RMSE rewards the expected count that Erlang C needs,
 * so the interval comparison is judged on RMSE and the interval WAPE is shown for reference.
 */
import type { Database } from '../db/database.ts';
import { CONTACT_CHANNELS, loadIntervalActuals, type ContactChannel } from './contact-history.ts';
import { intervalForecast, type ForecastModel } from './forecast.ts';
import { dayToDate, MINUTES_PER_DAY } from './local-time.ts';
import { forecastVerdict, wapeDifference, WAPE_DIFFERENCE_METHOD } from './forecast-verdict.ts';

export interface BacktestOptions {
  tz: string;
  cutoffDay: number;
  weeks: number;
  intervalMinutes: number;
}

export interface ErrorSet {
  daily_wape: number | null;
  daily_mape: number | null;
  mape_days: number;
  bias: number | null;
  interval_rmse: number | null;
  interval_wape: number | null;
}

interface Accumulator {
  actual: number;
  absModel: number;
  absNaive: number;
  sumModel: number;
  sumNaive: number;
  sqModel: number;
  sqNaive: number;
  intervals: number;
  dayAbsPctModel: number;
  dayAbsPctNaive: number;
  days: number;
  dayAbsModel: number;
  dayAbsNaive: number;
}

/** One interval's actual `a`, model forecast `f` and seasonal-naive forecast `n` into a channel's (or all channels') errors. */
function addInterval(acc: Accumulator, a: number, f: number, n: number): void {
  acc.actual += a;
  acc.absModel += Math.abs(a - f);
  acc.absNaive += Math.abs(a - n);
  acc.sumModel += f;
  acc.sumNaive += n;
  acc.sqModel += (a - f) ** 2;
  acc.sqNaive += (a - n) ** 2;
  acc.intervals++;
}

const fresh = (): Accumulator => ({ actual: 0, absModel: 0, absNaive: 0, sumModel: 0, sumNaive: 0, sqModel: 0, sqNaive: 0, intervals: 0, dayAbsPctModel: 0, dayAbsPctNaive: 0, days: 0, dayAbsModel: 0, dayAbsNaive: 0 });

/** `fit` returns the model fitted on the data before a local day (engine.ts caches it). */
export async function backtest(db: Database, o: BacktestOptions, fit: (origin: number) => Promise<ForecastModel>) {
  const slots = MINUTES_PER_DAY / o.intervalMinutes;
  const firstOrigin = o.cutoffDay - 7 * o.weeks;
  // Actuals of the held-out weeks and of the week before them (the first naive forecast).
  const actualRows = await loadIntervalActuals(db, o.tz, firstOrigin - 7, o.cutoffDay, o.intervalMinutes);
  const span = (o.weeks + 1) * 7 * slots;
  const actual = Object.fromEntries(CONTACT_CHANNELS.map((c) => [c, new Float64Array(span)])) as Record<ContactChannel, Float64Array>;
  const base = (firstOrigin - 7) * MINUTES_PER_DAY;
  for (const r of actualRows) {
    const i = Math.floor((r.minute - base) / o.intervalMinutes);
    if (i >= 0 && i < span) actual[r.channel][i] += r.contacts;
  }

  const keys = [...CONTACT_CHANNELS, 'all'] as const;
  type Key = (typeof keys)[number];
  const interval = Object.fromEntries(keys.map((k) => [k, fresh()])) as Record<Key, Accumulator>;
  const daily: { date: string; channel: Key; actual: number; forecast: number; seasonal_naive: number }[] = [];
  const origins: { origin: string; weekend_deferral: number; fitted_days: number }[] = [];

  for (let w = 0; w < o.weeks; w++) {
    const origin = firstOrigin + 7 * w;
    const model = await fit(origin);
    origins.push({ origin: dayToDate(origin), weekend_deferral: model.weekendDeferral, fitted_days: model.fitDays });
    const forecast = intervalForecast(model, origin, 7);
    for (let d = 0; d < 7; d++) {
      const dayTotals = Object.fromEntries(keys.map((k) => [k, { a: 0, f: 0, n: 0 }])) as Record<Key, { a: number; f: number; n: number }>;
      for (let s = 0; s < slots; s++) {
        const at = (origin - (firstOrigin - 7) + d) * slots + s;
        let aAll = 0;
        let fAll = 0;
        let nAll = 0;
        for (const ch of CONTACT_CHANNELS) {
          const a = actual[ch][at];
          const f = forecast[ch][d * slots + s];
          const n = actual[ch][at - 7 * slots];
          addInterval(interval[ch], a, f, n);
          dayTotals[ch].a += a;
          dayTotals[ch].f += f;
          dayTotals[ch].n += n;
          aAll += a;
          fAll += f;
          nAll += n;
        }
        addInterval(interval.all, aAll, fAll, nAll);
        dayTotals.all.a += aAll;
        dayTotals.all.f += fAll;
        dayTotals.all.n += nAll;
      }
      for (const k of keys) {
        const t = dayTotals[k];
        const acc = interval[k];
        acc.dayAbsModel += Math.abs(t.a - t.f);
        acc.dayAbsNaive += Math.abs(t.a - t.n);
        if (t.a > 0) {
          acc.days++;
          acc.dayAbsPctModel += Math.abs(t.a - t.f) / t.a;
          acc.dayAbsPctNaive += Math.abs(t.a - t.n) / t.a;
        }
        daily.push({ date: dayToDate(origin + d), channel: k, actual: t.a, forecast: t.f, seasonal_naive: t.n });
      }
    }
  }

  const ratio = (x: number, y: number) => (y > 0 ? x / y : null);
  const errors = (a: Accumulator, abs: number, sum: number, sq: number, dayAbs: number, dayPct: number): ErrorSet => ({
    daily_wape: ratio(dayAbs, a.actual),
    daily_mape: a.days > 0 ? dayPct / a.days : null,
    mape_days: a.days,
    bias: ratio(sum - a.actual, a.actual),
    interval_rmse: a.intervals > 0 ? Math.sqrt(sq / a.intervals) : null,
    interval_wape: ratio(abs, a.actual),
  });
  const channels = keys.map((k) => {
    const a = interval[k];
    const model = errors(a, a.absModel, a.sumModel, a.sqModel, a.dayAbsModel, a.dayAbsPctModel);
    const naive = errors(a, a.absNaive, a.sumNaive, a.sqNaive, a.dayAbsNaive, a.dayAbsPctNaive);
    const skill = model.daily_wape !== null && naive.daily_wape ? 1 - model.daily_wape / naive.daily_wape : null;
    const intervalSkill = model.interval_rmse !== null && naive.interval_rmse ? 1 - model.interval_rmse / naive.interval_rmse : null;
    const difference = wapeDifference(daily.filter((d) => d.channel === k).map((d) => ({ actual: d.actual, forecast: d.forecast, naive: d.seasonal_naive })));
    const verdict = forecastVerdict(a.actual, model.daily_wape, naive.daily_wape, difference);
    return {
      channel: k,
      actual_contacts: a.actual,
      forecast_contacts: a.sumModel,
      model,
      seasonal_naive: naive,
      skill,
      interval_skill: intervalSkill,
      // Only when the interval of the WAPE difference excludes zero (forecast-verdict.ts), and the
      // interval RMSE agrees.
      beats_seasonal_naive: verdict.comparison === 'not_judged' || intervalSkill === null ? null : verdict.comparison === 'beats' && intervalSkill > 0,
      wape_difference: difference,
      verdict,
      note: a.actual < 30 ? `only ${a.actual} contacts in the held-out weeks: too few to judge either forecast` : undefined,
    };
  });
  return {
    time_zone: o.tz,
    interval_minutes: o.intervalMinutes,
    weeks: o.weeks,
    held_out: { from: dayToDate(firstOrigin), to: dayToDate(o.cutoffDay - 1) },
    origins,
    channels,
    daily,
    method:
      'Rolling origin: each held-out week is forecast from a model refitted on the data before it, with that week’s invoice calendar projected from the billing cycle as the live forecast does. Seasonal naive = the same interval one week earlier. WAPE = Σ|error| / Σ actual; MAPE over days with contacts; skill = 1 − daily WAPE(model) / daily WAPE(seasonal naive); interval_skill = 1 − RMSE ratio per interval (interval WAPE favours forecasting zero when counts are tiny, so it is shown, not judged). The comparison rests on the interval of the daily-WAPE difference: ' + WAPE_DIFFERENCE_METHOD + '; a daily WAPE above 30 % is too uncertain to plan on.',
  };
}
