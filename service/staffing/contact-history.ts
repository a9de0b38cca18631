/**
 * What customers actually asked, when: inbound contacts per channel (and topic) per interval of
 * local time with arrivals, mean wait and mean handle time (the history view a support lead starts
 * from), the same counts per day (what the forecast is fitted on), the weekday × interval shape of
 * the day (how the forecast spreads a day's volume), and the contact calendar — contacts by days
 * since the invoice was sent and days from its due date, per 1 000 invoices — which shows where the
 * invoice run puts its peaks. Means travel as sums and counts until the last step, so merging topics
 * or intervals never averages averages.
 */
import type { Database } from '../db/database.ts';
import { CONTACT_CHANNELS, CONTACT_TOPICS } from '../events/contract.ts';
import { sql } from '../db/sql-files.ts';
import { dayStart, dayToDate, isoWeekday, MINUTES_PER_DAY, minuteToLocal } from './local-time.ts';

export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export { CONTACT_CHANNELS, CONTACT_TOPICS };

const num = (v: unknown) => Number(v ?? 0);
const isChannel = (c: unknown): c is ContactChannel => (CONTACT_CHANNELS as readonly unknown[]).includes(c);

async function rows(db: Database, query: string, params: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  return db.withConnection(async (c) => (await c.runAndReadAll(sql(query), params as never)).getRowObjectsJson() as Record<string, unknown>[]);
}

export interface DailyContacts {
  firstDay: number;
  /** Exclusive. */
  endDay: number;
  counts: Record<ContactChannel, Float64Array>;
  handle: Record<ContactChannel, { sum: Float64Array; n: Float64Array }>;
}

/** Inbound contacts per channel and local day, all of them (contact_daily.sql's rows, stored per zone by calendar-store.ts). */
export type DailyContactsBase = Record<string, unknown>[];

/** Inbound contacts per channel and local day before `cutoffDay`. */
export async function loadDailyContacts(cutoffDay: number, base: DailyContactsBase): Promise<DailyContacts> {
  const data = base.filter((r) => num(r.day) < cutoffDay);
  let firstDay = cutoffDay - 1;
  for (const r of data) if (num(r.day) < firstDay) firstDay = num(r.day);
  const n = Math.max(1, cutoffDay - firstDay);
  const counts = Object.fromEntries(CONTACT_CHANNELS.map((c) => [c, new Float64Array(n)])) as DailyContacts['counts'];
  const handle = Object.fromEntries(CONTACT_CHANNELS.map((c) => [c, { sum: new Float64Array(n), n: new Float64Array(n) }])) as DailyContacts['handle'];
  for (const r of data) {
    const ch = r.channel;
    const d = num(r.day) - firstDay;
    if (!isChannel(ch) || d < 0 || d >= n) continue;
    counts[ch][d] += num(r.contacts);
    handle[ch].sum[d] += num(r.sum_handle);
    handle[ch].n[d] += num(r.n_handle);
  }
  return { firstDay, endDay: firstDay + n, counts, handle };
}

/** Contacts per channel, ISO weekday (index 1–7) and slot of the day in [fromDay, toDay). */
export type ProfileCounts = Record<ContactChannel, Float64Array[]>;

export async function loadProfile(db: Database, tz: string, fromDay: number, toDay: number, intervalMinutes: number): Promise<ProfileCounts> {
  const slots = MINUTES_PER_DAY / intervalMinutes;
  const data = await rows(db, 'staffing/contact_profile', { tz, from: dayStart(fromDay), to: dayStart(toDay), interval_minutes: intervalMinutes });
  const out = Object.fromEntries(CONTACT_CHANNELS.map((c) => [c, Array.from({ length: 8 }, () => new Float64Array(slots))])) as ProfileCounts;
  for (const r of data) {
    if (!isChannel(r.channel)) continue;
    const w = num(r.weekday);
    const s = num(r.slot);
    if (w >= 1 && w <= 7 && s >= 0 && s < slots) out[r.channel][w][s] += num(r.contacts);
  }
  return out;
}

export interface IntervalActual {
  channel: ContactChannel;
  topic: string;
  minute: number;
  contacts: number;
  nWait: number;
  sumWait: number;
  nHandle: number;
  sumHandle: number;
}

/** Inbound contacts per channel, topic and local interval in [fromDay, toDay). */
export async function loadIntervalActuals(db: Database, tz: string, fromDay: number, toDay: number, intervalMinutes: number): Promise<IntervalActual[]> {
  const data = await rows(db, 'staffing/contact_intervals', { tz, from: dayStart(fromDay), to: dayStart(toDay), interval_minutes: intervalMinutes });
  const out: IntervalActual[] = [];
  for (const r of data) {
    if (!isChannel(r.channel)) continue;
    out.push({
      channel: r.channel,
      topic: String(r.topic),
      minute: num(r.local_minute),
      contacts: num(r.contacts),
      nWait: num(r.n_wait),
      sumWait: num(r.sum_wait),
      nHandle: num(r.n_handle),
      sumHandle: num(r.sum_handle),
    });
  }
  return out;
}

export interface HistoryOptions {
  tz: string;
  fromDay: number;
  toDay: number;
  intervalMinutes: number;
  channels: readonly ContactChannel[];
  byTopic: boolean;
}

export interface HistoryRow {
  interval_start: string;
  weekday: number;
  channel: ContactChannel;
  topic: string | null;
  arrivals: number;
  average_wait_seconds: number | null;
  average_handle_seconds: number | null;
}

/** The history view: arrivals, mean wait and mean handle time per channel (and topic) and interval. */
export async function contactHistory(db: Database, o: HistoryOptions) {
  const actuals = (await loadIntervalActuals(db, o.tz, o.fromDay, o.toDay, o.intervalMinutes)).filter((a) => o.channels.includes(a.channel));
  type Acc = { contacts: number; nWait: number; sumWait: number; nHandle: number; sumHandle: number };
  const add = (m: Map<string, Acc>, key: string, a: IntervalActual) => {
    const e = m.get(key) ?? { contacts: 0, nWait: 0, sumWait: 0, nHandle: 0, sumHandle: 0 };
    e.contacts += a.contacts;
    e.nWait += a.nWait;
    e.sumWait += a.sumWait;
    e.nHandle += a.nHandle;
    e.sumHandle += a.sumHandle;
    m.set(key, e);
  };
  const cells = new Map<string, Acc>();
  const perChannel = new Map<string, Acc>();
  const perTopic = new Map<string, Acc>();
  for (const a of actuals) {
    add(cells, `${a.minute}|${a.channel}|${o.byTopic ? a.topic : ''}`, a);
    add(perChannel, a.channel, a);
    add(perTopic, `${a.channel}|${a.topic}`, a);
  }
  const mean = (s: number, n: number) => (n > 0 ? s / n : null);
  const intervals: HistoryRow[] = [...cells.entries()]
    .map(([key, e]) => {
      const [minute, channel, topic] = key.split('|');
      const m = Number(minute);
      return {
        interval_start: minuteToLocal(m),
        weekday: isoWeekday(Math.floor(m / MINUTES_PER_DAY)),
        channel: channel as ContactChannel,
        topic: o.byTopic ? topic : null,
        arrivals: e.contacts,
        average_wait_seconds: mean(e.sumWait, e.nWait),
        average_handle_seconds: mean(e.sumHandle, e.nHandle),
        _m: m,
      };
    })
    .sort((a, b) => a._m - b._m || a.channel.localeCompare(b.channel) || String(a.topic).localeCompare(String(b.topic)))
    .map(({ _m, ...r }) => r);
  const days = o.toDay - o.fromDay;
  const channels = o.channels.map((channel) => {
    const e = perChannel.get(channel) ?? { contacts: 0, nWait: 0, sumWait: 0, nHandle: 0, sumHandle: 0 };
    const topics = [...perTopic.entries()]
      .filter(([k]) => k.startsWith(`${channel}|`))
      .map(([k, t]) => ({ topic: k.slice(channel.length + 1), arrivals: t.contacts, average_wait_seconds: mean(t.sumWait, t.nWait), average_handle_seconds: mean(t.sumHandle, t.nHandle) }))
      .sort((a, b) => b.arrivals - a.arrivals);
    return { channel, arrivals: e.contacts, arrivals_per_day: days > 0 ? e.contacts / days : 0, average_wait_seconds: mean(e.sumWait, e.nWait), average_handle_seconds: mean(e.sumHandle, e.nHandle), topics };
  });
  return { from: dayToDate(o.fromDay), to: dayToDate(o.toDay - 1), time_zone: o.tz, interval_minutes: o.intervalMinutes, by_topic: o.byTopic, channels, intervals };
}

export interface ContactCalendarOptions {
  tz: string;
  fromDay: number;
  toDay: number;
  topics: readonly string[] | null;
}

/** Contacts per 1 000 invoices by days since dispatch and days from the due date, per invoice stage. */
export async function contactCalendar(db: Database, o: ContactCalendarOptions) {
  const data = await rows(db, 'staffing/contact_calendar', { tz: o.tz, from_day: dayToDate(o.fromDay), to_day: dayToDate(o.toDay) });
  const invoices: Record<string, number> = { first: 0, first_year: 0, other: 0 };
  for (const r of data) if (r.kind === 'invoices') invoices[String(r.stage)] = num(r.n);
  const totalInvoices = invoices.first + invoices.first_year + invoices.other;
  const contacts = data.filter((r) => r.kind === 'contacts' && (o.topics === null || o.topics.includes(String(r.topic))));
  const curve = (key: 'since_dispatch' | 'from_due', lo: number, hi: number) => {
    const out: { days: number; contacts: number; per_1000_invoices: number; first_invoice_per_1000: number; later_per_1000: number }[] = [];
    for (let d = lo; d <= hi; d++) {
      const at = contacts.filter((r) => num(r[key]) === d);
      const all = at.reduce((s, r) => s + num(r.n), 0);
      const first = at.filter((r) => r.stage === 'first').reduce((s, r) => s + num(r.n), 0);
      out.push({
        days: d,
        contacts: all,
        per_1000_invoices: totalInvoices > 0 ? (1000 * all) / totalInvoices : 0,
        first_invoice_per_1000: invoices.first > 0 ? (1000 * first) / invoices.first : 0,
        later_per_1000: totalInvoices - invoices.first > 0 ? (1000 * (all - first)) / (totalInvoices - invoices.first) : 0,
      });
    }
    return out;
  };
  const within = (stage: string, lo: number, hi: number) =>
    contacts.filter((r) => r.stage === stage && num(r.since_dispatch) >= lo && num(r.since_dispatch) <= hi).reduce((s, r) => s + num(r.n), 0);
  const byStage = (['first', 'first_year', 'other'] as const).map((stage) => ({
    stage,
    invoices: invoices[stage],
    contacts_within_30_days: within(stage, 0, 30),
    contacts_per_1000_invoices: invoices[stage] > 0 ? (1000 * within(stage, 0, 30)) / invoices[stage] : null,
  }));
  return {
    from: dayToDate(o.fromDay),
    to: dayToDate(o.toDay - 1),
    time_zone: o.tz,
    topics: o.topics,
    invoices: totalInvoices,
    since_dispatch: curve('since_dispatch', 0, 35),
    from_due: curve('from_due', -20, 25),
    by_stage: byStage,
    note: 'Each contact is paired with the customer’s latest invoice sent before it; days are local calendar days. Rates are per 1 000 invoices sent in the window.',
  };
}
