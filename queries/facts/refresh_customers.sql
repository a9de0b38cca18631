-- Current facts per customer (the lifetime view as of now) for the customers the batches in ($after, $upto]
-- touched, or for everyone when $after is NULL. Offers, risk scores and the dimension lists read this table.
DELETE FROM customer_facts
WHERE $after::BIGINT IS NULL OR customer_id IN (SELECT customer_id FROM events WHERE (batch_id > $after::BIGINT AND batch_id <= $upto::BIGINT));
