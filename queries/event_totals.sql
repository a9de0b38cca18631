-- Totals of the event store (the Data page, /v1/health): events, rejected rows, batches, the newest batch id and
-- the first and last event as stored. The distinct customers are counted apart (service/events/event-totals.ts),
-- up to the newest batch read here, since that count is the one that costs a scan.
SELECT (SELECT count(*) FROM events) AS events,
       (SELECT count(*) FROM rejected_rows) AS rejected_rows,
       (SELECT count(*) FROM ingest_batches) AS batches,
       (SELECT coalesce(max(batch_id), 0) FROM ingest_batches) AS upto,
       (SELECT strftime(min(occurred_at), '%Y-%m-%dT%H:%M:%SZ') FROM events) AS first_event,
       (SELECT strftime(max(occurred_at), '%Y-%m-%dT%H:%M:%SZ') FROM events) AS last_event
