/**
 * The analysis base (queries/analysis_base.sql: one row per customer with exposures and outcome)
 * materialised once per window and data version in an in-memory schema shared by all
 * connections, so the endpoints of one dashboard view (rates, survival, Cox, heat map) all read
 * the same few hundred thousand rows instead of re-deriving them from millions of events. Any
 * committed write bumps the data version, and older bases are dropped.
 */
import type { Database } from '../db/database.ts';
import { sql } from '../db/sql-files.ts';
import type { FactsUpkeep } from './facts.ts';
import type { AnalysisScope } from './scope.ts';

const KEEP = 8;

export class BaseCache {
  private attached: Promise<void> | null = null;
  private readonly entries = new Map<string, { table: string; ready: Promise<string>; used: number }>();
  private counter = 0;
  /**
   * ENGINE SWITCH (issue 14, ANALYSIS_ENGINE=spark): when set, a base is built by this function
   * (SparkEngine.buildBaseOnSpark, which creates `table` in DuckDB from Spark's result) instead of
   * by DuckDB. Set once in server.ts; null keeps the DuckDB engine.
   */
  buildElsewhere: ((scope: AnalysisScope, table: string) => Promise<unknown>) | null = null;

  constructor(
    private readonly db: Database,
    private readonly upkeep: FactsUpkeep,
  ) {}

  private attach(): Promise<void> {
    this.attached ??= this.db.withConnection(async (c) => {
      await c.run(`ATTACH IF NOT EXISTS ':memory:' AS analysis_cache`);
    });
    return this.attached;
  }

  private prewarmTimer: NodeJS.Timeout | null = null;

  /**
   * Builds the bases the dashboard opens with (default as-of, both views, and the previous period
   * the summary compares with) shortly after the data last changed, so the first look is fast.
   * Debounced: a bulk load that commits batch after batch pre-warms once, at the end.
   */
  prewarmSoon(scopes: () => Promise<AnalysisScope[]>, delayMs = 3000): void {
    if (this.prewarmTimer) clearTimeout(this.prewarmTimer);
    this.prewarmTimer = setTimeout(() => {
      this.prewarmTimer = null;
      // Building bases mid-load would slow the load and be stale at once: try again later.
      const later = () => this.prewarmSoon(scopes, delayMs || 3000);
      if (this.db.ingestsInFlight > 0) return later();
      scopes()
        .then(async (list) => {
          for (const scope of list) {
            if (this.db.ingestsInFlight > 0) return later();
            await this.table(scope);
          }
        })
        .catch(() => undefined);
    }, delayMs);
    this.prewarmTimer.unref();
  }

  /** The qualified name of the base table for this scope, building it if needed. */
  async table(scope: AnalysisScope): Promise<string> {
    // Never analyse events whose derived facts are still being brought up to date.
    await this.upkeep.settle();
    await this.attach();
    const key = `${this.db.version}|${JSON.stringify(scope.params)}`;
    const hit = this.entries.get(key);
    if (hit) {
      hit.used = performance.now();
      return hit.ready;
    }
    const table = `analysis_cache.base_${++this.counter}`;
    const build = this.buildElsewhere; // issue 14 engine switch (see buildElsewhere)
    const ready = (
      build
        ? build(scope, table).then(() => table)
        : this.db.withConnection(async (c) => {
            await c.run(`CREATE TABLE ${table} AS ${sql('analysis_base')}`, { ...scope.params, after: null, upto: null } as never);
            return table;
          })
    )
      .catch((error) => {
        this.entries.delete(key);
        throw error;
      });
    this.entries.set(key, { table, ready, used: performance.now() });
    this.evict();
    return ready;
  }

  private evict(): void {
    const stale = [...this.entries.entries()]
      .filter(([key]) => !key.startsWith(`${this.db.version}|`))
      .concat([...this.entries.entries()].sort((a, b) => b[1].used - a[1].used).slice(KEEP));
    for (const [key, entry] of stale) {
      if (!this.entries.delete(key)) continue;
      // Dropped a little later: a request that fetched the name just before may still be reading.
      setTimeout(() => {
        entry.ready.then((t) => this.db.withConnection((c) => c.run(`DROP TABLE IF EXISTS ${t}`))).catch(() => undefined);
      }, 30_000).unref();
    }
  }
}
