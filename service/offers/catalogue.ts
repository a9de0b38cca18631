/**
 * The offer catalogue (docs/recommendations.md): six default invoice offers that each target one measured churn
 * driver, and the business's own edits. Every saved catalogue is kept as a new row of
 * `offer_catalogue` (migration 2) so a change can be traced and undone; the latest row is the
 * current one and with no rows the defaults apply. Money in the catalogue is in one reporting
 * currency, with exchange rates for the billing currencies, because a multi-market base bills in
 * several currencies and a sum of SEK and EUR would be meaningless. Saving bumps the database
 * version, which invalidates the cached scores and recommendations built from the old catalogue.
 */
import type { Database } from '../db/database.ts';
import { CatalogueDocument, RULE_COLUMNS, RULE_OPERATORS, type CatalogueResponse, type OfferInput } from './contracts.ts';

const manual = { column: 'payment_method_class', op: 'eq', value: 'manual' } as const;

/**
 * Defaults. Acceptance rates are assumptions (the observed rate replaces them once an offer has
 * been shown ≥ 30 times); costs are per accepting customer per month in EUR. Each behaviour names
 * the two groups whose churn gap the expected reduction rests on.
 */
export const DEFAULT_OFFERS: OfferInput[] = [
  {
    id: 'direct_debit',
    name: 'Move to direct debit',
    description: 'Invite manual payers to pay by direct debit (autogiro, AvtaleGiro, Betalingsservice, SEPA).',
    channel: 'invoice',
    target: { all: [manual] },
    behaviour: { description: 'pays manually → pays automatically', exposed: manual, changed_to: { column: 'payment_method_class', op: 'eq', value: 'automatic' } },
    acceptance_rate: 0.1,
    monthly_cost: 0,
    reason: 'Pays manually ({payment_method}); direct-debit payers churn less',
  },
  {
    id: 'soft_reminder',
    name: 'Soft due-date reminder',
    description: 'A friendly, free reminder on the due date, sent on the channel the customer opens most.',
    channel: 'best_opened',
    target: { all: [manual, { column: 'late_invoices', op: 'gte', value: 1 }] },
    behaviour: {
      description: 'manual payer paying late → paying on time',
      exposed: { all: [manual, { column: 'late_invoices', op: 'gte', value: 1 }] },
      changed_to: { all: [manual, { column: 'late_invoices', op: 'eq', value: 0 }, { column: 'invoices_due', op: 'gte', value: 1 }] },
    },
    acceptance_rate: 0.25,
    monthly_cost: 0.05,
    reason: '{late_invoices} late invoice(s) in the look-back; reminder via {best_opened_channel}',
  },
  {
    id: 'fee_waiver',
    name: 'Waive or refund a disputed fee',
    description: 'Refund the reminder fee the customer contacted customer service about.',
    channel: 'invoice',
    target: { all: [{ column: 'disputed_fees', op: 'gte', value: 1 }] },
    behaviour: {
      description: 'disputed a fee → no fee',
      exposed: { column: 'disputed_fees', op: 'gte', value: 1 },
      changed_to: { column: 'fees', op: 'eq', value: 0 },
    },
    acceptance_rate: 0.3,
    monthly_cost: 0.5,
    reason: 'Disputed {disputed_fees} fee(s) in the look-back',
  },
  {
    id: 'e_invoice',
    name: 'Paper → e-invoice or interactive invoice',
    description: 'Offer the e-invoice, digital mailbox or the interactive invoice instead of paper.',
    channel: 'invoice',
    target: { all: [{ column: 'invoice_channel', op: 'eq', value: 'paper' }] },
    behaviour: {
      description: 'paper invoice → digital invoice',
      exposed: { column: 'invoice_channel', op: 'eq', value: 'paper' },
      changed_to: { column: 'invoice_channel', op: 'in', value: ['einvoice', 'digital_mailbox', 'app'] },
    },
    acceptance_rate: 0.15,
    monthly_cost: 0,
    reason: 'Receives paper invoices',
  },
  {
    id: 'right_size_plan',
    name: 'Right-size the plan',
    description: 'Offer a plan that fits the customer’s use when the price is well above it.',
    channel: 'invoice',
    target: { all: [{ column: 'overpriced', op: 'eq', value: true }] },
    behaviour: {
      description: 'plan priced well above use → plan that fits',
      exposed: { column: 'overpriced', op: 'eq', value: true },
      changed_to: { all: [{ column: 'overpriced', op: 'eq', value: false }, { column: 'usage_ratio', op: 'not_null' }] },
    },
    acceptance_rate: 0.2,
    monthly_cost: 0,
    price_discount_share: 0.2,
    reason: 'Uses a share of {usage_ratio} of what the {plan} plan includes',
  },
  {
    id: 'loyalty',
    name: 'Loyalty offer (first two years)',
    description: 'A loyalty benefit for customers in their first two years, when switching is most likely.',
    channel: 'invoice',
    target: { all: [{ column: 'tenure_days', op: 'lt', value: 730 }] },
    behaviour: {
      description: 'first two years, no offer accepted → accepted an offer',
      exposed: { all: [{ column: 'tenure_days', op: 'lt', value: 730 }, { column: 'offers_accepted', op: 'eq', value: 0 }] },
      changed_to: { all: [{ column: 'tenure_days', op: 'lt', value: 730 }, { column: 'offers_accepted', op: 'gte', value: 1 }] },
    },
    acceptance_rate: 0.08,
    monthly_cost: 0,
    price_discount_share: 0.1,
    reason: 'Customer for {tenure_days} days',
  },
];

/** Approximate rates to EUR (2025); edit them in the catalogue. */
export const DEFAULT_RATES: Record<string, number> = { EUR: 1, SEK: 0.087, NOK: 0.085, DKK: 0.134, USD: 0.9, GBP: 1.17 };

export function defaultCatalogue(): CatalogueDocument {
  return CatalogueDocument.parse({ reporting_currency: 'EUR', exchange_rates: DEFAULT_RATES, offers: DEFAULT_OFFERS });
}

export interface StoredCatalogue {
  document: CatalogueDocument;
  version: number | null;
  savedAt: string | null;
}

export async function loadCatalogue(db: Database): Promise<StoredCatalogue> {
  const row = await db.withConnection(
    async (c) => (await c.runAndReadAll(`SELECT version, document::VARCHAR AS document, strftime(saved_at, '%Y-%m-%dT%H:%M:%SZ') AS saved_at FROM offer_catalogue ORDER BY version DESC LIMIT 1`)).getRowObjects()[0],
  );
  if (!row) return { document: defaultCatalogue(), version: null, savedAt: null };
  // A stored document was valid when saved; parse again so defaults added since are filled in.
  return { document: CatalogueDocument.parse(JSON.parse(String(row.document))), version: Number(row.version), savedAt: String(row.saved_at) };
}

/** Save a validated catalogue as the next version. */
export async function saveCatalogue(db: Database, document: CatalogueDocument): Promise<StoredCatalogue> {
  return db.transaction(async (c) => {
    const next = Number((await c.runAndReadAll(`SELECT coalesce(max(version), 0) + 1 AS v FROM offer_catalogue`)).getRowObjects()[0].v);
    await c.run(`INSERT INTO offer_catalogue VALUES ($v, $doc::JSON, now())`, { v: next, doc: JSON.stringify(document) });
    const saved = (await c.runAndReadAll(`SELECT strftime(saved_at, '%Y-%m-%dT%H:%M:%SZ') AS s FROM offer_catalogue WHERE version = $v`, { v: next })).getRowObjects()[0];
    return { document, version: next, savedAt: String(saved.s) };
  });
}

export function catalogueResponse(stored: StoredCatalogue): CatalogueResponse {
  return {
    ...stored.document,
    version: stored.version,
    saved_at: stored.savedAt,
    is_default: stored.version === null,
    rule_columns: Object.entries(RULE_COLUMNS).map(([name, c]) => ({ name, type: c.type, description: c.description, in_behaviour: name !== 'risk' })),
    rule_operators: [...RULE_OPERATORS],
  };
}
