/** Human names for factors and their levels, used in chart titles, axes and tables. */
import { fmtDate } from './format.ts';
import type { Factor } from '$service/analytics/contracts.ts';

export const FACTOR_LABELS: Record<Factor, string> = {
  vertical: 'vertical',
  market: 'market',
  age_band: 'age band',
  tenure_band: 'tenure',
  plan: 'plan',
  invoice_channel: 'invoice channel',
  payment_method_class: 'payment method class',
  payment_method: 'payment method',
  timeliness: 'payment timeliness',
  fee_exposure: 'fee exposure',
  plan_fit: 'plan fit',
  satisfaction_level: 'satisfaction',
};

const LEVELS: Partial<Record<Factor, Record<string, string>>> = {
  payment_method_class: { automatic: 'automatic', manual: 'manual', unknown: 'unknown' },
  timeliness: { on_time: 'on time', late_once: 'late once', late_repeatedly: 'late repeatedly', late: 'late at least once', at_most_once_late: 'late at most once' },
  fee_exposure: { none: 'no fee', one: 'one fee', two_or_more: '2+ fees', one_or_more: '1+ fees', at_most_one: 'at most one fee' },
  tenure_band: { '<1y': '< 1 year', '1-2y': '1–2 years', '2+y': '2+ years', '2y+': '2+ years' },
  plan_fit: { fits_use: 'fits use', priced_above_use: 'priced above use', no_usage_data: 'no usage data' },
  satisfaction_level: { satisfied: 'satisfied', dissatisfied: 'dissatisfied', unknown: 'unknown' },
  invoice_channel: { paper: 'paper', email: 'e-mail', sms: 'SMS', einvoice: 'e-invoice', digital_mailbox: 'digital mailbox', app: 'app' },
};

/** Short label of a level, for axes and legends. */
export function levelLabel(factor: string, key: string): string {
  return LEVELS[factor as Factor]?.[key] ?? key.replace(/_/g, ' ');
}

/** The customers in a group, as a sentence subject: "Manual payers", "Customers late repeatedly". */
export function groupNoun(factor: string, key: string): string {
  switch (factor) {
    case 'payment_method_class':
      return key === 'unknown' ? 'payers with an unclassified method' : `${key} payers`;
    case 'payment_method':
      return `${key.replace(/_/g, ' ')} payers`;
    case 'timeliness':
      return key === 'on_time' ? 'on-time payers' : `customers paying ${levelLabel(factor, key)}`;
    case 'fee_exposure':
      if (key === 'one_or_more') return 'customers charged one or more fees';
      if (key === 'at_most_one') return 'customers charged at most one fee';
      return key === 'none' ? 'customers never charged a fee' : key === 'one' ? 'customers charged one fee' : 'customers charged two or more fees';
    case 'age_band':
      return `customers aged ${key}`;
    case 'tenure_band':
      return `customers with ${levelLabel(factor, key)} tenure`;
    case 'invoice_channel':
      return `${levelLabel(factor, key)} invoice customers`;
    case 'vertical':
      return `${key} customers`;
    case 'market':
      return `customers in ${key}`;
    case 'plan':
      return `${key} plan customers`;
    case 'plan_fit':
      return key === 'fits_use' ? 'customers whose plan fits their use' : key === 'priced_above_use' ? 'customers on a plan priced above their use' : 'customers without usage data';
    case 'satisfaction_level':
      return key === 'unknown' ? 'customers of unknown satisfaction' : `${key} customers`;
    default:
      return `${factor} = ${key}`;
  }
}


/** Which view an analysis used (as the API reports it), for chart footnotes. */
export function viewNote(meta: { as_of: string; view: 'lifetime' | 'landmark'; window: { landmark: string; lookback_start: string; horizon_end: string } | null } | null | undefined): string {
  if (!meta) return '';
  if (meta.view === 'landmark' && meta.window)
    return `As of ${fmtDate(meta.as_of)}. Landmark view: customers active on ${fmtDate(meta.window.landmark)}, behaviour from ${fmtDate(meta.window.lookback_start)}, churn until ${fmtDate(meta.window.horizon_end)}.`;
  return `As of ${fmtDate(meta.as_of)}. Lifetime view: each customer once, over their whole history.`;
}
