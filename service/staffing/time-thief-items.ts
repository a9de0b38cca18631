/**
 * The admin "time thieves": the monthly counts that cost back-office minutes, and their labels. One
 * list, which the scenarios extend with the counts they also change (fees, collections), so that a
 * new time thief is priced, shown and propagated through every scenario without a second edit.
 */
export const TIME_THIEVES = [
  'paper_invoices',
  'unmatched_payments',
  'hard_reminders',
  'soft_reminders',
  'late_payments',
  'direct_debit_activations',
  'failed_transactions',
  'disputed_fees',
  'fee_waivers',
] as const;
export type TimeThief = (typeof TIME_THIEVES)[number];

export const TIME_THIEF_LABELS: Record<TimeThief, string> = {
  paper_invoices: 'Paper invoices',
  unmatched_payments: 'Unmatched payments',
  hard_reminders: 'Hard reminders',
  soft_reminders: 'Soft reminders',
  late_payments: 'Late payments',
  direct_debit_activations: 'Direct-debit activations',
  failed_transactions: 'Failed transactions',
  disputed_fees: 'Disputed fees',
  fee_waivers: 'Fee waivers',
};
