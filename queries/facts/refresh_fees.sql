-- Per-fee facts for the customers the batches in ($after, $upto] touched with a fee or a fee contact: when, how much,
-- and when the fee was first disputed (a contact on topic "fee" within 14 days after it).
-- $after NULL rebuilds every fee. reminder_sent.fee_amount describes the reminder and is not a fee: only fee_charged counts.
DELETE FROM fact_fees WHERE customer_id IN (
  SELECT customer_id FROM events WHERE ($after::BIGINT IS NULL OR (batch_id > $after::BIGINT AND batch_id <= $upto::BIGINT)) AND (type = 'fee_charged' OR (type = 'contact' AND topic = 'fee'))
);

INSERT INTO fact_fees
WITH touched AS (
  SELECT DISTINCT customer_id FROM events WHERE ($after::BIGINT IS NULL OR (batch_id > $after::BIGINT AND batch_id <= $upto::BIGINT)) AND (type = 'fee_charged' OR (type = 'contact' AND topic = 'fee'))
), fees AS (
  SELECT e.event_id, e.customer_id, e.occurred_at, e.invoice_id, e.fee_type, e.amount
  FROM events e SEMI JOIN touched t USING (customer_id) WHERE e.type = 'fee_charged'
), fee_contacts AS (
  SELECT e.customer_id, e.occurred_at FROM events e SEMI JOIN touched t USING (customer_id)
  WHERE e.type = 'contact' AND e.topic = 'fee'
)
SELECT f.event_id, f.customer_id, f.occurred_at, f.invoice_id, f.fee_type, f.amount,
       (SELECT min(c.occurred_at) FROM fee_contacts c
        WHERE c.customer_id = f.customer_id AND c.occurred_at >= f.occurred_at AND c.occurred_at <= f.occurred_at + INTERVAL 14 DAY) AS disputed_at
FROM fees f;
