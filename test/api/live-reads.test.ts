/**
 * Reads that must not wait on live ingestion (issue 12, "readers never wait for a rebuild"): the
 * data-quality report, which scans every event, is served from its last finished version within
 * the staleness bound and stamped with the snapshot it reflects, while its successor computes; and
 * routes that read no events (alerts, saved views) answer without waiting for the live
 * writer to apply acknowledged rows, while those that read events still see them. Real service,
 * real DuckDB file; no wall-clock assertion.
 */
import { describe, expect, it } from 'vitest';
import { startTestService } from '../helpers/service.ts';
import { toNdjson } from '../helpers/events.ts';

type Stamped = { data_as_of: { batch_id: number }; lag_seconds: number };
type Quality = Stamped & { checks: { key: string; count: number }[] };
const orphan = (id: string) => ({ event_id: `orphan-${id}`, type: 'contact', occurred_at: '2026-03-01T10:00:00Z', customer_id: id, channel: 'phone', topic: 'other' });

describe('reads under live ingestion', () => {
  it('serves the last data-quality report within the bound, stamped with its snapshot, then the next one', async () => {
    const svc = await startTestService({ SAMPLE_DATA: 'small', ANALYSIS_MAX_LAG: '60' });
    try {
      const orphans = (q: Quality) => q.checks.find((c) => c.key === 'orphans')!.count;
      const first = (await (await svc.call('/v1/data-quality')).json()) as Quality;
      const res = await svc.call('/v1/events', { method: 'POST', body: toNdjson([orphan('ORPHAN-LIVE-1')]), headers: { 'content-type': 'application/x-ndjson' } });
      const { batch_id: batch } = (await res.json()) as { batch_id: number };
      expect(batch).toBeGreaterThan(first.data_as_of.batch_id);
      // Wait until the catch-up has published the batch (health reads no analysis).
      for (let i = 0; i < 600; i++) {
        const health = (await (await svc.call('/v1/health')).json()) as { analysis: Stamped };
        if (health.analysis.data_as_of.batch_id >= batch) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      // The first report after the publish is the finished one, honestly stamped with the older snapshot.
      const served = (await (await svc.call('/v1/data-quality')).json()) as Quality;
      expect(served.data_as_of.batch_id).toBe(first.data_as_of.batch_id);
      expect(orphans(served)).toBe(orphans(first));
      // Its successor, computed meanwhile, reflects the new batch and counts the new orphan id.
      let next = served;
      for (let i = 0; i < 600 && next.data_as_of.batch_id < batch; i++) {
        await new Promise((r) => setTimeout(r, 100));
        next = (await (await svc.call('/v1/data-quality')).json()) as Quality;
      }
      expect(next.data_as_of.batch_id).toBeGreaterThanOrEqual(batch);
      expect(orphans(next)).toBe(orphans(first) + 1);
    } finally {
      await svc.stop();
    }
  }, 240_000);

  it('answers alerts and saved views before acknowledged rows are applied; the ingestion status and the payment-method report wait for them', async () => {
    // Every apply of the live writer is held 4 s (test hook); a read that waits for it waits at most 5 s.
    const svc = await startTestService({ INGEST_TEST_WRITER_DELAY_MS: '4000' });
    try {
      const res = await svc.call('/v1/events', { method: 'POST', body: toNdjson([orphan('A'), orphan('B'), orphan('C')]), headers: { 'content-type': 'application/x-ndjson' } });
      expect(((await res.json()) as { accepted: number }).accepted).toBe(3);
      for (const path of ['/v1/alerts', '/v1/views']) expect((await svc.call(path)).status, path).toBe(200);
      // Those answers came while the rows were still unapplied: none of them waited for the writer.
      const health = (await (await svc.call('/v1/health')).json()) as { ingestion: { unapplied_rows: number } };
      expect(health.ingestion.unapplied_rows).toBe(3);
      // A read of the events still sees every row acknowledged before it.
      const status = (await (await svc.call('/v1/ingestion/status')).json()) as { events: number; customers: number };
      expect(status).toMatchObject({ events: 3, customers: 3 });
      await svc.call('/v1/events', { method: 'POST', body: toNdjson([{ event_id: 'pm-1', type: 'payment_method_changed', occurred_at: '2026-03-01T10:00:00Z', customer_id: 'A', method: 'brand_new_label' }]), headers: { 'content-type': 'application/x-ndjson' } });
      const labels = JSON.stringify(await (await svc.call('/v1/settings/payment-methods')).json());
      expect(labels).toContain('brand_new_label');
    } finally {
      await svc.stop();
    }
  }, 120_000);
});
