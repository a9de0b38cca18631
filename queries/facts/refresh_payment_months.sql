-- Per customer and calendar month (UTC) with a payment: when they first paid in that month, and when they first
-- paid automatically (by the payment-method map, or a method naming itself automatic when the map has no label),
-- for the customers the batches in ($after, $upto] touched with a payment; $after NULL rebuilds every customer.
-- The monthly trend counts payers from this table instead of every payment event: "paid in month m before the
-- as-of end" is exactly "first_paid_at < as-of end", so any as-of date gets the same answer as the events give.
-- It follows the payment-method map: a change of the map rebuilds it (facts.ts).
DELETE FROM fact_payment_months WHERE customer_id IN (
  SELECT customer_id FROM events WHERE ($after::BIGINT IS NULL OR (batch_id > $after::BIGINT AND batch_id <= $upto::BIGINT)) AND type = 'payment_received'
);

INSERT INTO fact_payment_months
WITH touched AS (
  SELECT DISTINCT customer_id FROM events WHERE ($after::BIGINT IS NULL OR (batch_id > $after::BIGINT AND batch_id <= $upto::BIGINT)) AND type = 'payment_received'
), payments AS (
  SELECT e.customer_id, e.occurred_at, date_trunc('month', e.occurred_at::TIMESTAMP)::DATE AS month_start,
         coalesce(pmc.class = 'automatic', lower(e.method) LIKE '%automatic%', false) AS automatic
  FROM events e SEMI JOIN touched t USING (customer_id)
  LEFT JOIN payment_method_classes pmc ON pmc.label = lower(trim(e.method))
  WHERE e.type = 'payment_received'
)
SELECT customer_id, month_start, min(occurred_at) AS first_paid_at, min(occurred_at) FILTER (WHERE automatic) AS first_automatic_at
FROM payments GROUP BY customer_id, month_start;
