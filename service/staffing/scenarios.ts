/**
 * What-if scenarios for the support lead: move a share of manual payers to direct debit, send soft
 * due-date reminders to a share of the manual payers who do not get them, move a share of paper
 * invoices to digital ones, waive a share of disputed reminder fees. None of them is modelled from
 * belief: each propagates through relationships measured on this data (scenario_invoice_rates.sql,
 * scenario_contact_mix.sql) on invoices that fell due in the evidence window (by default the 180 days
 * ending 45 days before the cutoff, so their reminders, fees, disputes and collections have happened):
 *  - direct debit: the moved invoices take the automatic payers' rates of late payment, hard and
 *    soft reminders, failed debits, collections and unmatched payments instead of the manual
 *    payers' (the movers are assumed to behave like today's automatic payers: a selection caveat);
 *    each moved customer is one direct-debit activation, once;
 *  - soft reminders: the invoices of manual payers without soft reminders that are still unpaid when
 *    soft reminders go out get one, and their chance of ending late falls by the measured rescue
 *    rate (1 − late share of reminded over late share of not-reminded invoices unpaid at that hour);
 *  - paper to digital: the moved invoices take the digital invoices' rate of invoice contacts, and
 *    their customers' contacts the digital customers' channel mix (a paper invoice cannot be answered
 *    with an invoice message);
 *  - waive disputed fees: a waived dispute is closed on first contact (its repeat fee contacts, as
 *    measured, disappear) and costs the waiver's minutes instead of a dispute's, and the fee revenue.
 * Downstream of the changed reminder counts, one ratio each is applied, pooled over payment classes
 * because nothing in the process depends on the class once a reminder is sent: fees per hard
 * reminder, disputes and fee contacts per fee, and the *excess* payment contacts after a hard reminder
 * or a failed debit (over the same customers' background rate in an equally long window without one).
 * Contact changes are routed to channels with the measured channel mix of their topic. Effects are
 * steady-state monthly run rates; the churn they may also change is the churn analysis' business.
 * Every measured rate is returned as evidence with its numerator, denominator and Wilson interval.
 */
import type { Database } from '../db/database.ts';
import { sql } from '../db/sql-files.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import { CONTACT_CHANNELS, CONTACT_TOPICS, type ContactChannel } from './contact-history.ts';
import { dayToDate } from './local-time.ts';
import { TIME_THIEVES } from './time-thief-items.ts';

export const SCENARIOS = ['direct_debit', 'soft_reminders', 'paper_to_digital', 'waive_disputed_fees'] as const;
export type ScenarioKey = (typeof SCENARIOS)[number];
export type ScenarioShares = Partial<Record<ScenarioKey, number>>;

export const SCENARIO_LABELS: Record<ScenarioKey, string> = {
  direct_debit: 'Move manual payers to direct debit',
  soft_reminders: 'Send soft due-date reminders',
  paper_to_digital: 'Move paper invoices to digital',
  waive_disputed_fees: 'Waive disputed reminder fees',
};

/** Share (0–1) each scenario applies when it is named without one. */
export const DEFAULT_SHARES: Record<ScenarioKey, number> = { direct_debit: 0.25, soft_reminders: 1, paper_to_digital: 0.5, waive_disputed_fees: 1 };

/** Monthly counts the scenarios change; the time-thief items plus fees and collections. */
export const EFFECT_ITEMS = [...TIME_THIEVES, 'fees', 'collections'] as const;
export type EffectItem = (typeof EFFECT_ITEMS)[number];

const DAYS_PER_MONTH = 30.44;
/** Invoices fall due this long before the cutoff at the latest, so their follow-ups are on record. */
export const EVIDENCE_LAG_DAYS = 45;

export interface Evidence {
  key: string;
  label: string;
  numerator: number;
  denominator: number;
  value: number | null;
  ci: [number, number] | null;
}

interface ClassRates {
  invoices: number;
  customers: number;
  late: number;
  hard: number;
  soft: number;
  fail: number;
  coll: number;
  unmatched: number;
  unpaidReminded: number;
  unpaidRemindedLate: number;
  unpaidNotReminded: number;
  unpaidNotRemindedLate: number;
}

export interface Relationships {
  window: { from: string; to: string; days: number };
  months: number;
  classes: Record<'manual' | 'automatic', ClassRates>;
  pooled: {
    hard: number;
    fees: number;
    disputed: number;
    feeAmount: number;
    feeContacts: number;
    payAfterHard: number;
    payBackgroundHard: number;
    payAfterFail: number;
    payBackgroundFail: number;
    fail: number;
    coll: number;
    invoices: number;
  };
  paper: { invoices: number; invoiceContacts: number; contacts: number; mix: Record<ContactChannel, number> };
  digital: { invoices: number; invoiceContacts: number; contacts: number; mix: Record<ContactChannel, number>; invoiceMix: Record<ContactChannel, number> };
  topicMix: Record<string, Record<ContactChannel, number>>;
  contactsWindow: { from: string; to: string; days: number };
}

const num = (v: unknown) => Number(v ?? 0);
const zeroMix = () => Object.fromEntries(CONTACT_CHANNELS.map((c) => [c, 0])) as Record<ContactChannel, number>;
const normalise = (m: Record<ContactChannel, number>) => {
  const t = CONTACT_CHANNELS.reduce((s, c) => s + m[c], 0);
  return Object.fromEntries(CONTACT_CHANNELS.map((c) => [c, t > 0 ? m[c] / t : 1 / CONTACT_CHANNELS.length])) as Record<ContactChannel, number>;
};

/**
 * Measures the relationships on invoices due in the `evidenceDays` before cutoff − 45 days (due
 * dates are calendar dates, so the windows need no time zone).
 */
export async function measureRelationships(db: Database, cutoffDay: number, evidenceDays: number): Promise<Relationships> {
  const to = cutoffDay - EVIDENCE_LAG_DAYS;
  const from = to - evidenceDays;
  const contactFrom = cutoffDay - evidenceDays;
  const [rates, mix] = await db.withConnection(async (c) => [
    (await c.runAndReadAll(sql('staffing/scenario_invoice_rates'), { from_day: dayToDate(from), to_day: dayToDate(to) } as never)).getRowObjectsJson() as Record<string, unknown>[],
    (await c.runAndReadAll(sql('staffing/scenario_contact_mix'), { from_day: dayToDate(contactFrom), to_day: dayToDate(cutoffDay) } as never)).getRowObjectsJson() as Record<string, unknown>[],
  ]);
  const classRates = (cls: string): ClassRates => {
    const r = rates.find((x) => x.class === cls) ?? {};
    return {
      invoices: num(r.invoices),
      customers: num(r.customers),
      late: num(r.late),
      hard: num(r.hard_reminders),
      soft: num(r.soft_reminders),
      fail: num(r.payment_failures),
      coll: num(r.collections),
      unmatched: num(r.unmatched_payments),
      unpaidReminded: num(r.unpaid_reminded),
      unpaidRemindedLate: num(r.unpaid_reminded_late),
      unpaidNotReminded: num(r.unpaid_not_reminded),
      unpaidNotRemindedLate: num(r.unpaid_not_reminded_late),
    };
  };
  const sum = (key: string) => rates.reduce((s, r) => s + num(r[key]), 0);
  const group = (g: 'paper' | 'digital') => {
    const m = zeroMix();
    const inv = zeroMix();
    let contacts = 0;
    let invoiceContacts = 0;
    for (const r of mix.filter((x) => x.kind === 'contacts' && x.invoice_group === g)) {
      const ch = r.channel as ContactChannel;
      if (!(ch in m)) continue;
      m[ch] += num(r.n);
      contacts += num(r.n);
      if (r.topic === 'invoice') {
        invoiceContacts += num(r.n);
        inv[ch] += num(r.n);
      }
    }
    const invoices = num(mix.find((x) => x.kind === 'invoices' && x.invoice_group === g)?.n);
    return { invoices, invoiceContacts, contacts, mix: normalise(m), invoiceMix: normalise(inv) };
  };
  const topicMix: Record<string, Record<ContactChannel, number>> = {};
  for (const topic of CONTACT_TOPICS) {
    const m = zeroMix();
    for (const r of mix.filter((x) => x.kind === 'contacts' && x.topic === topic)) if ((r.channel as string) in m) m[r.channel as ContactChannel] += num(r.n);
    topicMix[topic] = normalise(m);
  }
  const paper = group('paper');
  return {
    window: { from: dayToDate(from), to: dayToDate(to - 1), days: evidenceDays },
    months: evidenceDays / DAYS_PER_MONTH,
    classes: { manual: classRates('manual'), automatic: classRates('automatic') },
    pooled: {
      hard: sum('hard_reminders'),
      fees: sum('fees'),
      disputed: sum('disputed_fees'),
      feeAmount: sum('fee_amount'),
      feeContacts: sum('fee_contacts'),
      payAfterHard: sum('pay_contacts_after_hard'),
      payBackgroundHard: sum('pay_contacts_background_hard'),
      payAfterFail: sum('pay_contacts_after_fail'),
      payBackgroundFail: sum('pay_contacts_background_fail'),
      fail: sum('payment_failures'),
      coll: sum('collections'),
      invoices: sum('invoices'),
    },
    paper: { invoices: paper.invoices, invoiceContacts: paper.invoiceContacts, contacts: paper.contacts, mix: paper.mix },
    digital: group('digital'),
    topicMix,
    contactsWindow: { from: dayToDate(contactFrom), to: dayToDate(cutoffDay - 1), days: evidenceDays },
  };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

/** The derived rates the propagation uses (all per event or per invoice). */
export function derivedRates(rel: Relationships) {
  const { manual: m, automatic: a } = rel.classes;
  const p = rel.pooled;
  const per = (c: ClassRates) => ({
    late: ratio(c.late, c.invoices),
    hard: ratio(c.hard, c.invoices),
    soft: ratio(c.soft, c.invoices),
    fail: ratio(c.fail, c.invoices),
    coll: ratio(c.coll, c.invoices),
    unmatched: ratio(c.unmatched, c.invoices),
  });
  const lateGivenUnpaidReminded = ratio(m.unpaidRemindedLate, m.unpaidReminded);
  const lateGivenUnpaidNot = ratio(m.unpaidNotRemindedLate, m.unpaidNotReminded);
  return {
    manual: per(m),
    automatic: per(a),
    manualInvoicesPerMonth: m.invoices / rel.months,
    manualCustomers: m.customers,
    feesPerHard: ratio(p.fees, p.hard),
    disputesPerFee: ratio(p.disputed, p.fees),
    feeContactsPerFee: ratio(p.feeContacts, p.fees),
    repeatFeeContactsPerDispute: Math.max(0, ratio(p.feeContacts - p.disputed, p.disputed)),
    meanFee: ratio(p.feeAmount, p.fees),
    payContactsPerHard: Math.max(0, ratio(p.payAfterHard, p.hard) - ratio(p.payBackgroundHard, p.invoices - p.hard)),
    payContactsPerFailure: Math.max(0, ratio(p.payAfterFail, p.fail) - ratio(p.payBackgroundFail, p.invoices - p.fail)),
    collectionsPerHard: ratio(p.coll, p.hard),
    hardPerLateManual: ratio(m.hard, m.late),
    softEligiblePerMonth: m.unpaidNotReminded / rel.months,
    lateGivenUnpaidNot,
    lateGivenUnpaidReminded,
    softRescue: lateGivenUnpaidNot > 0 ? Math.min(1, Math.max(0, 1 - lateGivenUnpaidReminded / lateGivenUnpaidNot)) : 0,
    paperInvoicesPerMonth: rel.paper.invoices / rel.months,
    invoiceContactsPerPaperInvoice: ratio(rel.paper.invoiceContacts, rel.paper.invoices),
    invoiceContactsPerDigitalInvoice: ratio(rel.digital.invoiceContacts, rel.digital.invoices),
    paperCustomerContactsPerInvoice: ratio(rel.paper.contacts, rel.paper.invoices),
  };
}

export function evidence(rel: Relationships): Evidence[] {
  const { manual: m, automatic: a } = rel.classes;
  const p = rel.pooled;
  const e = (key: string, label: string, numerator: number, denominator: number, proportion = true): Evidence => {
    const value = denominator > 0 ? numerator / denominator : null;
    let ci: [number, number] | null = null;
    if (denominator > 0 && proportion && numerator <= denominator) {
      const w = wilsonInterval(numerator, denominator);
      ci = [w.lower, w.upper];
    }
    return { key, label, numerator, denominator, value, ci };
  };
  return [
    e('late_rate_manual', 'Invoices paid late, manual payers', m.late, m.invoices),
    e('late_rate_automatic', 'Invoices paid late, automatic payers', a.late, a.invoices),
    e('hard_reminder_rate_manual', 'Hard reminders per invoice, manual payers', m.hard, m.invoices),
    e('hard_reminder_rate_automatic', 'Hard reminders per invoice, automatic payers', a.hard, a.invoices),
    e('soft_reminder_rate_manual', 'Soft reminders per invoice, manual payers', m.soft, m.invoices),
    e('failed_debit_rate_manual', 'Failed debits per invoice, manual payers', m.fail, m.invoices),
    e('failed_debit_rate_automatic', 'Failed debits per invoice, automatic payers', a.fail, a.invoices),
    e('unmatched_rate_manual', 'Unmatched payments per invoice, manual payers', m.unmatched, m.invoices),
    e('unmatched_rate_automatic', 'Unmatched payments per invoice, automatic payers', a.unmatched, a.invoices),
    e('late_unpaid_not_reminded', 'Late, of manual invoices unpaid when soft reminders go out, without one', m.unpaidNotRemindedLate, m.unpaidNotReminded),
    e('late_unpaid_reminded', 'Late, of manual invoices unpaid when soft reminders go out, with one', m.unpaidRemindedLate, m.unpaidReminded),
    e('fees_per_hard_reminder', 'Reminder fees per hard reminder', p.fees, p.hard),
    e('disputes_per_fee', 'Fees disputed (fee contact within 14 days)', p.disputed, p.fees),
    e('fee_contacts_per_fee', 'Fee contacts within 14 days per fee', p.feeContacts, p.fees, false),
    e('payment_contacts_after_hard_reminder', 'Payment contacts within 5 days of a hard reminder', p.payAfterHard, p.hard, false),
    e('payment_contacts_background_hard', 'Payment contacts in the same window without a hard reminder', p.payBackgroundHard, p.invoices - p.hard, false),
    e('payment_contacts_after_failure', 'Payment contacts within 3 days of a failed debit', p.payAfterFail, p.fail, false),
    e('payment_contacts_background_failure', 'Payment contacts in the same window without a failed debit', p.payBackgroundFail, p.invoices - p.fail, false),
    e('collections_per_hard_reminder', 'Collections per hard reminder', p.coll, p.hard),
    e('invoice_contacts_per_paper_invoice', 'Invoice contacts per paper invoice', rel.paper.invoiceContacts, rel.paper.invoices, false),
    e('invoice_contacts_per_digital_invoice', 'Invoice contacts per digital invoice', rel.digital.invoiceContacts, rel.digital.invoices, false),
  ];
}

export interface ScenarioEffect {
  scenario: ScenarioKey | 'combined';
  label: string;
  share: number | null;
  /** Change in monthly counts. */
  monthly: Record<EffectItem, number>;
  one_off: { direct_debit_activations: number };
  contacts_per_month: { total: number; by_topic: Record<string, number>; by_channel: Record<ContactChannel, number> };
  fee_revenue_per_month: number;
  assumptions: string[];
}

const emptyMonthly = () => Object.fromEntries(EFFECT_ITEMS.map((k) => [k, 0])) as Record<EffectItem, number>;
const emptyTopics = () => Object.fromEntries(CONTACT_TOPICS.map((t) => [t, 0])) as Record<string, number>;

function blank(scenario: ScenarioKey | 'combined', share: number | null): ScenarioEffect {
  return {
    scenario,
    label: scenario === 'combined' ? 'All selected scenarios together' : SCENARIO_LABELS[scenario],
    share,
    monthly: emptyMonthly(),
    one_off: { direct_debit_activations: 0 },
    contacts_per_month: { total: 0, by_topic: emptyTopics(), by_channel: zeroMix() },
    fee_revenue_per_month: 0,
    assumptions: [],
  };
}

/** Adds reminder-driven consequences (fees, disputes, fee and payment contacts) of Δhard and Δfail. */
function followOn(e: ScenarioEffect, r: ReturnType<typeof derivedRates>, dHard: number, dFail: number, dColl: number) {
  const dFees = dHard * r.feesPerHard;
  e.monthly.hard_reminders += dHard;
  e.monthly.failed_transactions += dFail;
  e.monthly.collections += dColl;
  e.monthly.fees += dFees;
  e.monthly.disputed_fees += dFees * r.disputesPerFee;
  e.fee_revenue_per_month += dFees * r.meanFee;
  e.contacts_per_month.by_topic.fee += dFees * r.feeContactsPerFee;
  e.contacts_per_month.by_topic.payment += dHard * r.payContactsPerHard + dFail * r.payContactsPerFailure;
}

/** Routes topic changes to channels (topic mix), adds channel shifts, totals. */
function finish(e: ScenarioEffect, rel: Relationships, channelShift?: Record<ContactChannel, number>) {
  for (const ch of CONTACT_CHANNELS) e.contacts_per_month.by_channel[ch] = channelShift?.[ch] ?? 0;
  for (const [topic, delta] of Object.entries(e.contacts_per_month.by_topic)) {
    if (delta === 0 || (topic === 'invoice' && channelShift)) continue;
    for (const ch of CONTACT_CHANNELS) e.contacts_per_month.by_channel[ch] += delta * rel.topicMix[topic][ch];
  }
  e.contacts_per_month.total = CONTACT_CHANNELS.reduce((s, ch) => s + e.contacts_per_month.by_channel[ch], 0);
  return e;
}

/**
 * The effect of one scenario at `share` (0–1). `manualFactor` (combined runs) is the share of
 * manual payers left after an earlier direct-debit move.
 */
export function scenarioEffect(rel: Relationships, scenario: ScenarioKey, share: number, manualFactor = 1, extraDisputes = 0): ScenarioEffect {
  const r = derivedRates(rel);
  const e = blank(scenario, share);
  switch (scenario) {
    case 'direct_debit': {
      const moved = share * r.manualInvoicesPerMonth;
      const d = (k: keyof typeof r.manual) => moved * (r.automatic[k] - r.manual[k]);
      e.monthly.late_payments += d('late');
      e.monthly.soft_reminders += d('soft');
      e.monthly.unmatched_payments += d('unmatched');
      followOn(e, r, d('hard'), d('fail'), d('coll'));
      e.one_off.direct_debit_activations = share * r.manualCustomers;
      e.assumptions.push(
        `${(share * 100).toFixed(0)} % of ${Math.round(r.manualInvoicesPerMonth)} manual invoices a month move to direct debit and then behave like automatic payers' invoices (movers may be riskier than today's automatic payers).`,
        `One direct-debit activation per moved customer (${Math.round(e.one_off.direct_debit_activations)}), once.`,
      );
      return finish(e, rel);
    }
    case 'soft_reminders': {
      const reminded = share * r.softEligiblePerMonth * manualFactor;
      const rescued = reminded * r.lateGivenUnpaidNot * r.softRescue;
      e.monthly.soft_reminders += reminded;
      e.monthly.late_payments -= rescued;
      const dHard = -rescued * r.hardPerLateManual;
      followOn(e, r, dHard, 0, dHard * r.collectionsPerHard);
      e.assumptions.push(
        `${Math.round(reminded)} manual invoices a month that are unpaid when soft reminders go out get one; ${(r.softRescue * 100).toFixed(0)} % fewer of them end late (measured rescue rate).`,
        'Soft reminders are sent automatically; they cost the minutes set for soft reminders.',
      );
      return finish(e, rel);
    }
    case 'paper_to_digital': {
      const moved = share * r.paperInvoicesPerMonth;
      e.monthly.paper_invoices -= moved;
      const dInvoice = moved * (r.invoiceContactsPerDigitalInvoice - r.invoiceContactsPerPaperInvoice);
      e.contacts_per_month.by_topic.invoice += dInvoice;
      // The movers' contacts keep their number (apart from invoice questions) but take the digital
      // customers' channel mix.
      const before = moved * r.paperCustomerContactsPerInvoice;
      const after = before + dInvoice;
      const shift = zeroMix();
      for (const ch of CONTACT_CHANNELS) shift[ch] = after * rel.digital.mix[ch] - before * rel.paper.mix[ch];
      e.assumptions.push(`${Math.round(moved)} of ${Math.round(r.paperInvoicesPerMonth)} paper invoices a month become digital; their customers then contact like digital customers (rate of invoice questions and channel mix).`);
      return finish(e, rel, shift);
    }
    case 'waive_disputed_fees': {
      const disputes = r.disputesPerFee * r.feesPerHard * (rel.pooled.hard / rel.months) + extraDisputes;
      const waived = share * Math.max(0, disputes);
      e.monthly.disputed_fees -= waived;
      e.monthly.fee_waivers += waived;
      e.fee_revenue_per_month -= waived * r.meanFee;
      e.contacts_per_month.by_topic.fee -= waived * r.repeatFeeContactsPerDispute;
      e.assumptions.push(
        `${Math.round(waived)} disputed fees a month are waived on first contact: their repeat fee contacts (${r.repeatFeeContactsPerDispute.toFixed(2)} per dispute, measured) disappear, and each costs the waiver's minutes instead of a dispute's.`,
        'The fee revenue is forgone; the churn a fee drives is not modelled here (see the churn analyses).',
      );
      return finish(e, rel);
    }
  }
}

/** Each selected scenario alone, and all of them together (applied in a fixed order). */
export function scenarioEffects(rel: Relationships, shares: ScenarioShares): { each: ScenarioEffect[]; combined: ScenarioEffect | null } {
  const selected = SCENARIOS.filter((s) => shares[s] !== undefined && shares[s]! > 0);
  const each = selected.map((s) => scenarioEffect(rel, s, shares[s]!));
  if (selected.length === 0) return { each, combined: null };
  const combined = blank('combined', null);
  const manualFactor = 1 - (shares.direct_debit ?? 0);
  let extraDisputes = 0;
  for (const s of selected) {
    const part = s === 'soft_reminders' ? scenarioEffect(rel, s, shares[s]!, manualFactor) : s === 'waive_disputed_fees' ? scenarioEffect(rel, s, shares[s]!, 1, extraDisputes) : each[selected.indexOf(s)];
    extraDisputes += part.monthly.disputed_fees;
    for (const k of EFFECT_ITEMS) combined.monthly[k] += part.monthly[k];
    combined.one_off.direct_debit_activations += part.one_off.direct_debit_activations;
    combined.fee_revenue_per_month += part.fee_revenue_per_month;
    for (const t of CONTACT_TOPICS) combined.contacts_per_month.by_topic[t] += part.contacts_per_month.by_topic[t];
    for (const ch of CONTACT_CHANNELS) combined.contacts_per_month.by_channel[ch] += part.contacts_per_month.by_channel[ch];
    combined.contacts_per_month.total += part.contacts_per_month.total;
    combined.assumptions.push(...part.assumptions);
  }
  return { each, combined };
}

/** Parses `direct_debit:30,soft_reminders` (percent; a bare name takes its default share). */
export function parseScenarioList(values: readonly string[]): { shares: ScenarioShares; errors: string[] } {
  const shares: ScenarioShares = {};
  const errors: string[] = [];
  for (const raw of values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)) {
    const [name, pct] = raw.split(':');
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      errors.push(`unknown scenario "${name}"; one of ${SCENARIOS.join(', ')}`);
      continue;
    }
    const key = name as ScenarioKey;
    if (pct === undefined) {
      shares[key] = DEFAULT_SHARES[key];
      continue;
    }
    const p = Number(pct);
    if (!Number.isFinite(p) || p < 0 || p > 100 || pct.trim() === '') errors.push(`scenario ${name}: share must be a percentage 0–100, got "${pct}"`);
    else shares[key] = p / 100;
  }
  return { shares, errors };
}
