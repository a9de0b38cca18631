/**
 * The customers every revenue query test reads. Exchange rates: SEK 1 (the reporting currency),
 * NOK 0.9; EUR has none. All but r5 signed up on 2024-01-01; the first invoice is r1's of
 * 2025-04-01, so MRR months start in April 2025.
 *
 * - r1 telecom SEK 100/month, raised to 150 on 2025-05-10 (expansion).
 * - r2 telecom SEK 200, cancelled 2025-05-20 for price, and again on 2025-06-01 ("moved").
 * - r3 telecom NOK 300 (27 000 cents at 0.9), cancelled 2025-06-10 for a competitor.
 * - r4 energy EUR 50 (no rate), cancelled 2025-05-01 without a reason.
 * - r5 energy SEK 80, signed up 2025-05-15 (new).
 * - r6 telecom SEK 120, lowered to 90 on 2025-06-05 (contraction).
 * - r7 energy, 60 with no currency at all.
 */
import { listValue } from '@duckdb/node-api';
import type { Ev } from '../store.ts';

export const RATES = { rate_currencies: listValue(['NOK', 'SEK']), rate_values: listValue(['0.9', '1']) };

const start = (id: string, vertical: string, price: number, currency: string | undefined, at = '2024-01-01'): Ev[] => [
  { type: 'subscription_started', at: `${at}T08:00:00Z`, customer: id, plan: 'basic', monthly_price: price, currency },
  { type: 'customer_updated', at: `${at}T08:00:01Z`, customer: id, vertical, market: 'SE' },
];

export const REVENUE_EVENTS: Ev[] = [
  ...start('r1', 'telecom', 100, 'SEK'),
  ...start('r2', 'telecom', 200, 'SEK'),
  ...start('r3', 'telecom', 300, 'NOK'),
  ...start('r4', 'energy', 50, 'EUR'),
  ...start('r5', 'energy', 80, 'SEK', '2025-05-15'),
  ...start('r6', 'telecom', 120, 'SEK'),
  ...start('r7', 'energy', 60, undefined),
  { type: 'invoice_issued', at: '2025-04-01T00:00:00Z', customer: 'r1', invoice_id: 'i1', amount: 100, due_date: '2025-04-30' },
  { type: 'plan_changed', at: '2025-05-10T00:00:00Z', customer: 'r1', plan: 'plus', monthly_price: 150 },
  { type: 'subscription_cancelled', at: '2025-05-20T00:00:00Z', customer: 'r2', reason: 'price' },
  { type: 'subscription_cancelled', at: '2025-06-01T00:00:00Z', customer: 'r2', reason: 'moved' },
  { type: 'subscription_cancelled', at: '2025-06-10T00:00:00Z', customer: 'r3', reason: 'competitor' },
  { type: 'subscription_cancelled', at: '2025-05-01T00:00:00Z', customer: 'r4' },
  { type: 'plan_changed', at: '2025-06-05T00:00:00Z', customer: 'r6', plan: 'lite', monthly_price: 90 },
];
