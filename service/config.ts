/**
 * Configuration from environment variables (documented in the README), validated once at start-up
 * so a typo fails loudly instead of running with a surprising default.
 */
import path from 'node:path';
import { z } from 'zod';
import type { IngestionOptions } from './events/ingestion.ts';

export type Role = 'ingest' | 'read' | 'admin';

const bytes = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(b|kb|kib|mb|mib|gb|gib)?$/i, 'a size such as 268435456, 256MiB or 1GiB')
  .transform((s) => {
    const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(s.trim())!;
    const unit = m[2].toLowerCase();
    const factor: Record<string, number> = { '': 1, b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };
    return Math.floor(Number(m[1]) * factor[unit]);
  });

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DB_FILE: z.string().default('invoice-pulse.duckdb'),
  AUTH_TOKENS: z.string().default(''),
  // Hours a dashboard session lasts from sign-in; fractional for tests (0.001 h = 3.6 s).
  SESSION_TTL_HOURS: z.coerce.number().positive().max(8760).default(12),
  DUCKDB_MEMORY_LIMIT: z.string().optional(),
  DUCKDB_THREADS: z.coerce.number().int().positive().optional(),
  DUCKDB_CHECKPOINT_THRESHOLD: z.string().regex(/^\d+(\.\d+)?\s*(b|kb|kib|mb|mib|gb|gib)$/i, 'a size such as 16MiB').optional(),
  MAX_BODY_SIZE: bytes.default(268435456),
  MAX_ROW_BYTES: bytes.default(1048576),
  MAX_GZIP_RATIO: z.coerce.number().min(1).max(100000).default(200),
  MAX_ADMIN_BODY_SIZE: bytes.default(1048576),
  REJECTED_RETENTION_DAYS: z.coerce.number().int().min(0).max(36500).default(90),
  DATE_MIN: z.iso.date().default('1970-01-01'),
  DATE_MAX_DAYS_AHEAD: z.coerce.number().int().min(0).max(36500).default(3660),
  LOG_LEVEL: z.enum(['info', 'debug']).default('info'),
  SAMPLE_DATA: z.enum(['default', 'small', 'off', 'large', 'xlarge']).default('default'),
  SAMPLE_SEED: z.coerce.number().int().default(42),
  MIN_GROUP_SIZE: z.coerce.number().int().min(1).max(100_000).default(30),
  INGEST_LIVE_MAX_BYTES: bytes.default(1024 * 1024),
  INGEST_MAX_BULK_REQUESTS: z.coerce.number().int().positive().default(4),
  INGEST_MAX_QUEUED_ROWS: z.coerce.number().int().positive().default(200_000),
  INGEST_MAX_QUEUED_BYTES: bytes.default(64 * 1024 * 1024),
  INGEST_MAX_QUEUE_MS: z.coerce.number().int().positive().default(5000),
  INGEST_TEST_WRITER_DELAY_MS: z.coerce.number().int().min(0).default(0),
  INGEST_TEST_FILTER_DELAY_MS: z.coerce.number().int().min(0).default(0),
  INGEST_TEST_LOG_SEGMENT_BYTES: z.coerce.number().int().min(4096).default(16 * 1024 * 1024),
  INTEGRITY_ACCEPT_LOSS: z.enum(['true', 'false']).default('false'),
  ANALYSIS_MAX_LAG: z.coerce.number().min(0).max(3600).default(30),
  // Issue 14: where the event-sized work runs (service/spark/README: spark/README.md).
  ANALYSIS_ENGINE: z.enum(['duckdb', 'spark']).default('duckdb'),
  SPARK_MASTER: z.string().regex(/^(local(\[[^\]]+\])?|local-cluster\[[^\]]+\]|spark:\/\/[^\s]+|yarn|k8s:\/\/[^\s]+)$/, 'local[*], local-cluster[…], spark://host:7077, yarn or k8s://…').default('local[*]'),
  LAKE_DIR: z.string().optional(),
  SPARK_RESULTS_DIR: z.string().optional(),
  SPARK_PREWARM: z.enum(['true', 'false']).default('true'),
  SPARK_CONF: z.string().regex(/^([^=,\s]+=[^,]*)?(,[^=,\s]+=[^,]*)*$/, 'comma-separated key=value Spark settings').default(''),
  // Alerts (issue 15): where fired alerts are delivered, how they are signed and retried.
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  ALERT_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  ALERT_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  ALERT_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(2000),
  ALERT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  ALERT_EVAL_DEBOUNCE_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  dbPath: string;
  tokens: Map<string, Role>;
  /** How long a session cookie from POST /v1/session lasts (SESSION_TTL_HOURS). */
  sessionTtlMs: number;
  memoryLimit?: string;
  threads?: number;
  checkpointThreshold?: string;
  maxBodyBytes: number;
  /** Staleness bound of analyses in ms (ANALYSIS_MAX_LAG): answers may lag the newest batch this much; 0 = read-your-writes. */
  analysisMaxLagMs: number;
  maxRowBytes: number;
  maxGzipRatio: number;
  maxAdminBodyBytes: number;
  /** Rejected rows older than this many days are purged (0: kept until purged by hand). */
  rejectedRetentionDays: number;
  /** Plausible dates: occurred_at in [min, now + 1 day], date fields (due_date, period_start) in [min, now + daysAhead]. */
  dates: { min: string; daysAhead: number };
  debugLogs: boolean;
  sampleData: 'default' | 'small' | 'off' | 'large' | 'xlarge';
  sampleSeed: number;
  /** Groups with fewer customers are marked `small_sample` and never headline a chart (issue 13). */
  minGroupSize: number;
  ingestion: IngestionOptions;
  /** Start even though the ledger lists batches the database lost, and record the loss. */
  integrityAcceptLoss: boolean;
  /** Issue 14: the engine of the event-sized work; with spark, the lake follows ingestion. */
  analysis: { engine: 'duckdb' | 'spark'; sparkMaster: string; lakeDir: string; resultsDir: string; sparkConf: string; prewarm: boolean };
  /** Alerts: the webhook (null: alerts are only listed), its retry policy, and the evaluation debounce. */
  alerts: { webhookUrl: string | null; webhookSecret: string | null; maxAttempts: number; backoffMs: number; timeoutMs: number; debounceMs: number };
}

export function parseTokens(spec: string): Map<string, Role> {
  const tokens = new Map<string, Role>();
  for (const pair of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = pair.indexOf(':');
    const role = pair.slice(0, at);
    const token = pair.slice(at + 1);
    if (at < 1 || !['ingest', 'read', 'admin'].includes(role) || token.length < 8) {
      throw new Error(`AUTH_TOKENS: "${pair.slice(0, 12)}…" is not role:token with role ingest|read|admin and a token of 8+ characters`);
    }
    tokens.set(token, role as Role);
  }
  return tokens;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  if (e.ALERT_WEBHOOK_URL && !e.ALERT_WEBHOOK_SECRET) throw new Error('invalid configuration: ALERT_WEBHOOK_URL needs ALERT_WEBHOOK_SECRET (alerts are always signed)');
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    dbPath: e.DB_FILE === ':memory:' ? ':memory:' : path.join(dataDir, e.DB_FILE),
    tokens: parseTokens(e.AUTH_TOKENS),
    sessionTtlMs: Math.round(e.SESSION_TTL_HOURS * 3_600_000),
    memoryLimit: e.DUCKDB_MEMORY_LIMIT,
    threads: e.DUCKDB_THREADS,
    checkpointThreshold: e.DUCKDB_CHECKPOINT_THRESHOLD,
    maxBodyBytes: e.MAX_BODY_SIZE,
    analysisMaxLagMs: e.ANALYSIS_MAX_LAG * 1000,
    maxRowBytes: e.MAX_ROW_BYTES,
    maxGzipRatio: e.MAX_GZIP_RATIO,
    maxAdminBodyBytes: e.MAX_ADMIN_BODY_SIZE,
    rejectedRetentionDays: e.REJECTED_RETENTION_DAYS,
    dates: { min: e.DATE_MIN, daysAhead: e.DATE_MAX_DAYS_AHEAD },
    debugLogs: e.LOG_LEVEL === 'debug',
    sampleData: e.SAMPLE_DATA,
    sampleSeed: e.SAMPLE_SEED,
    minGroupSize: e.MIN_GROUP_SIZE,
    integrityAcceptLoss: e.INTEGRITY_ACCEPT_LOSS === 'true',
    analysis: {
      engine: e.ANALYSIS_ENGINE,
      sparkMaster: e.SPARK_MASTER,
      lakeDir: path.resolve(e.LAKE_DIR ?? path.join(dataDir, 'lake')),
      resultsDir: path.resolve(e.SPARK_RESULTS_DIR ?? path.join(e.LAKE_DIR ?? path.join(dataDir, 'lake'), '_results')),
      sparkConf: e.SPARK_CONF,
      prewarm: e.SPARK_PREWARM === 'true',
    },
    alerts: {
      webhookUrl: e.ALERT_WEBHOOK_URL ?? null,
      webhookSecret: e.ALERT_WEBHOOK_SECRET ?? null,
      maxAttempts: e.ALERT_WEBHOOK_MAX_ATTEMPTS,
      backoffMs: e.ALERT_WEBHOOK_BACKOFF_MS,
      timeoutMs: e.ALERT_WEBHOOK_TIMEOUT_MS,
      debounceMs: e.ALERT_EVAL_DEBOUNCE_MS,
    },
    ingestion: {
      liveMaxBytes: e.INGEST_LIVE_MAX_BYTES,
      maxBulkRequests: e.INGEST_MAX_BULK_REQUESTS,
      groupCommit: {
        maxQueuedRows: e.INGEST_MAX_QUEUED_ROWS,
        maxQueuedBytes: e.INGEST_MAX_QUEUED_BYTES,
        maxQueueMs: e.INGEST_MAX_QUEUE_MS,
        maxGroupRows: 20_000,
        writerDelayMs: e.INGEST_TEST_WRITER_DELAY_MS,
        filterDelayMs: e.INGEST_TEST_FILTER_DELAY_MS,
        logSegmentBytes: e.INGEST_TEST_LOG_SEGMENT_BYTES,
        dateBounds: { minDate: e.DATE_MIN, daysAhead: e.DATE_MAX_DAYS_AHEAD },
      },
    },
  };
}
