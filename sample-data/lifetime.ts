/**
 * The lifetime view of docs/definitions.md, computed from NDJSON lines exactly as an analyst would: each
 * customer once; predominant payment-method class over their payments (else their latest method
 * change); timeliness per invoice (paid in full by the due date, or late, or unpaid and overdue at
 * the as-of date = latest event); fee exposure from fee_charged; churned = a cancellation that no
 * later start follows. calibrate.ts runs it over a large reference sample to measure the population
 * truths the analysis should recover; it reads the events, never the simulator's hidden state.
 */
import type { GroupRate, PopulationTruths, RelativeRisk } from './model.ts';

const AUTOMATIC = new Set(['autogiro', 'avtalegiro', 'betalingsservice', 'sepa_direct_debit', 'direct_debit', 'card_recurring']);
const MANUAL = new Set(['bank_transfer', 'ocr_transfer', 'paper_giro', 'card', 'swish', 'vipps', 'mobilepay', 'cash', 'einvoice']);

/** docs/event-contract.md default classification: 0 automatic, 1 manual, 2 unknown. */
export function methodClass(method: string): 0 | 1 | 2 {
  if (AUTOMATIC.has(method) || method.includes('automatic')) return 0;
  if (MANUAL.has(method)) return 1;
  return 2;
}
const CLASS_NAMES = ['automatic', 'manual', 'unknown'] as const;

class Life {
  pay = [0, 0, 0];
  lastPayClass = -1;
  lastChangeClass = -1;
  lateInvoices = 0;
  fees = 0;
  firstStart = '';
  firstEvent = '';
  lastStart = '';
  lastCancel = '';
  vertical = 'other';
  birthYear = 0;
  usageSum = 0;
  usageN = 0;
  surveyAt = '';
  survey = -1;
  satAt = '';
  sat = -1;
  feeTimes: number[] = [];
  feeContacts: number[] = [];
  contacts: number[] = [];
}

interface OpenInvoice {
  life: Life;
  due: string;
  amount: number;
  paid: number;
}

const YEAR_S = 365 * 86_400;
const SKIPPED = new Set(['invoice_viewed', 'offer_shown', 'offer_accepted', 'reminder_sent', 'collection_started', 'payment_failed', 'payment_unmatched', 'plan_changed']);
const DISPUTE_WINDOW_S = 14 * 86_400;

export class LifetimeAnalyzer {
  private readonly lives = new Map<string, Life>();
  private readonly open = new Map<string, OpenInvoice>();
  private latest = '';
  events = 0;

  /** Feeds one NDJSON line; lines that are not valid events are ignored. */
  add(line: string): void {
    // Types the lifetime view never reads are skipped before the (comparatively costly) parse.
    const ti = line.indexOf('"type":"');
    if (ti >= 0 && SKIPPED.has(line.slice(ti + 8, line.indexOf('"', ti + 8)))) {
      this.events++;
      return;
    }
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(line);
    } catch {
      return;
    }
    const at = e.occurred_at;
    const cid = e.customer_id;
    if (typeof at !== 'string' || typeof cid !== 'string' || !at.endsWith('Z') || at.length !== 20 || at > '2090') return;
    this.events++;
    if (at > this.latest) this.latest = at;
    let life = this.lives.get(cid);
    if (life === undefined) {
      life = new Life();
      this.lives.set(cid, life);
    }
    if (life.firstEvent === '' || at < life.firstEvent) life.firstEvent = at;
    switch (e.type) {
      case 'customer_updated':
        if (typeof e.vertical === 'string') life.vertical = e.vertical;
        if (typeof e.birth_year === 'number') life.birthYear = e.birth_year;
        if (typeof e.satisfaction === 'number' && at >= life.satAt) {
          life.sat = e.satisfaction;
          life.satAt = at;
        }
        break;
      case 'subscription_started':
        if (life.firstStart === '' || at < life.firstStart) life.firstStart = at;
        if (at > life.lastStart) life.lastStart = at;
        break;
      case 'subscription_cancelled':
        if (at > life.lastCancel) life.lastCancel = at;
        break;
      case 'payment_method_changed':
        life.lastChangeClass = methodClass(String(e.method));
        break;
      case 'invoice_issued':
        this.open.set(String(e.invoice_id), { life, due: String(e.due_date), amount: Number(e.amount), paid: 0 });
        break;
      case 'payment_received': {
        const cls = methodClass(String(e.method));
        life.pay[cls]++;
        life.lastPayClass = cls;
        const inv = this.open.get(String(e.invoice_id));
        if (inv !== undefined) {
          inv.paid += Number(e.amount);
          if (inv.paid >= inv.amount - 1e-9) {
            if (at.slice(0, 10) > inv.due) inv.life.lateInvoices++;
            this.open.delete(String(e.invoice_id));
          }
        }
        break;
      }
      case 'fee_charged':
        life.fees++;
        life.feeTimes.push(Date.parse(at) / 1000);
        break;
      case 'contact':
        life.contacts.push(Date.parse(at) / 1000);
        if (e.topic === 'fee') life.feeContacts.push(Date.parse(at) / 1000);
        break;
      case 'usage_reported':
        if (Number(e.included) > 0) {
          life.usageSum += Number(e.used) / Number(e.included);
          life.usageN++;
        }
        break;
      case 'survey_response':
        if (at >= life.surveyAt) {
          life.survey = Number(e.score);
          life.surveyAt = at;
        }
        break;
    }
  }

  result(reference: PopulationTruths['reference_run']): PopulationTruths {
    const asOfDate = this.latest.slice(0, 10);
    const asOf = Date.parse(this.latest) / 1000;
    // Invoices still unpaid and past due at the as-of date count as late.
    for (const inv of this.open.values()) if (inv.due < asOfDate) inv.life.lateInvoices++;
    this.open.clear();

    const groups = new Map<string, Map<string, [number, number]>>();
    const add = (dim: string, level: string, churned: boolean) => {
      let g = groups.get(dim);
      if (g === undefined) groups.set(dim, (g = new Map()));
      const c = g.get(level) ?? [0, 0];
      c[0]++;
      if (churned) c[1]++;
      g.set(level, c);
    };
    const asOfYear = Number(this.latest.slice(0, 4));
    let total = 0;
    let churnedTotal = 0;
    const quiet = new Map<string, [number, number]>();
    const disputes = new Map<string, [number, number]>();
    for (const life of this.lives.values()) {
      const churned = life.lastCancel !== '' && life.lastCancel > life.lastStart;
      total++;
      if (churned) churnedTotal++;
      let cls = -1;
      const [a, m, u] = life.pay;
      if (a + m + u > 0) {
        const max = Math.max(a, m, u);
        const ties = (a === max ? 1 : 0) + (m === max ? 1 : 0) + (u === max ? 1 : 0);
        cls = ties > 1 ? life.lastPayClass : a === max ? 0 : m === max ? 1 : 2;
      } else if (life.lastChangeClass >= 0) cls = life.lastChangeClass;
      add('payment_class', cls < 0 ? 'unknown' : CLASS_NAMES[cls], churned);
      const tl = life.lateInvoices === 0 ? 'on_time' : life.lateInvoices === 1 ? 'late_once' : 'late_repeatedly';
      add('timeliness', tl, churned);
      add('ever_late', life.lateInvoices > 0 ? 'ever_late' : 'on_time', churned);
      const fl = life.fees === 0 ? 'none' : life.fees === 1 ? 'one' : 'two_or_more';
      add('fees', fl, churned);
      add('any_fee', life.fees > 0 ? 'any' : 'none', churned);
      add(`fees_${life.vertical}`, fl, churned);
      add(`any_fee_${life.vertical}`, life.fees > 0 ? 'any' : 'none', churned);
      add('vertical', life.vertical, churned);
      if (life.birthYear > 0) {
        const age = asOfYear - life.birthYear;
        add('age_band', age < 30 ? '18-29' : age < 50 ? '30-49' : age < 80 ? '50-79' : '80+', churned);
        add('under_30', age < 30 ? 'under_30' : '30_plus', churned);
      }
      const from = Date.parse(life.firstStart || life.firstEvent) / 1000;
      const to = churned ? Date.parse(life.lastCancel) / 1000 : asOf;
      const years = (to - from) / YEAR_S;
      add('tenure_band', years < 1 ? '<1y' : years < 2 ? '1-2y' : '2+y', churned);
      add('tenure_under_2y', years < 2 ? 'under_2y' : '2y_plus', churned);
      if (life.usageN > 0) add('overpriced', life.usageSum / life.usageN < 0.4 ? 'overpriced' : 'not_overpriced', churned);
      const dissatisfied = (life.survey >= 0 && life.survey <= 6) || (life.sat >= 1 && life.sat <= 2);
      add('dissatisfied', dissatisfied ? 'dissatisfied' : 'not_dissatisfied', churned);

      // "Only contact is the invoice": customers active through the whole last year.
      if (from <= asOf - YEAR_S && !(life.lastCancel && Date.parse(life.lastCancel) / 1000 > asOf - YEAR_S)) {
        const q = quiet.get(life.vertical) ?? [0, 0];
        q[0]++;
        if (!life.contacts.some((t) => t > asOf - YEAR_S)) q[1]++;
        quiet.set(life.vertical, q);
      }
      for (const ft of life.feeTimes) {
        if (ft > asOf - DISPUTE_WINDOW_S) continue;
        const d = disputes.get(life.vertical) ?? [0, 0];
        d[0]++;
        if (life.feeContacts.some((t) => t >= ft && t <= ft + DISPUTE_WINDOW_S)) d[1]++;
        disputes.set(life.vertical, d);
      }
    }

    const rates: Record<string, Record<string, GroupRate>> = {};
    for (const [dim, g] of [...groups.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
      rates[dim] = {};
      for (const [level, [n, k]] of [...g.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
        rates[dim][level] = { customers: n, churned: k, rate: round(k / n) };
      }
    }
    const rr = (dim: string, exposed: string, ref: string): RelativeRisk => relativeRisk(groups.get(dim)?.get(exposed), groups.get(dim)?.get(ref), `${dim}=${exposed}`, `${dim}=${ref}`);
    const feeByVertical: Record<string, Record<string, RelativeRisk>> = {};
    for (const v of ['telecom', 'broadband', 'energy', 'alarm']) {
      feeByVertical[v] = {
        one_vs_none: rr(`fees_${v}`, 'one', 'none'),
        two_or_more_vs_none: rr(`fees_${v}`, 'two_or_more', 'none'),
        any_vs_none: rr(`any_fee_${v}`, 'any', 'none'),
      };
    }
    const share = (m: Map<string, [number, number]>) =>
      Object.fromEntries([...m.entries()].sort().map(([k, [n, x]]) => [k, { n, share: round(x / n) }]));
    return {
      view: 'lifetime',
      definitions: LIFETIME_DEFINITIONS,
      reference_run: reference,
      customers: total,
      churn_rate: round(churnedTotal / total),
      rates,
      relative_risks: {
        manual_vs_automatic: rr('payment_class', 'manual', 'automatic'),
        late_once_vs_on_time: rr('timeliness', 'late_once', 'on_time'),
        late_repeatedly_vs_on_time: rr('timeliness', 'late_repeatedly', 'on_time'),
        ever_late_vs_on_time: rr('ever_late', 'ever_late', 'on_time'),
        one_fee_vs_none: rr('fees', 'one', 'none'),
        two_or_more_fees_vs_none: rr('fees', 'two_or_more', 'none'),
        any_fee_vs_none: rr('any_fee', 'any', 'none'),
        under_30_vs_30_plus: rr('under_30', 'under_30', '30_plus'),
        tenure_under_2y_vs_2y_plus: rr('tenure_under_2y', 'under_2y', '2y_plus'),
        overpriced_vs_not: rr('overpriced', 'overpriced', 'not_overpriced'),
        dissatisfied_vs_not: rr('dissatisfied', 'dissatisfied', 'not_dissatisfied'),
      },
      fee_relative_risks_by_vertical: feeByVertical,
      contact_facts: {
        no_contact_in_last_year_by_vertical: share(quiet),
        no_contact_definition: 'customers subscribed throughout the 365 days before the as-of date with no contact event in them',
        disputed_fee_share_by_vertical: share(disputes),
        disputed_fee_definition: 'fee_charged events followed within 14 days by a contact on topic fee (fees in the last 14 days excluded)',
      },
    };
  }
}

export const LIFETIME_DEFINITIONS: Record<string, string> = {
  population: 'every customer with at least one event, once',
  as_of: 'latest occurred_at in the data',
  churned: 'has a subscription_cancelled that no later subscription_started follows',
  payment_class: 'class (docs/event-contract.md default map) held by most of the customer\'s payment_received events; a tie goes to the latest payment; no payments: class of the latest payment_method_changed',
  timeliness: 'per invoice late = not paid in full (sum of payment_received amounts >= invoice amount) by the due_date (UTC date of payment > due_date), or unpaid with due_date before the as-of date; per customer on_time / late_once / late_repeatedly (2+)',
  fees: 'number of fee_charged events: none / one / two_or_more',
  age_band: 'year(as-of) - birth_year (latest customer_updated)',
  tenure_band: 'from the first subscription_started to the churn time (churned) or the as-of date',
  overpriced: 'mean used/included over all usage_reported below 0.4 (customers with usage only)',
  dissatisfied: 'latest survey_response score <= 6, or latest customer_updated.satisfaction <= 2',
  relative_risk: 'churn rate exposed / churn rate reference; ci95 by the log method',
};

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

function relativeRisk(exp: [number, number] | undefined, ref: [number, number] | undefined, exposed: string, reference: string): RelativeRisk {
  if (!exp || !ref || exp[1] === 0 || ref[1] === 0) return { rr: NaN, ci95: [NaN, NaN], exposed, reference };
  const [n1, a] = exp;
  const [n0, c] = ref;
  const rr = a / n1 / (c / n0);
  const se = Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n0);
  return { rr: round(rr), ci95: [round(rr * Math.exp(-1.96 * se)), round(rr * Math.exp(1.96 * se))], exposed, reference };
}
