-- Totals of the event store (the Data page, /v1/health): events, distinct customer ids, rejected rows, batches
-- and the first and last event as stored. One statement, so every figure is of one snapshot. The distinct ids
-- are the derived table's (facts/refresh_event_customers.sql) plus the ids of the batches after its watermark
-- that it does not hold yet: the upkeep runs behind ingestion, and the totals include every committed batch.
-- The batches after the watermark are the last few: 8–10 ms on the default set (3 M events), about what the
-- same statement takes with the watermark written as a constant.
WITH mark AS (
  SELECT coalesce(max(last_batch_id), 0) AS w FROM derived_tables WHERE name = 'event_customer_ids'
), fresh AS (
  SELECT DISTINCT customer_id FROM events WHERE batch_id > (SELECT w FROM mark)
)
SELECT (SELECT count(*) FROM events) AS events,
       (SELECT count(*) FROM event_customer_ids)
         + (SELECT count(*) FROM fresh ANTI JOIN event_customer_ids USING (customer_id)) AS customers,
       (SELECT count(*) FROM rejected_rows) AS rejected_rows,
       (SELECT count(*) FROM ingest_batches) AS batches,
       (SELECT strftime(min(occurred_at), '%Y-%m-%dT%H:%M:%SZ') FROM events) AS first_event,
       (SELECT strftime(max(occurred_at), '%Y-%m-%dT%H:%M:%SZ') FROM events) AS last_event
