-- The distinct customer ids of the stored events (any event, orphans included), for the event store's totals
-- (event_totals.sql): counting them over every event took 0.8–0.95 s on the large set, and moving a count forward
-- by scanning the earlier events for a batch's new ids still 0.13 s on the default set, on every call of
-- /v1/ingestion/status while events flowed. A batch adds the ids it is the first to carry, checked against this
-- table (tens of thousands of ids, not millions of events); after NULL rebuilds it. Events are only ever added,
-- and an erasure deletes the customer's row here as in every table keyed by customer_id.
DELETE FROM event_customer_ids WHERE $after::BIGINT IS NULL;

INSERT INTO event_customer_ids
SELECT customer_id
FROM (SELECT DISTINCT customer_id FROM events WHERE $after::BIGINT IS NULL OR (batch_id > $after::BIGINT AND batch_id <= $upto::BIGINT)) fresh
ANTI JOIN event_customer_ids USING (customer_id);
