/**
 * Classification of free-text payment-method labels into `automatic` / `manual` (docs/event-contract.md). The
 * defaults below seed the persisted map; admins replace it through the API. A label the map does
 * not know is `unknown` and reported with its count, never guessed. Labels compare trimmed and
 * lower-cased; besides the explicit map, any label containing "automatic" is automatic.
 */
import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import type { Database } from '../db/database.ts';

export type MethodClass = 'automatic' | 'manual';

export const DEFAULT_PAYMENT_METHODS: Record<string, MethodClass> = {
  autogiro: 'automatic',
  avtalegiro: 'automatic',
  betalingsservice: 'automatic',
  sepa_direct_debit: 'automatic',
  direct_debit: 'automatic',
  card_recurring: 'automatic',
  bank_transfer: 'manual',
  ocr_transfer: 'manual',
  paper_giro: 'manual',
  card: 'manual',
  swish: 'manual',
  vipps: 'manual',
  mobilepay: 'manual',
  cash: 'manual',
  einvoice: 'manual',
};

export const normalizeLabel = (label: string) => label.trim().toLowerCase();

/** SQL expression classifying the method column `expr`, given `payment_method_classes` as pmc. */
export const classifySql = (expr: string, mapAlias = 'pmc') =>
  `coalesce(${mapAlias}.class, CASE WHEN lower(${expr}) LIKE '%automatic%' THEN 'automatic' ELSE 'unknown' END)`;

export async function seedPaymentMethods(c: DuckDBConnection): Promise<void> {
  const n = Number((await c.runAndReadAll(`SELECT count(*) AS n FROM payment_method_classes`)).getRowObjects()[0].n);
  if (n > 0) return;
  await replaceMap(c, DEFAULT_PAYMENT_METHODS);
}

async function replaceMap(c: DuckDBConnection, map: Record<string, MethodClass>): Promise<void> {
  await c.run(`DELETE FROM payment_method_classes`);
  const entries = Object.entries(map).map(([label, cls]) => ({ label: normalizeLabel(label), cls }));
  if (entries.length === 0) return;
  await c.run(`INSERT INTO payment_method_classes SELECT unnest($labels::VARCHAR[]), unnest($classes::VARCHAR[])`, {
    labels: listValue(entries.map((e) => e.label)),
    classes: listValue(entries.map((e) => e.cls)),
  });
}

export async function replacePaymentMethods(db: Database, map: Record<string, MethodClass>): Promise<void> {
  await db.transaction((c) => replaceMap(c, map));
}

export interface PaymentMethodReport {
  methods: Record<string, MethodClass>;
  rule: string;
  observed: { label: string; class: MethodClass | 'unknown'; events: number; customers: number }[];
  unknown: { label: string; events: number; customers: number }[];
}

export async function paymentMethodReport(db: Database): Promise<PaymentMethodReport> {
  return db.withConnection(async (c) => {
    const map = (await c.runAndReadAll(`SELECT label, class FROM payment_method_classes ORDER BY label`)).getRowObjects();
    // The label counts the facts upkeep keeps (queries/facts/refresh_method_labels.sql), plus the events of the
    // batches after its watermark: the upkeep runs behind ingestion, and the report includes every committed batch.
    // The batches after the watermark are the last few, so this reads a small table and a few row groups, not
    // every event, and it is one statement, so one snapshot.
    const observed = (
      await c.runAndReadAll(`
        WITH mark AS (
          SELECT coalesce(max(last_batch_id), 0) AS w FROM derived_tables WHERE name = 'event_method_labels'
        ), counted AS (
          SELECT label, customer_id, events FROM event_method_labels
          UNION ALL
          SELECT lower(trim(method)), customer_id, count(*) FROM events
          WHERE method IS NOT NULL AND batch_id > (SELECT w FROM mark) GROUP BY ALL
        )
        SELECT n.label, ${classifySql('n.label')} AS class, sum(n.events) AS events, count(DISTINCT n.customer_id) AS customers
        FROM counted n LEFT JOIN payment_method_classes pmc ON pmc.label = n.label
        GROUP BY ALL ORDER BY events DESC, n.label`)
    ).getRowObjects();
    const rows = observed.map((r) => ({ label: String(r.label), class: r.class as MethodClass | 'unknown', events: Number(r.events), customers: Number(r.customers) }));
    return {
      methods: Object.fromEntries(map.map((r) => [String(r.label), r.class as MethodClass])),
      rule: 'labels compare trimmed and lower-cased; a label not in the map but containing "automatic" is automatic; any other is unknown',
      observed: rows,
      unknown: rows.filter((r) => r.class === 'unknown').map(({ label, events, customers }) => ({ label, events, customers })),
    };
  });
}
