/**
 * queries/event_totals.sql, ingestion_batches.sql,
 * event_span.sql and event_date_range.sql on the churn fixture plus one implausible event dated 2099 in a
 * batch of its own and one rejected row: the Data page's totals, its batch list and the range the
 * as-of date is checked against.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from './store.ts';
import { CHURN_EVENTS } from './churn/fixture.ts';

const store = useStore([...CHURN_EVENTS, { type: 'contact', at: '2099-01-01T00:00:00Z', customer: 'c9', channel: 'phone', topic: 'other', batch: 2 }]);

describe('event_totals', () => {
  it('totals events, distinct ids, rejected rows and batches, with the first and last event as stored', async () => {
    await store().rows(`INSERT INTO rejected_rows VALUES (2, 7, TIMESTAMPTZ '2025-01-03 00:00:00+00', 'x1', 'contact', 'invalid_value', 'bad', '{}', 2)`);
    // 26 fixture events of c1–c4 + the 2099 one of c9.
    expect(await store().query('event_totals')).toEqual([{ events: '27', customers: '5', rejected_rows: '1', batches: '2', first_event: '2023-05-01T09:00:00Z', last_event: '2099-01-01T00:00:00Z' }]);
  });

  it("counts the ids of batches after the upkeep's watermark that its table does not hold yet, each once", async () => {
    const s = store();
    const customers = async () => (await s.query('event_totals'))[0].customers;
    // As if the upkeep had taken in batch 1 only: the table holds c1–c4, batch 2 brings c9.
    await s.rows(`UPDATE derived_tables SET last_batch_id = 1 WHERE name = 'event_customer_ids'`);
    await s.rows(`DELETE FROM event_customer_ids WHERE customer_id = 'c9'`);
    expect(await customers()).toBe('5');
    // A batch 3 of c1 (held) and c9 (fresh in batch 2 too) and c10 (new) adds one.
    await s.rows(`INSERT INTO events (event_id, type, occurred_at, customer_id, channel, topic, batch_id) VALUES
                  ('t1', 'contact', TIMESTAMPTZ '2025-02-01 00:00:00+00', 'c1', 'chat', 'fee', 3),
                  ('t2', 'contact', TIMESTAMPTZ '2025-02-01 00:00:00+00', 'c9', 'chat', 'fee', 3),
                  ('t3', 'contact', TIMESTAMPTZ '2025-02-01 00:00:00+00', 'c10', 'chat', 'fee', 3)`);
    expect(await customers()).toBe('6');
    // The upkeep's watermark moves to 2 (c9 now held): the same count.
    await s.rows(`INSERT INTO event_customer_ids VALUES ('c9')`);
    await s.rows(`UPDATE derived_tables SET last_batch_id = 2 WHERE name = 'event_customer_ids'`);
    expect(await customers()).toBe('6');
    // Leave the store as the other tests expect it.
    await s.rows(`DELETE FROM events WHERE batch_id = 3`);
  });
});

describe('ingestion_batches', () => {
  it('lists the batches, newest first, as recorded', async () => {
    expect(await store().query('ingestion_batches')).toEqual([
      { batch_id: '2', received_at: '2025-01-03T00:00:00Z', media_type: 'application/x-ndjson', rows_total: '1', accepted: '1', duplicates: '0', rejected: '0', source: null },
      { batch_id: '1', received_at: '2025-01-02T00:00:00Z', media_type: 'application/x-ndjson', rows_total: '26', accepted: '26', duplicates: '0', rejected: '0', source: null },
    ]);
  });
});

describe('event_span and event_date_range', () => {
  it('event_span takes min and max as stored; event_date_range stops at tomorrow, so 2099 does not stretch it', async () => {
    expect(await store().query('event_span')).toEqual([{ first_event: '2023-05-01T09:00:00Z', last_event: '2099-01-01T00:00:00Z' }]);
    expect(await store().query('event_date_range')).toEqual([{ first_day: '2023-05-01', last_day: '2025-07-02' }]);
  });
});
