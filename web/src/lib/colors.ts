/**
 * One colour per group, the same on every page: the Okabe–Ito palette (safe for the common forms
 * of colour-vision deficiency). Closed sets get fixed assignments chosen for meaning (automatic =
 * blue, manual = vermillion, on time = green, …); open sets (plan, market, method) hash the key.
 */
export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  black: '#000000',
  grey: '#8C8C8C',
} as const;

const P = OKABE_ITO;
/** Hash order for open sets: yellow last (weak on white). */
const CYCLE = [P.blue, P.orange, P.green, P.vermillion, P.purple, P.skyBlue, P.black, P.yellow];

const FIXED: Record<string, Record<string, string>> = {
  payment_method_class: { automatic: P.blue, manual: P.vermillion, unknown: P.grey },
  timeliness: { on_time: P.green, late_once: P.orange, late_repeatedly: P.vermillion },
  fee_exposure: { none: P.green, one: P.orange, two_or_more: P.vermillion },
  vertical: { telecom: P.blue, broadband: P.orange, energy: P.green, alarm: P.purple, other: P.skyBlue },
  age_band: { '18-29': P.purple, '30-49': P.blue, '50-79': P.green, '80+': P.orange },
  tenure_band: { '<1y': P.vermillion, '1-2y': P.orange, '2+y': P.blue, '2y+': P.blue },
  plan_fit: { fits_use: P.green, priced_above_use: P.vermillion, no_usage_data: P.grey },
  satisfaction_level: { satisfied: P.green, dissatisfied: P.vermillion, unknown: P.grey },
  invoice_channel: { paper: P.orange, email: P.blue, sms: P.purple, einvoice: P.green, digital_mailbox: P.skyBlue, app: P.black },
  market: { SE: P.blue, NO: P.vermillion, DK: P.purple, FI: P.green },
  payment_method: {
    autogiro: P.blue, avtalegiro: P.blue, betalingsservice: P.blue, sepa_direct_debit: P.skyBlue, direct_debit: P.skyBlue, card_recurring: P.green,
    bank_transfer: P.vermillion, ocr_transfer: P.vermillion, paper_giro: P.orange, card: P.purple, swish: P.orange, vipps: P.orange, mobilepay: P.orange, einvoice: P.yellow,
  },
  segment: { A: P.orange, B: P.skyBlue },
  measure: {
    churn_rate: P.vermillion,
    automatic_share: P.blue,
    on_time_share: P.green,
    fee_revenue: P.green,
    attributable_churn_value: P.vermillion,
    handling_cost: P.orange,
    net: P.black,
    rate: P.blue,
    hazard_ratio: P.blue,
  },
};

const DOSE = [P.green, P.orange, P.vermillion, P.purple, P.black];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The colour of group `key` of `factor` (a factor, a segment dimension, "segment" or "measure"). */
export function colorFor(factor: string, key: string): string {
  // Dose–response buckets ("0", "1", "2", "3+", "2–3"): a fixed ramp by the bucket's lower count.
  if (factor.startsWith('dose:')) return DOSE[Math.min(DOSE.length - 1, parseInt(key, 10) || 0)];
  return FIXED[factor]?.[key] ?? CYCLE[hash(`${key}`) % CYCLE.length];
}

/** Diverging scale for relative risk (log scale): blue below 1, white at 1, vermillion above. */
export const RR_COLORS = [P.blue, '#9ecae1', '#f7f7f7', '#f4a582', P.vermillion];
/** Sequential scale for shares (retention). */
export const SHARE_COLORS = ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];
