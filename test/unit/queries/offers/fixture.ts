/**
 * The customers every offers query test reads, as of 2025-06-30 (end 2025-07-01T00:00Z), with an
 * acceptance window of 30 days and a churn horizon of 90:
 *
 * - f1 telecom: shown offer A on 2025-01-10 and accepted it ten days later; shown A again on
 *   2025-06-20 (too recent for a full follow-up). An email invoice it viewed, a paper one it did not.
 * - f2 telecom: shown A on 2025-02-01, never accepted; cancelled 2025-03-01 (churn within 90 days).
 * - f3 energy: shown B on 2025-01-05 and accepted it only on 2025-03-01 (outside the window);
 *   accepted A on 2025-01-10 without being shown it.
 * - f4 energy: shown A on 2025-01-15, accepted 2025-01-25; cancelled 2025-06-01 (past 90 days).
 * - f5 energy: no offers; cancelled 2025-02-01 and started again 2025-03-01.
 */
import type { Ev } from '../store.ts';

export const AS_OF = '2025-06-30';
export const EXP_END = '2025-07-01T00:00:00Z';

const start = (id: string, vertical: string): Ev[] => [
  { type: 'subscription_started', at: '2024-01-01T08:00:00Z', customer: id, plan: 'basic', monthly_price: 100 },
  { type: 'customer_updated', at: '2024-01-01T08:00:01Z', customer: id, vertical, market: 'SE' },
];
const offer = (type: 'offer_shown' | 'offer_accepted', customer: string, offer_id: string, day: string): Ev => ({ type, at: `${day}T12:00:00Z`, customer, offer_id });

export const OFFER_EVENTS: Ev[] = [
  ...start('f1', 'telecom'),
  ...start('f2', 'telecom'),
  ...start('f3', 'energy'),
  ...start('f4', 'energy'),
  ...start('f5', 'energy'),
  offer('offer_shown', 'f1', 'A', '2025-01-10'),
  offer('offer_accepted', 'f1', 'A', '2025-01-20'),
  offer('offer_shown', 'f1', 'A', '2025-06-20'),
  { type: 'invoice_issued', at: '2025-05-01T00:00:00Z', customer: 'f1', invoice_id: 'i1', amount: 100, due_date: '2025-05-31', channel: 'email' },
  { type: 'invoice_viewed', at: '2025-05-02T00:00:00Z', customer: 'f1', invoice_id: 'i1' },
  { type: 'invoice_issued', at: '2025-06-01T00:00:00Z', customer: 'f1', invoice_id: 'i2', amount: 100, due_date: '2025-06-30', channel: 'paper' },
  offer('offer_shown', 'f2', 'A', '2025-02-01'),
  { type: 'subscription_cancelled', at: '2025-03-01T00:00:00Z', customer: 'f2' },
  offer('offer_shown', 'f3', 'B', '2025-01-05'),
  offer('offer_accepted', 'f3', 'B', '2025-03-01'),
  offer('offer_accepted', 'f3', 'A', '2025-01-10'),
  offer('offer_shown', 'f4', 'A', '2025-01-15'),
  offer('offer_accepted', 'f4', 'A', '2025-01-25'),
  { type: 'subscription_cancelled', at: '2025-06-01T00:00:00Z', customer: 'f4' },
  { type: 'subscription_cancelled', at: '2025-02-01T00:00:00Z', customer: 'f5' },
  { type: 'subscription_started', at: '2025-03-01T00:00:00Z', customer: 'f5', plan: 'basic', monthly_price: 100 },
];
