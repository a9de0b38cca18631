-- Every contact event, narrowed to what the contact analyses read, for the batches in (after, upto]; after NULL
-- rebuilds the table. Contacts are a small share of the events (about 1 in 70 on the default sample), and an
-- analysis over them scanned every event's type: from this table the engagement contacts cost a quarter.
-- Events are immutable and stored once (their event_id), so a batch only appends; an erasure deletes by customer.
DELETE FROM fact_contacts WHERE $after::BIGINT IS NULL;

INSERT INTO fact_contacts
SELECT event_id, customer_id, occurred_at, channel, topic FROM events
WHERE type = 'contact' AND ($after::BIGINT IS NULL OR (batch_id > $after::BIGINT AND batch_id <= $upto::BIGINT));
