/**
 * The month-by-month simulation of one subscription business. Customers are created up front (a
 * share already subscribed at window start with backdated tenure, the rest signing up during the
 * window); then every month each active customer first faces the planted churn hazard, evaluated
 * on exactly what the landmark view can see in the 180 days before the month starts, and then lives
 * the month: usage report, invoice with its whole payment story (view, payment, failure, reminders,
 * fee, collection, mismatch), contacts driven by that story, surveys, offers and their effects,
 * and possibly cancellation or a later win-back. A single seeded stream drives the behaviour, so the
 * same options reproduce the same world; dirt draws from its own stream and never perturbs it.
 */
import {
  CANCEL_REASONS, CHANNEL_WEIGHTS_BY_AGE, CONTACT_CHANNELS, CONTACT_CHANNEL_WEIGHTS_BY_AGE,
  FAILED_DEBIT_REASONS, INVOICE_CHANNELS, MARKETS, MARKET_WEIGHTS, OFFER_ACCEPTANCE, OFFER_PLACEMENTS,
  OFFER_PLACEMENT_WEIGHTS, PLANS, PLAN_WEIGHTS, VERTICALS, VERTICAL_WEIGHTS, ageBand, localPrice,
  type Market, type OfferId, type Plan, type Vertical,
} from './catalog.ts';
import { contactTime, daytime } from './contact-hours.ts';
import { EventWriter, money } from './events.ts';
import { COVARIATES, Hazard, type Parameters } from './model.ts';
import { Rng, cumulative } from './rng.ts';
import { DAY, HOUR, dateOfDay, monthStart, monthStartsFor, yearOf } from './time.ts';

export interface SimulationConfig {
  customers: number;
  seed: number;
  months: number;
  /** Epoch second of the last instant that has happened. */
  end: number;
  params: Parameters;
  /** Labels the default payment-method map does not know, for a few customers (dirt). */
  unknownLabels: boolean;
  /**
   * History starts mid-life: customers who joined before the window have no backdated events, as
   * when a company starts sending events today. Each is first seen at the window start through a
   * customer_updated carrying its `customer_since` date (an extra field, as CRMs export it), and
   * never has a subscription_started in the data. Same draws as without, so the population is the same.
   */
  midLife?: boolean;
}

const MONTH_DAYS = 30.44;
const TENURE_24M = 730 * DAY;
const YEAR = 365 * DAY;
const MAX_BACKDATE_MONTHS = 72;
/** Monthly attrition used to thin backdated tenures: older cohorts have fewer survivors left. */
const BACKDATE_ATTRITION = 0.018;

const MANUAL_LATE_MEAN = [0.14, 0.07, 0.042, 0.055];
const DEBIT_FAIL_MEAN = [0.035, 0.018, 0.011, 0.015];
const VIEW_PROBABILITY = [0.85, 0.7, 0.55, 0.38];
const AGE_BAND_WEIGHTS = cumulative([0.2, 0.35, 0.38, 0.07]);
const AGE_BAND_RANGE: readonly (readonly [number, number])[] = [[18, 29], [30, 49], [50, 79], [80, 94]];
const AUTOMATIC_SHIFT_BY_AGE = [-0.22, 0, 0.08, -0.05];
const OVERPRICED_SHARE: Record<Vertical, number> = { telecom: 0.25, broadband: 0.22, energy: 0.15, alarm: 0 };
const USAGE_UNIT: Record<Vertical, string> = { telecom: 'GB', broadband: 'GB', energy: 'kWh', alarm: '' };
const BINDING = [0, 0, 12, 24];
const UNKNOWN_LABELS = ['klarna', 'paypal', 'apple_pay', 'trustly'];

const SHOW_OFFER_PER_MONTH = 0.1;
const SURVEY_PER_MONTH = 0.035;
const UPDATE_PER_MONTH = 0.012;
const SOFT_REMINDER_SHARE = 0.25;
const SOFT_RESCUE = 0.35;
const UNMATCHED_SHARE = 0.02;
const EXIT_SURVEY = 0.3;


class Customer {
  // identity and segments
  id = '';
  vertical = 0;
  market: Market = MARKETS[0];
  birthYear = 0;
  band = 0;
  business = false;
  // plan and usage
  plan = 0;
  price = 0;
  usageRatio = 0;
  // payment and invoicing
  auto = false;
  method = '';
  unknownLabel: string | null = null;
  channel = '';
  lateP = 0;
  debitFailP = 0;
  softReminder = false;
  feeWaivers = 0;
  cycleDay = 1;
  dueTerm = 14;
  invoices = 0;
  satLatent = 3;
  // life cycle
  start = 0;
  joinT = 0;
  active = false;
  restartMonth = -1;
  // look-back records (pruned to the look-back window as months pass)
  dueT: number[] = [];
  dueLate: number[] = [];
  feeT: number[] = [];
  useT: number[] = [];
  useR: number[] = [];
  offerT: number[] = [];
  dissatisfied = 0;
}

export class Simulation {
  readonly windowStart: number;
  /** Month starts; monthStarts[months] is the exclusive end of the last month. */
  readonly monthStarts: number[];
  readonly earliest: number;
  unknownMethodEvents = 0;
  unknownMethodCustomers = 0;
  readonly unknownMethodLabels = new Set<string>();

  private readonly rng: Rng;
  private readonly customers: Customer[] = [];
  private readonly hazard: Hazard;
  private readonly x = new Uint8Array(COVARIATES.length);
  private readonly lookback: number;
  private readonly plans: (readonly Plan[])[];
  private readonly planWeights: Float64Array[];
  private readonly channelWeights = CHANNEL_WEIGHTS_BY_AGE.map((w) => cumulative(w));
  private readonly contactWeights = CONTACT_CHANNEL_WEIGHTS_BY_AGE.map((w) => cumulative(w));
  private readonly placementWeights = cumulative(OFFER_PLACEMENT_WEIGHTS);
  private readonly contactMul: number[];
  private readonly dispute: number[];
  private readonly eligible: OfferId[] = [];
  /** Calendar facts of the month being simulated. */
  private month = { year: 0, season: 1, prevSeason: 1, prevStartDate: '' };

  constructor(
    private readonly cfg: SimulationConfig,
    private readonly out: EventWriter,
  ) {
    this.rng = new Rng(cfg.seed, 1);
    this.monthStarts = monthStartsFor(cfg.end, cfg.months);
    this.windowStart = this.monthStarts[0];
    this.earliest = this.windowStart - Math.ceil((MAX_BACKDATE_MONTHS + 2) * MONTH_DAYS) * DAY;
    this.hazard = new Hazard(cfg.params.model, VERTICALS);
    this.lookback = cfg.params.model.lookback_days * DAY;
    this.plans = VERTICALS.map((v) => PLANS[v]);
    this.planWeights = VERTICALS.map((v) => cumulative(PLAN_WEIGHTS[v]));
    this.contactMul = VERTICALS.map((v) => cfg.params.behaviour.contact_multiplier[v]);
    this.dispute = VERTICALS.map((v) => cfg.params.behaviour.dispute_probability[v]);
  }

  /** Creates the customers and writes the backdated history of those present at window start. */
  prepare(): void {
    const { rng, cfg } = this;
    const n = cfg.customers;
    const nExisting = Math.round(n * cfg.params.behaviour.existing_share);
    const starts = new Float64Array(n);
    const lastSignup = Math.max(this.windowStart + DAY, this.monthStarts[cfg.months] - 5 * DAY);
    for (let i = 0; i < n; i++) {
      if (i < nExisting) {
        // Truncated exponential: survivors of older cohorts are rarer.
        const u = rng.next();
        const a = -Math.log(1 - u * (1 - Math.exp(-BACKDATE_ATTRITION * MAX_BACKDATE_MONTHS))) / BACKDATE_ATTRITION;
        starts[i] = this.windowStart - Math.max(DAY, Math.floor(a * MONTH_DAYS * DAY));
      } else {
        starts[i] = this.windowStart + Math.floor(rng.next() * (lastSignup - this.windowStart));
      }
    }
    // Customer numbers follow sign-up order, as a real customer register does.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => starts[a] - starts[b] || a - b);
    const dirtRng = new Rng(cfg.seed, 7);
    const width = Math.max(7, String(n).length);
    for (let k = 0; k < n; k++) {
      const c = this.createCustomer(k + 1, width, starts[order[k]]);
      if (cfg.unknownLabels && dirtRng.chance(0.004)) {
        c.unknownLabel = dirtRng.pick(UNKNOWN_LABELS);
        this.unknownMethodLabels.add(c.unknownLabel);
        this.unknownMethodCustomers++;
      }
      this.customers.push(c);
      if (c.start < this.windowStart) this.signUp(c, c.start);
    }
  }

  private createCustomer(num: number, width: number, start: number): Customer {
    const { rng } = this;
    const c = new Customer();
    c.id = 'C' + String(num).padStart(width, '0');
    c.vertical = rng.pickCumulative(VERTICAL_WEIGHTS_CUM);
    c.market = MARKETS[rng.pickCumulative(MARKET_WEIGHTS_CUM)];
    c.band = rng.pickCumulative(AGE_BAND_WEIGHTS);
    const [lo, hi] = AGE_BAND_RANGE[c.band];
    c.birthYear = yearOf(this.cfg.end) - rng.int(lo, hi);
    c.business = rng.chance(0.08);
    const vertical = VERTICALS[c.vertical];
    c.plan = rng.pickCumulative(this.planWeights[c.vertical]);
    c.price = localPrice(this.plans[c.vertical][c.plan].price, c.market);
    c.usageRatio = rng.chance(OVERPRICED_SHARE[vertical]) ? rng.uniform(0.12, 0.36) : rng.uniform(0.46, 1.05);
    const autoShare = c.market.automaticShare + AUTOMATIC_SHIFT_BY_AGE[c.band] + (c.business ? 0.1 : 0);
    c.auto = rng.chance(autoShare);
    c.method = weighted(rng, c.auto ? c.market.automatic : c.band === 0 ? c.market.manualYoung : c.market.manualOther);
    c.channel = INVOICE_CHANNELS[rng.pickCumulative(this.channelWeights[c.band])];
    c.lateP = Math.min(0.85, MANUAL_LATE_MEAN[c.band] * rng.exp(1));
    c.debitFailP = Math.min(0.3, DEBIT_FAIL_MEAN[c.band] * rng.exp(1));
    c.softReminder = rng.chance(SOFT_REMINDER_SHARE);
    c.satLatent = clamp(3.7 + 0.9 * rng.normal(), 1, 5);
    const cyc = rng.next();
    c.cycleDay = cyc < 0.5 ? 1 : cyc < 0.75 ? 10 : 20;
    c.dueTerm = rng.int(14, 20);
    c.start = start;
    return c;
  }

  /** The method string as written: a few customers' payment provider uses a label nobody mapped. */
  private label(c: Customer, method: string): string {
    return c.unknownLabel ?? method;
  }

  private countLabel(c: Customer, written: boolean): void {
    if (written && c.unknownLabel !== null) this.unknownMethodEvents++;
  }

  private signUp(c: Customer, t: number): void {
    const { rng, out } = this;
    const plan = this.plans[c.vertical][c.plan];
    const cur = c.market.currency;
    const price = money(c.price);
    const attributes = `,"vertical":"${VERTICALS[c.vertical]}","market":"${c.market.code}","birth_year":${c.birthYear},"segment":"${c.business ? 'business' : 'consumer'}","plan":"${plan.name}","monthly_price":${price},"currency":"${cur}"`;
    const binding = BINDING[rng.int(0, 3)];
    const methodDelay = 60 + rng.int(0, 3 * HOUR);
    if (this.cfg.midLife && t < this.windowStart) {
      // First seen at the window start; the start date is known only from the CRM's customer_since.
      const seen = this.windowStart;
      out.customerUpdated(seen, c.id, `${attributes},"customer_since":"${dateOfDay(Math.floor(t / DAY))}"`);
      this.countLabel(c, out.methodChanged(seen + methodDelay, c.id, this.label(c, c.method)));
    } else {
      out.customerUpdated(t, c.id, attributes);
      out.subscriptionStarted(t + 1, c.id, plan.name, price, cur, binding);
      this.countLabel(c, out.methodChanged(t + methodDelay, c.id, this.label(c, c.method)));
    }
    c.active = true;
    c.joinT = t;
  }

  /** Simulates calendar month m (0-based within the window). */
  simulateMonth(m: number): void {
    const T = this.monthStarts[m];
    const TE = Math.min(this.monthStarts[m + 1], this.cfg.end + 1);
    const cal = new Date(T * 1000);
    const prev = monthStart(cal.getUTCFullYear(), cal.getUTCMonth() - 1);
    this.month = {
      year: cal.getUTCFullYear(),
      season: ENERGY_SEASON[cal.getUTCMonth()],
      prevSeason: ENERGY_SEASON[new Date(prev * 1000).getUTCMonth()],
      prevStartDate: dateOfDay(prev / DAY),
    };
    for (const c of this.customers) {
      if (c.start >= TE) continue;
      if (c.start >= T) {
        this.signUp(c, c.start);
        this.liveMonth(c, T, TE, c.start, TE, false);
        continue;
      }
      if (!c.active) {
        if (c.restartMonth === m) {
          const r = T + Math.floor(this.rng.next() * Math.max(DAY, TE - T - 4 * DAY));
          this.restart(c, r);
          this.liveMonth(c, T, TE, r, TE, false);
        }
        continue;
      }
      this.prune(c, T);
      const p = this.hazard.probability(c.vertical, this.covariates(c, T));
      const churn = this.rng.next() < p;
      const cancelAt = churn ? T + Math.floor(this.rng.next() * (TE - T)) : TE;
      this.liveMonth(c, T, TE, T, cancelAt, true);
      if (churn) this.cancel(c, m, cancelAt);
    }
  }

  private covariates(c: Customer, T: number): Uint8Array {
    const x = this.x;
    const from = T - this.lookback;
    x[0] = c.auto ? 0 : 1;
    let late = 0;
    for (let i = 0; i < c.dueT.length; i++) if (c.dueLate[i] && c.dueT[i] < T && c.dueT[i] >= from) late = 1;
    x[1] = late;
    let fee = 0;
    for (let i = 0; i < c.feeT.length; i++) if (c.feeT[i] < T && c.feeT[i] >= from) fee = 1;
    x[2] = fee;
    x[3] = this.month.year - c.birthYear < 30 ? 1 : 0;
    x[4] = T - c.start < TENURE_24M ? 1 : 0;
    let sum = 0;
    let n = 0;
    for (let i = 0; i < c.useT.length; i++) {
      if (c.useT[i] < T && c.useT[i] >= from) {
        sum += c.useR[i];
        n++;
      }
    }
    x[5] = n > 0 && sum / n < 0.4 ? 1 : 0;
    x[6] = c.dissatisfied;
    let offer = 0;
    for (let i = 0; i < c.offerT.length; i++) if (c.offerT[i] < T && c.offerT[i] >= from) offer = 1;
    x[7] = offer;
    return x;
  }

  private prune(c: Customer, T: number): void {
    const from = T - this.lookback - 40 * DAY;
    while (c.dueT.length && c.dueT[0] < from) {
      c.dueT.shift();
      c.dueLate.shift();
    }
    while (c.feeT.length && c.feeT[0] < from) c.feeT.shift();
    while (c.useT.length && c.useT[0] < from) {
      c.useT.shift();
      c.useR.shift();
    }
    while (c.offerT.length && c.offerT[0] < from) c.offerT.shift();
  }

  /**
   * One month of a customer's life in [a, b) (b = cancellation instant when churning). `tenured`
   * means the customer was active at the month start, which is when usage for last month is due.
   */
  private liveMonth(c: Customer, T: number, TE: number, a: number, b: number, tenured: boolean): void {
    const { rng, out, month } = this;
    const vertical = VERTICALS[c.vertical];
    const plan = this.plans[c.vertical][c.plan];
    const mul = this.contactMul[c.vertical];
    const energy = vertical === 'energy';
    const season = energy ? month.season : 1;

    if (tenured && plan.included > 0) {
      const ratio = c.usageRatio * (energy ? month.prevSeason : 1) * rng.uniform(0.8, 1.2);
      const t = T + DAY + 2 * HOUR + rng.int(0, 3600);
      const used = plan.included * ratio;
      if (out.usageReported(t, c.id, month.prevStartDate, used.toFixed(energy ? 0 : 1), plan.included, USAGE_UNIT[vertical])) {
        c.useT.push(t);
        c.useR.push(Number(used.toFixed(vertical === 'energy' ? 0 : 1)) / plan.included);
      }
    }

    let invoiceT = -1;
    const cycleT = T + (c.cycleDay - 1) * DAY + 4 * HOUR + rng.int(0, 2 * HOUR);
    if (cycleT >= c.joinT + 3 * DAY && cycleT >= a && cycleT < b) {
      invoiceT = cycleT;
      this.invoice(c, cycleT, season, b < TE);
    }

    // Contacts not tied to an invoice: technical questions, sales, other.
    if (rng.chance(0.011 * mul)) {
      const r = rng.next();
      const topic = r < 0.5 ? 'technical' : r < 0.68 ? 'sales' : 'other';
      const day = Math.floor((a + rng.next() * (b - a)) / DAY);
      this.contact(c, day, a, topic);
    }

    if (rng.chance(SURVEY_PER_MONTH)) {
      const t = a + Math.floor(rng.next() * (b - a));
      const score = Math.round(clamp(2.3 * c.satLatent - 1.6 + 1.4 * rng.normal(), 0, 10));
      if (out.surveyResponse(t, c.id, score)) c.dissatisfied = score <= 6 ? 1 : 0;
    }
    if (rng.chance(UPDATE_PER_MONTH)) {
      const t = a + Math.floor(rng.next() * (b - a));
      const sat = Math.round(clamp(c.satLatent + 0.6 * rng.normal(), 1, 5));
      const p = this.plans[c.vertical][c.plan];
      if (
        out.customerUpdated(
          t, c.id,
          `,"vertical":"${vertical}","market":"${c.market.code}","birth_year":${c.birthYear},"segment":"${c.business ? 'business' : 'consumer'}","plan":"${p.name}","monthly_price":${money(c.price)},"currency":"${c.market.currency}","satisfaction":${sat}`,
        )
      ) {
        c.dissatisfied = sat <= 2 ? 1 : 0;
      }
    }

    if (rng.chance(SHOW_OFFER_PER_MONTH)) this.offer(c, T, a, b, invoiceT);
  }

  private invoice(c: Customer, t: number, season: number, final: boolean): void {
    const { rng, out } = this;
    const cur = c.market.currency;
    const invoiceId = `INV${dateOfDay(Math.floor(t / DAY)).slice(0, 7).replace('-', '')}-${c.id.slice(1)}`;
    const amountV = c.market.decimals === 0 ? Math.round(c.price * season) : Math.round(c.price * season * 100) / 100;
    const amount = money(amountV);
    const issueDay = Math.floor(t / DAY);
    const dueDay = issueDay + c.dueTerm;
    const dueEnd = (dueDay + 1) * DAY - 1;
    const first = c.invoices === 0;
    const firstYear = t - c.start < YEAR;
    c.invoices++;
    out.invoiceIssued(t, c.id, invoiceId, amount, dateOfDay(dueDay), cur, c.channel);

    if (c.channel !== 'paper' && rng.chance(VIEW_PROBABILITY[c.band])) {
      out.invoiceViewed(t + 600 + Math.floor(rng.exp(18 * HOUR)), c.id, invoiceId, c.channel);
    }

    // When (if ever) the invoice is paid, and by which method.
    let payT = Infinity;
    let payMethod = c.method;
    let failed = false;
    if (c.auto) {
      if (rng.chance(c.debitFailP * (final ? 2 : 1))) {
        failed = true;
        const ft = dueDay * DAY + 3 * HOUR + rng.int(0, 2 * HOUR);
        this.countLabel(c, out.paymentFailed(ft, c.id, this.label(c, c.method), invoiceId, rng.pick(FAILED_DEBIT_REASONS)));
        payMethod = rng.pick(c.market.fallback);
        payT = rng.chance(0.04) ? Infinity : daytime(rng, dueDay + rng.int(2, 12) + (rng.chance(0.15) ? rng.int(5, 30) : 0), c.market.eastern);
        if (rng.chance(0.25 * this.contactMul[c.vertical])) this.contact(c, Math.floor(ft / DAY) + rng.int(0, 2), ft, 'payment');
      } else {
        payT = dueDay * DAY + 3 * HOUR + rng.int(0, 3 * HOUR);
      }
    } else {
      let late = rng.chance(Math.min(0.95, c.lateP * (final ? 2 : 1)));
      if (late && c.softReminder && rng.chance(SOFT_RESCUE)) {
        late = false;
        payT = dueDay * DAY + 9 * HOUR + rng.int(0, 10 * HOUR);
      } else if (late) {
        const r = rng.next();
        const days = r < 0.55 ? rng.int(1, 7) : r < 0.83 ? rng.int(8, 14) : r < 0.97 ? rng.int(15, 40) : rng.chance(0.3) ? -1 : rng.int(41, 120);
        payT = days < 0 ? Infinity : daytime(rng, dueDay + days, c.market.eastern);
      } else {
        const payDay = rng.chance(0.45) ? dueDay - rng.int(0, 1) : rng.int(issueDay + 1, dueDay);
        payT = Math.max(t + HOUR, daytime(rng, payDay, c.market.eastern));
        if (payT > dueEnd) payT = dueEnd - rng.int(60, 3 * HOUR);
      }
    }

    // A mistyped OCR/KID reference: the money arrives but is matched by hand days later.
    let unmatchedT = -1;
    if (payT !== Infinity && c.market.referenced.includes(payMethod) && rng.chance(UNMATCHED_SHARE)) {
      unmatchedT = payT;
      payT = payT + rng.int(1, 5) * DAY + rng.int(0, 4 * HOUR);
    }

    if (c.softReminder && payT >= dueDay * DAY + 7 * HOUR && !failed) {
      out.reminderSent(dueDay * DAY + 6 * HOUR + rng.int(0, HOUR), c.id, invoiceId, 'soft', c.channel === 'paper' ? 'sms' : c.channel === 'einvoice' ? 'email' : c.channel, '0.00');
    }

    let fee = 0;
    const hardDay = dueDay + rng.int(7, 10);
    const hardT = hardDay * DAY + 5 * HOUR + rng.int(0, HOUR);
    if (payT > hardT) {
      fee = c.feeWaivers > 0 ? 0 : c.market.reminderFee;
      if (c.feeWaivers > 0) c.feeWaivers--;
      const ch = c.channel === 'paper' || c.band === 3 ? 'paper' : rng.chance(0.5) ? 'email' : 'sms';
      out.reminderSent(hardT, c.id, invoiceId, 'hard', ch, money(fee));
      if (fee > 0 && out.feeCharged(hardT + 5, c.id, invoiceId, money(fee), c.market.currency)) {
        c.feeT.push(hardT + 5);
        if (rng.chance(this.dispute[c.vertical])) this.contact(c, hardDay + Math.min(11, Math.floor(rng.exp(3))), hardT + HOUR, 'fee');
      }
      if (rng.chance(0.12 * this.contactMul[c.vertical])) this.contact(c, hardDay + rng.int(0, 4), hardT + HOUR, 'payment');
      const collT = (dueDay + rng.int(30, 40)) * DAY + 6 * HOUR + rng.int(0, HOUR);
      if (payT > collT) {
        out.collectionStarted(collT, c.id, invoiceId, money(amountV + fee));
        if (rng.chance(0.3)) this.contact(c, Math.floor(collT / DAY) + rng.int(0, 5), collT + HOUR, 'payment');
      }
    }

    if (unmatchedT >= 0) {
      out.paymentUnmatched(unmatchedT, c.id, money(amountV + fee), referenceLike(rng));
    }
    if (payT !== Infinity) this.countLabel(c, out.paymentReceived(payT, c.id, invoiceId, money(amountV + fee), this.label(c, payMethod)));
    c.dueT.push(dueEnd);
    c.dueLate.push(payT > dueEnd ? 1 : 0);

    // Invoice questions: most on the first invoice, more in the first year, right after dispatch
    // or around the due date.
    const pContact = (first ? 0.3 : firstYear ? 0.05 : 0.022) * this.contactMul[c.vertical];
    if (rng.chance(pContact)) {
      if (rng.chance(0.65)) this.contact(c, issueDay + rng.int(1, 3), t + HOUR, rng.chance(0.7) ? 'invoice' : 'payment');
      else this.contact(c, dueDay + rng.int(-1, 2), t + HOUR, rng.chance(0.4) ? 'invoice' : 'payment');
    }
  }

  private contact(c: Customer, day: number, notBefore: number, topic: string): void {
    const { rng } = this;
    const t = contactTime(rng, day, c.market.eastern, notBefore);
    let ch = CONTACT_CHANNELS[rng.pickCumulative(this.contactWeights[c.band])];
    if (ch === 'invoice_message' && (c.channel === 'paper' || c.channel === 'sms')) ch = 'phone';
    const direction = topic === 'sales' && rng.chance(0.3) ? 'outbound' : 'inbound';
    let wait: number;
    let handle: number;
    switch (ch) {
      case 'phone':
        wait = 5 + Math.floor(rng.exp(140));
        handle = 90 + Math.floor(rng.exp(330));
        break;
      case 'chat':
        wait = 3 + Math.floor(rng.exp(45));
        handle = 150 + Math.floor(rng.exp(480));
        break;
      case 'sms':
        wait = 60 + Math.floor(rng.exp(1800));
        handle = 30 + Math.floor(rng.exp(120));
        break;
      default:
        wait = 300 + Math.floor(rng.exp(5 * HOUR));
        handle = 60 + Math.floor(rng.exp(300));
    }
    if (direction === 'outbound') wait = 0;
    this.out.contact(t, c.id, ch, topic, direction, wait, handle);
  }

  private offer(c: Customer, T: number, a: number, b: number, invoiceT: number): void {
    const { rng, out } = this;
    const el = this.eligible;
    el.length = 0;
    const x = this.covariates(c, T);
    if (!c.auto) el.push('direct_debit');
    if (x[1] && !c.softReminder) el.push('soft_reminder');
    if (x[2] && c.feeWaivers === 0) el.push('fee_waiver');
    if (c.channel === 'paper') el.push('e_invoice');
    if (x[5] && c.plan > 0) el.push('right_size_plan');
    if (x[4]) el.push('loyalty');
    if (el.length === 0) return;
    const offer = el[Math.floor(rng.next() * el.length)];
    const placement = invoiceT >= 0 && rng.chance(0.75) ? 'invoice' : OFFER_PLACEMENTS[rng.pickCumulative(this.placementWeights)];
    const shownT = placement === 'invoice' && invoiceT >= 0 ? invoiceT + 2 : a + Math.floor(rng.next() * (b - a));
    if (shownT >= b) return;
    out.offerShown(shownT, c.id, offer, placement);
    if (!rng.chance(OFFER_ACCEPTANCE[offer] * (c.band === 0 ? 1.2 : 1))) return;
    const acceptT = shownT + 300 + Math.floor(rng.exp(1.5 * DAY));
    if (acceptT >= b - DAY) return;
    if (!out.offerAccepted(acceptT, c.id, offer)) return;
    c.offerT.push(acceptT);
    switch (offer) {
      case 'direct_debit':
        c.auto = true;
        c.method = c.market.directDebit;
        this.countLabel(c, out.methodChanged(acceptT + rng.int(HOUR, 20 * HOUR), c.id, this.label(c, c.method)));
        break;
      case 'soft_reminder':
        c.softReminder = true;
        break;
      case 'fee_waiver':
        c.feeWaivers = 1;
        break;
      case 'e_invoice':
        c.channel = rng.chance(0.6) ? 'einvoice' : 'digital_mailbox';
        break;
      case 'right_size_plan': {
        const plans = this.plans[c.vertical];
        const used = plans[c.plan].included * c.usageRatio;
        let target = 0;
        while (target < c.plan - 1 && plans[target].included < used * 1.25) target++;
        if (target >= c.plan) break;
        c.usageRatio = used / plans[target].included;
        c.plan = target;
        c.price = localPrice(plans[target].price, c.market);
        out.planChanged(acceptT + rng.int(60, 6 * HOUR), c.id, plans[target].name, money(c.price));
        break;
      }
      case 'loyalty':
        break;
    }
  }

  private cancel(c: Customer, m: number, t: number): void {
    const { rng, out, x } = this;
    if (rng.chance(0.4)) this.contact(c, Math.floor(t / DAY) - rng.int(0, 3), Math.max(c.joinT, this.monthStarts[m]), 'cancellation');
    // Reason follows the driver: the customer names what weighed most.
    const w = REASON_BASE.slice();
    if (x[1] || x[2]) w[3] += 3;
    if (x[0]) w[3] += 0.6;
    if (x[5]) w[0] += 3;
    if (x[6]) w[1] += 3;
    if (x[3]) w[2] += 1.2;
    const reason = CANCEL_REASONS[rng.pickCumulative(cumulative(w))];
    out.subscriptionCancelled(t, c.id, reason);
    // Exit surveys: leavers are asked why, and answer below their usual mood.
    if (rng.chance(EXIT_SURVEY)) {
      const score = Math.round(clamp(2.3 * c.satLatent - 3.4 + 1.4 * rng.normal(), 0, 10));
      out.surveyResponse(t + rng.int(HOUR, 3 * DAY), c.id, score);
    }
    c.active = false;
    if (rng.chance(this.cfg.params.behaviour.winback_share)) c.restartMonth = m + rng.int(2, 8);
  }

  private restart(c: Customer, t: number): void {
    const plan = this.plans[c.vertical][c.plan];
    this.out.subscriptionStarted(t, c.id, plan.name, money(c.price), c.market.currency, 12);
    c.active = true;
    c.joinT = t;
    c.restartMonth = -1;
  }
}

const VERTICAL_WEIGHTS_CUM = cumulative(VERTICAL_WEIGHTS);
const MARKET_WEIGHTS_CUM = cumulative(MARKET_WEIGHTS);
const REASON_BASE = [1, 1, 2, 0.4, 1, 0.6];
// Energy use (and bills) by calendar month, January first: the Nordic winter dominates.
const ENERGY_SEASON = [1.35, 1.3, 1.15, 1.0, 0.85, 0.75, 0.7, 0.72, 0.82, 0.98, 1.15, 1.3];

function weighted(rng: Rng, table: readonly (readonly [string, number])[]): string {
  let x = rng.next();
  for (const [name, w] of table) {
    if (x < w) return name;
    x -= w;
  }
  return table[table.length - 1][0];
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** A plausible but wrong OCR/KID: digits of the right length that match no invoice. */
function referenceLike(rng: Rng): string {
  let s = '';
  const len = rng.int(8, 14);
  for (let i = 0; i < len; i++) s += String(rng.int(0, 9));
  return s;
}
