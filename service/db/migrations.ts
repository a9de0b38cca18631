/**
 * Schema versions of the DuckDB file. Each migration runs once, in order, in its own transaction,
 * and records itself in `schema_version`; a newer release opens an older file and brings it up to
 * date without losing data. Never edit a released migration: add the next one.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { PAYLOAD_COLUMNS } from '../events/contract.ts';
import type { Database } from './database.ts';

export interface Migration {
  version: number;
  description: string;
  up: (connection: DuckDBConnection) => Promise<void>;
}

const payloadColumns = PAYLOAD_COLUMNS.map((c) => `"${c.name}" ${c.type}`).join(',\n  ');

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'events, rejected rows, ingest batches, payment-method map',
    up: async (c) => {
      await c.run(`CREATE SEQUENCE IF NOT EXISTS batch_seq START 1`);
      await c.run(`CREATE TABLE events (
  event_id VARCHAR PRIMARY KEY,
  type VARCHAR NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  customer_id VARCHAR NOT NULL,
  ${payloadColumns},
  extra JSON,
  batch_id BIGINT NOT NULL
)`);
      await c.run(`CREATE TABLE ingest_batches (
  batch_id BIGINT PRIMARY KEY,
  received_at TIMESTAMPTZ NOT NULL,
  media_type VARCHAR NOT NULL,
  rows_total BIGINT NOT NULL,
  accepted BIGINT NOT NULL,
  duplicates BIGINT NOT NULL,
  rejected BIGINT NOT NULL,
  source VARCHAR
)`);
      await c.run(`CREATE TABLE rejected_rows (
  batch_id BIGINT NOT NULL,
  row_number BIGINT NOT NULL,
  received_at TIMESTAMPTZ NOT NULL,
  event_id VARCHAR,
  type VARCHAR,
  code VARCHAR NOT NULL,
  message VARCHAR NOT NULL,
  raw VARCHAR
)`);
      await c.run(`CREATE TABLE payment_method_classes (
  label VARCHAR PRIMARY KEY,
  class VARCHAR NOT NULL CHECK (class IN ('automatic', 'manual'))
)`);
    },
  },
  {
    version: 2,
    description: 'offer catalogue (every saved version kept; the latest is current)',
    up: async (c) => {
      await c.run(`CREATE TABLE offer_catalogue (
  version INTEGER PRIMARY KEY,
  document JSON NOT NULL,
  saved_at TIMESTAMPTZ NOT NULL
)`);
    },
  },
  {
    version: 3,
    description: 'plausible date range read by the validation SQL',
    up: async (c) => {
      await c.run(`CREATE TABLE plausible_dates (min_date DATE NOT NULL, days_ahead INTEGER NOT NULL)`);
      await c.run(`INSERT INTO plausible_dates VALUES (DATE '1970-01-01', 3660)`);
    },
  },
];

export async function migrate(db: Database, migrations: Migration[] = MIGRATIONS): Promise<number> {
  await db.withConnection((c) =>
    c.run(`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMPTZ)`),
  );
  const current = await db.withConnection(async (c) => {
    const r = await c.runAndReadAll(`SELECT coalesce(max(version), 0) AS v FROM schema_version`);
    return Number(r.getRowObjects()[0].v);
  });
  let version = current;
  for (const m of migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version)) {
    await db.transaction(async (c) => {
      await m.up(c);
      await c.run(`INSERT INTO schema_version VALUES ($1, $2, now())`, [m.version, m.description]);
    });
    version = m.version;
  }
  return version;
}
