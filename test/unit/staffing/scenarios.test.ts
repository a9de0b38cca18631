// Scenario propagation on hand-made relationships, where every expected number is a line of
// arithmetic in the test: direction and size of each scenario, the combined run, and the parser.
import { describe, expect, it } from 'vitest';
import { CONTACT_CHANNELS, CONTACT_TOPICS, type ContactChannel } from '../../../service/staffing/contact-history.ts';
import { derivedRates, parseScenarioList, scenarioEffect, scenarioEffects, type Relationships } from '../../../service/staffing/scenarios.ts';

const mix = (m: Partial<Record<ContactChannel, number>>) => Object.fromEntries(CONTACT_CHANNELS.map((c) => [c, m[c] ?? 0])) as Record<ContactChannel, number>;

const rel: Relationships = {
  window: { from: '2026-01-01', to: '2026-06-29', days: 180 },
  months: 180 / 30.44,
  classes: {
    manual: { invoices: 6000, customers: 1000, late: 600, hard: 240, soft: 300, fail: 0, coll: 24, unmatched: 60, unpaidReminded: 300, unpaidRemindedLate: 60, unpaidNotReminded: 1000, unpaidNotRemindedLate: 400 },
    automatic: { invoices: 12000, customers: 2000, late: 120, hard: 60, soft: 0, fail: 240, coll: 6, unmatched: 0, unpaidReminded: 0, unpaidRemindedLate: 0, unpaidNotReminded: 120, unpaidNotRemindedLate: 120 },
  },
  pooled: { hard: 300, fees: 270, disputed: 90, feeAmount: 270 * 60, feeContacts: 108, payAfterHard: 33, payBackgroundHard: 177, payAfterFail: 30, payBackgroundFail: 177, fail: 240, coll: 30, invoices: 18000 },
  paper: { invoices: 3000, invoiceContacts: 90, contacts: 300, mix: mix({ phone: 0.9, email: 0.1 }) },
  digital: { invoices: 15000, invoiceContacts: 300, contacts: 900, mix: mix({ phone: 0.5, chat: 0.2, email: 0.1, invoice_message: 0.2 }), invoiceMix: mix({ phone: 0.5, invoice_message: 0.5 }) },
  topicMix: Object.fromEntries(CONTACT_TOPICS.map((t) => [t, mix({ phone: 0.6, chat: 0.2, email: 0.2 })])),
  contactsWindow: { from: '2026-02-15', to: '2026-08-13', days: 180 },
};
const months = 180 / 30.44;

describe('scenario propagation', () => {
  const r = derivedRates(rel);

  it('direct debit: the moved invoices take the automatic rates', () => {
    const e = scenarioEffect(rel, 'direct_debit', 0.5);
    const moved = (0.5 * 6000) / months;
    expect(e.monthly.hard_reminders).toBeCloseTo(moved * (60 / 12000 - 240 / 6000), 10);
    expect(e.monthly.late_payments).toBeCloseTo(moved * (120 / 12000 - 600 / 6000), 10);
    expect(e.monthly.failed_transactions).toBeCloseTo(moved * (240 / 12000), 10);
    expect(e.monthly.unmatched_payments).toBeCloseTo(moved * (0 - 60 / 6000), 10);
    const dFees = e.monthly.hard_reminders * (270 / 300);
    expect(e.monthly.fees).toBeCloseTo(dFees, 10);
    expect(e.contacts_per_month.by_topic.fee).toBeCloseTo(dFees * (108 / 270), 10);
    // Excess payment contacts: after a reminder 33/300 against a background of 177/17 700.
    const perHard = 33 / 300 - 177 / 17700;
    const perFail = 30 / 240 - 177 / 17760;
    expect(e.contacts_per_month.by_topic.payment).toBeCloseTo(e.monthly.hard_reminders * perHard + e.monthly.failed_transactions * perFail, 10);
    expect(e.one_off.direct_debit_activations).toBe(500);
    expect(e.contacts_per_month.total).toBeCloseTo(e.contacts_per_month.by_topic.fee + e.contacts_per_month.by_topic.payment, 10);
    expect(e.contacts_per_month.by_channel.phone).toBeCloseTo(0.6 * e.contacts_per_month.total, 10);
  });

  it('soft reminders: the measured rescue rate on the invoices still unpaid when reminders go out', () => {
    const e = scenarioEffect(rel, 'soft_reminders', 1);
    expect(r.softRescue).toBeCloseTo(1 - 60 / 300 / (400 / 1000), 12); // 0.5
    const reminded = 1000 / months;
    expect(e.monthly.soft_reminders).toBeCloseTo(reminded, 10);
    expect(e.monthly.late_payments).toBeCloseTo(-reminded * 0.4 * 0.5, 10);
    expect(e.monthly.hard_reminders).toBeCloseTo(e.monthly.late_payments * (240 / 600), 10);
  });

  it('paper to digital: fewer paper invoices, invoice questions at the digital rate, digital channel mix', () => {
    const e = scenarioEffect(rel, 'paper_to_digital', 1);
    const moved = 3000 / months;
    expect(e.monthly.paper_invoices).toBeCloseTo(-moved, 10);
    const dInvoice = moved * (300 / 15000 - 90 / 3000);
    expect(e.contacts_per_month.by_topic.invoice).toBeCloseTo(dInvoice, 10);
    const before = moved * (300 / 3000);
    expect(e.contacts_per_month.by_channel.invoice_message).toBeCloseTo((before + dInvoice) * 0.2, 10);
    expect(e.contacts_per_month.by_channel.phone).toBeCloseTo((before + dInvoice) * 0.5 - before * 0.9, 10);
    expect(e.contacts_per_month.total).toBeCloseTo(dInvoice, 10);
  });

  it('waive disputed fees: disputes become waivers, repeat fee contacts go, revenue is forgone', () => {
    const e = scenarioEffect(rel, 'waive_disputed_fees', 1);
    const disputes = 90 / months;
    expect(e.monthly.disputed_fees).toBeCloseTo(-disputes, 10);
    expect(e.monthly.fee_waivers).toBeCloseTo(disputes, 10);
    expect(e.contacts_per_month.by_topic.fee).toBeCloseTo(-disputes * (18 / 90), 10);
    expect(e.fee_revenue_per_month).toBeCloseTo(-disputes * 60, 10);
  });

  it('combined: soft reminders reach only the manual payers who stay manual', () => {
    const { each, combined } = scenarioEffects(rel, { direct_debit: 0.5, soft_reminders: 1 });
    expect(each).toHaveLength(2);
    const soft = scenarioEffect(rel, 'soft_reminders', 1, 0.5);
    expect(combined!.monthly.soft_reminders).toBeCloseTo(each[0].monthly.soft_reminders + soft.monthly.soft_reminders, 10);
    expect(combined!.monthly.hard_reminders).toBeCloseTo(each[0].monthly.hard_reminders + soft.monthly.hard_reminders, 10);
    expect(scenarioEffects(rel, {}).combined).toBeNull();
  });
});

describe('parseScenarioList', () => {
  it('reads names with optional percentages and reports bad ones', () => {
    expect(parseScenarioList(['direct_debit:30,soft_reminders', 'paper_to_digital:0']).shares).toEqual({ direct_debit: 0.3, soft_reminders: 1, paper_to_digital: 0 });
    expect(parseScenarioList(['direct_debit']).shares).toEqual({ direct_debit: 0.25 });
    const bad = parseScenarioList(['nope', 'direct_debit:abc', 'waive_disputed_fees:101']);
    expect(bad.errors).toHaveLength(3);
  });
});
