-- Current facts per customer (the lifetime view as of now) for the customers a batch touched, or
-- for everyone when $batch is NULL. Offers, risk scores and the dimension lists read this table.
DELETE FROM customer_facts
WHERE $batch::BIGINT IS NULL OR customer_id IN (SELECT customer_id FROM events WHERE batch_id = $batch);
