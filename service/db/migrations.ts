/**
 * Schema versions of the DuckDB file. Each migration runs once, in order, in its own transaction,
 * and records itself in `schema_version`; a newer release opens an older file and brings it up to
 * date without losing data. Never edit a released migration: add the next one. The event store's
 * tables are laid out from the event contract, so their migration lives with it in events/.
 */
import { RAW_BYTES_SQL, RAW_PREFIX_SQL } from '../events/readers/body-limits.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import { EVENT_STORE_MIGRATION } from '../events/store-schema.ts';
import type { Database } from './database.ts';

export interface Migration {
  version: number;
  description: string;
  up: (connection: DuckDBConnection) => Promise<void>;
}

export const MIGRATIONS: Migration[] = [
  EVENT_STORE_MIGRATION,
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
    description: 'named agents of the staffing roster',
    up: async (c) => {
      await c.run(`CREATE TABLE staffing_agents (
  agent_id VARCHAR PRIMARY KEY,
  position INTEGER NOT NULL,
  name VARCHAR NOT NULL,
  contracted_hours_per_week DOUBLE NOT NULL,
  skills JSON NOT NULL,
  unavailable_weekdays JSON NOT NULL,
  unavailable_dates JSON NOT NULL,
  saved_at TIMESTAMPTZ NOT NULL
)`);
    },
  },
  {
    version: 4,
    description: 'plausible date range read by the validation SQL',
    up: async (c) => {
      await c.run(`CREATE TABLE plausible_dates (min_date DATE NOT NULL, days_ahead INTEGER NOT NULL)`);
      await c.run(`INSERT INTO plausible_dates VALUES (DATE '1970-01-01', 3660)`);
    },
  },
  {
    // 5_issue15_saved_views (the integrator renumbers): named filter sets with their audit fields.
    version: 5,
    description: '5_issue15_saved_views: named filter sets of the dashboard',
    up: async (c) => {
      await c.run(`CREATE TABLE saved_views (
  view_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  name_key VARCHAR NOT NULL UNIQUE,
  description VARCHAR,
  filters JSON NOT NULL,
  created_by_role VARCHAR NOT NULL,
  created_by_token VARCHAR,
  created_at TIMESTAMPTZ NOT NULL,
  updated_by_role VARCHAR NOT NULL,
  updated_by_token VARCHAR,
  updated_at TIMESTAMPTZ NOT NULL
)`);
    },
  },
  {
    // 6_issue15_alerts (the integrator renumbers): alert rules, their last evaluation, fired
    // alerts (one per rule × period × state) and the webhook deliveries, persisted so a restart
    // resumes the retries.
    version: 6,
    description: '6_issue15_alerts: alert rules, fired alerts and webhook deliveries',
    up: async (c) => {
      await c.run(`CREATE TABLE alert_rules (
  rule_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  name_key VARCHAR NOT NULL UNIQUE,
  definition JSON NOT NULL,
  enabled BOOLEAN NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
)`);
      await c.run(`CREATE TABLE alert_rule_state (
  rule_id VARCHAR PRIMARY KEY,
  state VARCHAR NOT NULL,
  period_start DATE,
  period_end DATE,
  measurement JSON,
  evaluated_at TIMESTAMPTZ NOT NULL
)`);
      await c.run(`CREATE TABLE alerts (
  alert_id VARCHAR PRIMARY KEY,
  rule_id VARCHAR NOT NULL,
  state VARCHAR NOT NULL,
  period_start DATE NOT NULL,
  period_end DATE NOT NULL,
  payload JSON NOT NULL,
  fired_at TIMESTAMPTZ NOT NULL
)`);
      await c.run(`CREATE TABLE alert_deliveries (
  alert_id VARCHAR PRIMARY KEY,
  url VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at TIMESTAMPTZ,
  last_status INTEGER,
  last_error VARCHAR,
  delivered_at TIMESTAMPTZ
)`);
    },
  },
  {
    // 7_issue15_offer_campaigns (the integrator renumbers): exported audiences with a reproducible
    // hold-out group, kept so the uplift can be measured against the hold-out later.
    version: 7,
    description: '7_issue15_offer_campaigns: offer campaigns and their treatment / hold-out members',
    up: async (c) => {
      await c.run(`CREATE TABLE offer_campaigns (
  campaign_id VARCHAR PRIMARY KEY,
  offer_id VARCHAR,
  holdout_share DOUBLE NOT NULL,
  as_of DATE NOT NULL,
  filters JSON NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
)`);
      await c.run(`CREATE TABLE offer_campaign_members (
  campaign_id VARCHAR NOT NULL,
  customer_id VARCHAR NOT NULL,
  offer_id VARCHAR NOT NULL,
  grp VARCHAR NOT NULL,
  PRIMARY KEY (campaign_id, customer_id)
)`);
    },
  },
  {
    // Issue 17: rejected rows keep a prefix of their raw text and its original length in bytes.
    version: 8,
    description: '8_issue17_rejected_raw_prefix: rejected_rows.raw cut to its first 1 024 characters, raw_bytes the original length',
    up: async (c) => {
      await c.run(`ALTER TABLE rejected_rows ADD COLUMN raw_bytes BIGINT`);
      await c.run(`UPDATE rejected_rows SET raw_bytes = ${RAW_BYTES_SQL('raw', 'code', 'message')}, raw = ${RAW_PREFIX_SQL('raw')}`);
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
