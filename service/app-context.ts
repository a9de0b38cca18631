/**
 * What every route module needs: the database, the configuration, the OpenAPI registry routes
 * describe themselves in, and the hooks that keep derived facts current inside each ingest.
 */
import type { Engine } from './analytics/runner.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { AfterIngest } from './events/ingest.ts';
import type { Ingestion } from './events/ingestion.ts';
import type { OpenApiRegistry } from './http/openapi.ts';
import type { SparkEngine } from './spark/engine.ts';

export interface AppContext {
  db: Database;
  /** The analysis engine: the database plus the shared cache of analysis bases. */
  engine: Engine;
  config: Config;
  openapi: OpenApiRegistry;
  afterIngest: AfterIngest[];
  /** Where ingest requests go: the live group committer for small bodies, the bulk path for the rest. */
  ingestion: Ingestion;
  startedAt: Date;
  /** Issue 14: the Spark engine when ANALYSIS_ENGINE=spark (the lake follower is its `lake`). */
  spark?: SparkEngine | null;
  /**
   * Background work a route module started (alert evaluation, webhook delivery), stopped at
   * shutdown after the facts upkeep and before the database closes: what it had begun writes
   * through, so a restart neither repeats nor forgets it.
   */
  beforeClose: (() => Promise<void>)[];
}
