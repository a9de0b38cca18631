/**
 * The event store's totals in /v1/health and /v1/ingestion/status (service/events/event-totals.ts):
 * the distinct-customer count is the upkeep's table of ids plus the new batches' ids it does not
 * hold yet, and an erasure takes the customer out of that table. Each step is checked against a
 * count over the stored events, before and after the catch-up, on a real service and DuckDB file.
 */
import { describe, expect, it } from 'vitest';
import { startTestService } from '../helpers/service.ts';
import { toNdjson } from '../helpers/events.ts';

let seq = 0;
const contact = (customer: string) => ({ event_id: `tot-${seq++}`, type: 'contact', occurred_at: '2026-03-01T10:00:00Z', customer_id: customer, channel: 'phone', topic: 'invoice' });

describe('event totals under ingestion and erasure', () => {
  it('health and ingestion status count the distinct customers exactly after every write', async () => {
    const svc = await startTestService();
    try {
      const post = async (events: object[]) => {
        const res = await svc.call('/v1/events', { method: 'POST', body: toNdjson(events), headers: { 'content-type': 'application/x-ndjson' } });
        expect(res.status).toBe(200);
        return (await res.json()) as { accepted: number; duplicates: number };
      };
      // Right after the write (the upkeep's catch-up is still to come, 250 ms after it: the ids of the
      // new batch are counted from the events) and again once it has taken the batch in (from its table).
      const check = async (expected: number) => {
        for (const when of ['before the catch-up', 'after it']) {
          // The status waits for acknowledged live rows to be applied; health does not (a probe never waits).
          const status = (await (await svc.call('/v1/ingestion/status')).json()) as { customers: number };
          const health = (await (await svc.call('/v1/health')).json()) as { counts: { customers: number; events: number } };
          expect(health.counts.customers, when).toBe(expected);
          expect(status.customers, when).toBe(expected);
          const [{ n }] = await svc.query<{ n: number }>(`SELECT count(DISTINCT customer_id)::INT AS n FROM events`);
          expect(n).toBe(expected);
        }
        const [{ held }] = await svc.query<{ held: number }>(`SELECT count(*)::INT AS held FROM event_customer_ids`);
        expect(held).toBe(expected);
      };
      await check(0);
      await post([contact('A'), contact('B'), contact('A')]);
      await check(2);
      // B again and a new C: one more.
      await post([contact('B'), contact('C')]);
      await check(3);
      // Only customers already seen, over several batches.
      for (let i = 0; i < 3; i++) await post([contact('A'), contact('C')]);
      await check(3);
      // A resend is all duplicates: no batch of new events, nothing moves.
      const resent = { event_id: 'tot-0', type: 'contact', occurred_at: '2026-03-01T10:00:00Z', customer_id: 'A', channel: 'phone', topic: 'invoice' };
      expect((await post([resent])).duplicates).toBe(1);
      await check(3);
      // An erasure removes C: the count starts afresh, then moves forward again.
      expect((await svc.call('/v1/customers/C', { method: 'DELETE' })).status).toBe(200);
      await check(2);
      await post([contact('C'), contact('D')]);
      await check(4);
    } finally {
      await svc.stop();
    }
  });
});
