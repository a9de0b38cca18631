/**
 * Which older snapshots a slow answer may still be served from (analytics/facts.ts stillServable):
 * within ANALYSIS_MAX_LAG, widened by the time the answer's successor takes to compute. The offer
 * state on xlarge builds in 18–30 s against a 30 s bound; without the widening every reader waited
 * for the build, and got data as old by the time it was answered. A real DuckDB file; the batches'
 * arrival times are written as they would have been seconds ago.
 */
import { describe, expect, it } from 'vitest';
import { FactsUpkeep } from '../../../service/analytics/facts.ts';
import { Database } from '../../../service/db/database.ts';
import { migrate } from '../../../service/db/migrations.ts';

describe('stillServable', () => {
  it('serves a snapshot within the bound plus the successor’s compute time, and nothing after a settings write', async () => {
    const db = await Database.open({ path: ':memory:' });
    try {
      await migrate(db);
      // Batch 1 is the snapshot; batch 2, not reflected by it, arrived 10 s ago: it lags 10 s.
      await db.withConnection(async (c) => {
        await c.run(`INSERT INTO ingest_batches VALUES (1, now() - INTERVAL 20 SECOND, 'application/x-ndjson', 1, 1, 0, 0, NULL)`);
        await c.run(`INSERT INTO ingest_batches VALUES (2, now() - INTERVAL 10 SECOND, 'application/x-ndjson', 1, 1, 0, 0, NULL)`);
      });
      const upkeep = new FactsUpkeep(db, 100, 30_000, 5_000);
      const generation = db.writesVersion;
      expect((await upkeep.snapshotOf(1)).lag_seconds).toBeGreaterThanOrEqual(10);
      expect((await upkeep.snapshotOf(1)).lag_seconds).toBeLessThan(12);
      expect(await upkeep.stillServable(1, generation)).toBe(false); // 10 s > 5 s
      expect(await upkeep.stillServable(1, generation, 3_000)).toBe(false); // 10 s > 8 s
      expect(await upkeep.stillServable(1, generation, 8_000)).toBe(true); // 10 s ≤ 13 s
      // The answer served says how old it was at the gate.
      expect(upkeep.judgedSnapshot(1)?.lag_seconds).toBeGreaterThanOrEqual(10);
      // A settings, catalogue or erasure write retires it whatever the slack.
      await db.transaction(async (c) => c.run(`SELECT 1`));
      expect(await upkeep.stillServable(1, generation, 60_000)).toBe(false);
      // A bound of 0 (read-your-writes) never serves an older snapshot.
      expect(await new FactsUpkeep(db, 100, 30_000, 0).stillServable(1, db.writesVersion, 60_000)).toBe(false);
    } finally {
      await db.close();
    }
  });
});
