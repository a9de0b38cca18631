/**
 * One customer's page (GET /v1/customers/{id}, issue 15): the timeline of everything stored about
 * them (invoices, payments with their lateness, reminders, fees, contacts, offers, lifecycle),
 * newest first and capped per request (at most TIMELINE_MAX events, paged by offset, with the
 * total and the count per type so the cap is never silent); every invoice with its lateness; their
 * current segments and exposures (customer_facts, read only); and the risk score with its factors
 * and the recommended offer, which is the answer of GET /v1/customers/{id}/risk itself, passed in
 * rather than recomputed. A customer with no events — never seen, or erased — is not found.
 */
import type { Engine } from '../analytics/runner.ts';
import { sql } from '../db/sql-files.ts';
import { RiskModelRefusedError, UnknownCustomerError } from '../offers/errors.ts';
import type { CustomerRisk } from '../offers/contracts.ts';
import type { CustomerPage } from './contracts.ts';
import { CustomerNotFoundError } from './errors.ts';

const NUMERIC = new Set(['monthly_price', 'fee_amount', 'amount', 'score']);
const toNumbers = (r: Record<string, unknown>, keys: string[]) => {
  const out: Record<string, unknown> = { ...r };
  for (const k of keys) if (out[k] !== null && out[k] !== undefined) out[k] = Number(out[k]);
  return out;
};

export async function customerPage(engine: Engine, id: string, paging: { limit: number; offset: number }, risk: () => Promise<CustomerRisk>): Promise<CustomerPage> {
  // Never show events whose derived facts (lateness, segments) have not caught up yet.
  await engine.upkeep.settle();
  const [counts, events, invoices, segments] = await engine.db.withConnection(async (c) => {
    const read = async (name: string, params: Record<string, unknown>) => (await c.runAndReadAll(sql(name), params as never)).getRowObjectsJson() as Record<string, unknown>[];
    return [
      await read('customers/customer_event_counts', { customer_id: id }),
      await read('customers/customer_timeline', { customer_id: id, limit: paging.limit, offset: paging.offset }),
      await read('customers/customer_invoices', { customer_id: id }),
      await read('customers/customer_segments', { customer_id: id }),
    ];
  });
  if (counts.length === 0) throw new CustomerNotFoundError(id);
  let riskReport: CustomerRisk | null = null;
  let riskNote: string | null = null;
  try {
    riskReport = await risk();
  } catch (error) {
    // The page still shows the customer when the model declines this window; it says why.
    if (!(error instanceof RiskModelRefusedError || error instanceof UnknownCustomerError)) throw error;
    riskNote = `No risk score: ${error.message}`;
  }
  const byType = Object.fromEntries(counts.map((r) => [String(r.type), Number(r.events)]));
  return {
    customer_id: id,
    first_event: counts.map((r) => String(r.first_event)).sort()[0],
    last_event: counts.map((r) => String(r.last_event)).sort().at(-1)!,
    segments: segments[0] ? (toNumbers(segments[0], [...NUMERIC, 'invoices_due', 'late_invoices', 'fees', 'disputed_fees', 'contacts', 'billing_contacts', 'reminders']) as CustomerPage['segments']) : {},
    timeline: {
      total: Object.values(byType).reduce((s, n) => s + n, 0),
      limit: paging.limit,
      offset: paging.offset,
      by_type: byType,
      events: events.map((e) => toNumbers(e, [...NUMERIC, 'days_late'])) as CustomerPage['timeline']['events'],
    },
    invoices: invoices.map((r) => toNumbers(r, ['amount', 'days_late', 'reminders'])) as CustomerPage['invoices'],
    risk: riskReport,
    risk_note: riskNote,
  };
}
