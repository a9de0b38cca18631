/**
 * The fixed world the simulation lives in: markets with their currency, statutory reminder-fee cap
 * and payment methods, verticals with their plans, invoice channels and the offer catalogue. Kept
 * apart from the behaviour so that a reader can check the domain facts of docs/domain.md in one place,
 * and so that the contract test can take its enums from docs/event-contract.md rather than from here.
 */

export const VERTICALS = ['telecom', 'broadband', 'energy', 'alarm'] as const;
export type Vertical = (typeof VERTICALS)[number];
/** Share of customers per vertical. */
export const VERTICAL_WEIGHTS = [0.4, 0.25, 0.25, 0.1];

export interface Market {
  code: 'SE' | 'NO' | 'DK' | 'FI';
  currency: string;
  /** Price level relative to SEK list prices. */
  priceFactor: number;
  /** Whole units (SEK/NOK/DKK) or cents (EUR) when rounding prices. */
  decimals: number;
  /** Statutory cap on a reminder fee, used as the fee itself. */
  reminderFee: number;
  /** The market's direct debit, which the `direct_debit` offer moves people to. */
  directDebit: string;
  /** Automatic methods with weights. */
  automatic: readonly (readonly [string, number])[];
  /** Manual methods for younger (< 30) and other customers, with weights. */
  manualYoung: readonly (readonly [string, number])[];
  manualOther: readonly (readonly [string, number])[];
  /** Manual methods a customer falls back to after a failed direct debit. */
  fallback: readonly string[];
  /** Methods carrying an OCR/KID reference that a payer can mistype. */
  referenced: readonly string[];
  /** Base share of automatic payers. */
  automaticShare: number;
  /** FI is on Eastern European time, the rest on Central European time. */
  eastern: boolean;
}

export const MARKETS: readonly Market[] = [
  {
    code: 'SE', currency: 'SEK', priceFactor: 1, decimals: 0, reminderFee: 60, directDebit: 'autogiro',
    automatic: [['autogiro', 0.8], ['card_recurring', 0.2]],
    manualYoung: [['swish', 0.4], ['card', 0.25], ['ocr_transfer', 0.25], ['einvoice', 0.1]],
    manualOther: [['ocr_transfer', 0.45], ['einvoice', 0.25], ['paper_giro', 0.15], ['swish', 0.1], ['card', 0.05]],
    fallback: ['ocr_transfer', 'swish'], referenced: ['ocr_transfer', 'paper_giro'], automaticShare: 0.6, eastern: false,
  },
  {
    code: 'NO', currency: 'NOK', priceFactor: 1, decimals: 0, reminderFee: 35, directDebit: 'avtalegiro',
    automatic: [['avtalegiro', 1]],
    manualYoung: [['vipps', 0.55], ['bank_transfer', 0.3], ['card', 0.15]],
    manualOther: [['bank_transfer', 0.65], ['vipps', 0.25], ['card', 0.1]],
    fallback: ['bank_transfer', 'vipps'], referenced: ['bank_transfer'], automaticShare: 0.55, eastern: false,
  },
  {
    code: 'DK', currency: 'DKK', priceFactor: 0.7, decimals: 0, reminderFee: 100, directDebit: 'betalingsservice',
    automatic: [['betalingsservice', 1]],
    manualYoung: [['mobilepay', 0.65], ['bank_transfer', 0.35]],
    manualOther: [['bank_transfer', 0.6], ['mobilepay', 0.4]],
    fallback: ['mobilepay', 'bank_transfer'], referenced: ['bank_transfer'], automaticShare: 0.65, eastern: false,
  },
  {
    code: 'FI', currency: 'EUR', priceFactor: 0.095, decimals: 2, reminderFee: 5, directDebit: 'sepa_direct_debit',
    automatic: [['sepa_direct_debit', 1]],
    manualYoung: [['bank_transfer', 0.5], ['einvoice', 0.5]],
    manualOther: [['bank_transfer', 0.6], ['einvoice', 0.4]],
    fallback: ['bank_transfer'], referenced: ['bank_transfer'], automaticShare: 0.5, eastern: true,
  },
];
export const MARKET_WEIGHTS = [0.45, 0.2, 0.15, 0.2];

/** Methods the default map of docs/event-contract.md classifies automatic; everything else generated is manual. */
export const AUTOMATIC_METHODS = new Set(['autogiro', 'avtalegiro', 'betalingsservice', 'sepa_direct_debit', 'direct_debit', 'card_recurring']);

export interface Plan {
  name: string;
  /** List price in SEK. */
  price: number;
  /** Included volume per month (GB for telecom/broadband, kWh for energy); 0 = no usage reporting. */
  included: number;
}

/** Plans per vertical, cheapest first (right-sizing walks down this list). */
export const PLANS: Record<Vertical, readonly Plan[]> = {
  telecom: [
    { name: 'mobile_3gb', price: 149, included: 3 },
    { name: 'mobile_10gb', price: 229, included: 10 },
    { name: 'mobile_30gb', price: 299, included: 30 },
    { name: 'mobile_unlimited', price: 399, included: 100 },
  ],
  broadband: [
    { name: 'fiber_100', price: 349, included: 400 },
    { name: 'fiber_250', price: 429, included: 800 },
    { name: 'fiber_500', price: 499, included: 1500 },
    { name: 'fiber_1000', price: 599, included: 3000 },
  ],
  energy: [
    { name: 'fixed_250kwh', price: 450, included: 250 },
    { name: 'fixed_500kwh', price: 750, included: 500 },
    { name: 'fixed_900kwh', price: 1190, included: 900 },
  ],
  alarm: [
    { name: 'alarm_basic', price: 299, included: 0 },
    { name: 'alarm_plus', price: 399, included: 0 },
    { name: 'alarm_premium', price: 549, included: 0 },
  ],
};
export const PLAN_WEIGHTS: Record<Vertical, readonly number[]> = {
  telecom: [0.2, 0.35, 0.25, 0.2],
  broadband: [0.3, 0.35, 0.2, 0.15],
  energy: [0.35, 0.45, 0.2],
  alarm: [0.5, 0.35, 0.15],
};

export const INVOICE_CHANNELS = ['paper', 'email', 'sms', 'einvoice', 'digital_mailbox', 'app'] as const;
/** Invoice channel weights by age band (18–29, 30–49, 50–79, 80+): paper grows with age. */
export const CHANNEL_WEIGHTS_BY_AGE: readonly (readonly number[])[] = [
  [0.04, 0.3, 0.1, 0.1, 0.16, 0.3],
  [0.08, 0.35, 0.05, 0.2, 0.2, 0.12],
  [0.25, 0.3, 0.05, 0.2, 0.15, 0.05],
  [0.6, 0.15, 0.05, 0.1, 0.1, 0],
];

export const CONTACT_CHANNELS = ['phone', 'chat', 'email', 'sms', 'invoice_message', 'social'] as const;
/** Contact channel weights by age band; invoice_message needs a digital invoice and is remapped otherwise. */
export const CONTACT_CHANNEL_WEIGHTS_BY_AGE: readonly (readonly number[])[] = [
  [0.25, 0.35, 0.15, 0.08, 0.1, 0.07],
  [0.45, 0.25, 0.15, 0.04, 0.08, 0.03],
  [0.65, 0.1, 0.17, 0.03, 0.04, 0.01],
  [0.88, 0.02, 0.08, 0.01, 0.01, 0],
];

export const OFFERS = ['direct_debit', 'soft_reminder', 'fee_waiver', 'e_invoice', 'right_size_plan', 'loyalty'] as const;
export type OfferId = (typeof OFFERS)[number];
/** Acceptance probability once shown (the brief's 5–25 % band). */
export const OFFER_ACCEPTANCE: Record<OfferId, number> = {
  direct_debit: 0.12,
  soft_reminder: 0.2,
  fee_waiver: 0.25,
  e_invoice: 0.15,
  right_size_plan: 0.18,
  loyalty: 0.07,
};
export const OFFER_PLACEMENTS = ['invoice', 'email', 'sms', 'app', 'web'] as const;
export const OFFER_PLACEMENT_WEIGHTS = [0.6, 0.15, 0.08, 0.1, 0.07];

export const CANCEL_REASONS = ['price', 'service', 'competitor', 'billing', 'moved', 'other'] as const;
export const FAILED_DEBIT_REASONS = ['insufficient_funds', 'mandate_missing', 'account_closed', 'technical'] as const;

/** Age band index (0: 18–29, 1: 30–49, 2: 50–79, 3: 80+) for an age in years. */
export function ageBand(age: number): number {
  return age < 30 ? 0 : age < 50 ? 1 : age < 80 ? 2 : 3;
}

/** A list price in SEK in the market's currency, rounded the way price lists are. */
export function localPrice(sek: number, market: Market): number {
  const v = sek * market.priceFactor;
  // Euro price lists end in .90; the crown markets use whole units.
  return market.decimals === 0 ? Math.round(v) : Math.round((Math.ceil(v) - 0.1) * 100) / 100;
}
