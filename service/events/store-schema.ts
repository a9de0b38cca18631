/**
 * The first schema migration: the event store (events, ingest batches, rejected rows) and the
 * payment-method map. It lives beside the event contract because the events table is laid out from
 * the contract's payload columns; db/migrations.ts only lists it in order. Released: never edit,
 * add the next migration instead.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { PAYLOAD_COLUMNS } from './contract.ts';

const payloadColumns = PAYLOAD_COLUMNS.map((c) => `"${c.name}" ${c.type}`).join(',\n  ');

export const EVENT_STORE_MIGRATION = {
  version: 1,
  description: 'events, rejected rows, ingest batches, payment-method map',
  up: async (c: DuckDBConnection) => {
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
};
