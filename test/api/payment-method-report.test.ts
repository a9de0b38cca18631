/**
 * The Data page's payment-method report (/v1/settings/payment-methods, service/settings/payment-methods.ts):
 * its label counts are the upkeep's table (queries/facts/refresh_method_labels.sql) plus the events of
 * the batches after that table's watermark. Checked against counts over the stored events with the upkeep
 * held (so the new batches are only in the events) and after its catch-up, through labels written in other
 * cases and spacing, a label changing class when the map does, and an erasure, on a real service and file.
 */
import { describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.ts';
import { toNdjson } from '../helpers/events.ts';

let seq = 0;
const payment = (customer: string, method: string) => ({ event_id: `pm-${seq++}`, type: 'payment_received', occurred_at: '2026-03-01T10:00:00Z', customer_id: customer, invoice_id: `inv-${seq}`, amount: 10, method });
const changed = (customer: string, method: string) => ({ event_id: `pm-${seq++}`, type: 'payment_method_changed', occurred_at: '2026-03-02T10:00:00Z', customer_id: customer, method });

interface Report {
  observed: { label: string; class: string; events: number; customers: number }[];
  unknown: { label: string; events: number; customers: number }[];
}

async function truth(svc: TestService) {
  // Directly, not through svc.query: that settles the upkeep first, which is held in the first check.
  return svc.ctx.db.withConnection(async (c) =>
    (
      await c.runAndReadAll(`SELECT lower(trim(method)) AS label, count(*)::INT AS events, count(DISTINCT customer_id)::INT AS customers
                             FROM events WHERE method IS NOT NULL GROUP BY 1 ORDER BY events DESC, label`)
    ).getRowObjectsJson(),
  );
}

describe('the payment-method report under ingestion, a map change and erasure', () => {
  it('counts every label and its customers exactly, before and after the upkeep takes the batches in', async () => {
    const svc = await startTestService();
    try {
      const post = async (events: object[]) => {
        const res = await svc.call('/v1/events', { method: 'POST', body: toNdjson(events), headers: { 'content-type': 'application/x-ndjson' } });
        expect(res.status).toBe(200);
      };
      const report = async () => {
        const res = await svc.call('/v1/settings/payment-methods');
        expect(res.status).toBe(200);
        return (await res.json()) as Report;
      };
      const counts = (r: Report) => r.observed.map(({ label, events, customers }) => ({ label, events, customers }));
      const watermark = async () =>
        svc.ctx.db.withConnection(async (c) => {
          const [row] = (await c.runAndReadAll(`SELECT (SELECT last_batch_id FROM derived_tables WHERE name = 'event_method_labels')::INT AS w, (SELECT max(batch_id) FROM events)::INT AS b`)).getRowObjectsJson() as { w: number; b: number }[];
          return row;
        });
      // With the upkeep held the new batch is only in the events (the watermark is behind it); after
      // its catch-up the table holds it. Both must give the counts over the events.
      const check = async () => {
        await svc.ctx.engine.upkeep.held(async () => {
          const r = await report();
          const { w, b } = await watermark();
          expect(w).toBeLessThan(b);
          expect(counts(r)).toEqual(await truth(svc));
        });
        await svc.ctx.engine.upkeep.settle();
        const { w, b } = await watermark();
        expect(w).toBe(b);
        const r = await report();
        expect(counts(r)).toEqual(await truth(svc));
        return r;
      };

      await post([payment('A', 'Autogiro'), payment('A', ' autogiro '), payment('B', 'card'), changed('C', 'Swish')]);
      let r = await check();
      expect(counts(r)).toEqual([
        { label: 'autogiro', events: 2, customers: 1 },
        { label: 'card', events: 1, customers: 1 },
        { label: 'swish', events: 1, customers: 1 },
      ]);
      // Known labels from new customers and a new unknown one: the pairs already held add up.
      await post([payment('A', 'AUTOGIRO'), payment('D', 'autogiro'), payment('B', 'Card'), payment('E', 'pigeon post')]);
      r = await check();
      expect(counts(r).find((x) => x.label === 'autogiro')).toEqual({ label: 'autogiro', events: 4, customers: 2 });
      expect(r.unknown.map((u) => u.label)).toContain('pigeon post');
      // Mapping the unknown label classifies it when the report reads, with no new events.
      const map = (await (await svc.call('/v1/settings/payment-methods')).json()) as { methods: Record<string, string> };
      const put = await svc.call('/v1/settings/payment-methods', { method: 'PUT', body: JSON.stringify({ methods: { ...map.methods, 'pigeon post': 'manual' } }), headers: { 'content-type': 'application/json' } });
      expect(put.status).toBe(200);
      r = (await put.json()) as Report;
      expect(r.observed.find((x) => x.label === 'pigeon post')?.class).toBe('manual');
      expect(r.unknown.map((u) => u.label)).not.toContain('pigeon post');
      // An erasure takes A's rows out of the table and the events alike.
      expect((await svc.call('/v1/customers/A', { method: 'DELETE' })).status).toBe(200);
      await post([payment('F', 'autogiro')]);
      r = await check();
      expect(counts(r).find((x) => x.label === 'autogiro')).toEqual({ label: 'autogiro', events: 2, customers: 2 });
    } finally {
      await svc.stop();
    }
  });
});
