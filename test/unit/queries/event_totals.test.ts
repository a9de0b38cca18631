/**
 * queries/event_totals.sql, event_customers.sql, event_customers_first_seen.sql, ingestion_batches.sql,
 * event_span.sql and event_date_range.sql on the churn fixture plus one implausible event dated 2099 in a
 * batch of its own and one rejected row: the Data page's totals, its batch list and the range the
 * as-of date is checked against.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from './store.ts';
import { CHURN_EVENTS } from './churn/fixture.ts';

const store = useStore([...CHURN_EVENTS, { type: 'contact', at: '2099-01-01T00:00:00Z', customer: 'c9', channel: 'phone', topic: 'other', batch: 2 }]);

describe('event_totals', () => {
  it('totals events, rejected rows and batches, with the newest batch and the first and last event as stored', async () => {
    await store().rows(`INSERT INTO rejected_rows VALUES (2, 7, TIMESTAMPTZ '2025-01-03 00:00:00+00', 'x1', 'contact', 'invalid_value', 'bad', '{}', 2)`);
    // 26 fixture events + the 2099 one.
    expect(await store().query('event_totals')).toEqual([{ events: '27', rejected_rows: '1', batches: '2', upto: '2', first_event: '2023-05-01T09:00:00Z', last_event: '2099-01-01T00:00:00Z' }]);
  });

  it('counts the distinct ids up to a batch, and those a range of batches saw first', async () => {
    // Batch 1 holds c1–c4; batch 2 only c9, new.
    expect(await store().query('event_customers', { upto: 1 })).toEqual([{ customers: '4' }]);
    expect(await store().query('event_customers', { upto: 2 })).toEqual([{ customers: '5' }]);
    expect(await store().query('event_customers_first_seen', { after: 1, upto: 2 })).toEqual([{ customers: '1' }]);
    expect(await store().query('event_customers_first_seen', { after: 0, upto: 2 })).toEqual([{ customers: '5' }]);
    expect(await store().query('event_customers_first_seen', { after: 2, upto: 2 })).toEqual([{ customers: '0' }]);
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
