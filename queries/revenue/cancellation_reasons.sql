-- Why the churned customers of the filtered landmark base left, per group: the reason of their
-- first cancellation within the horizon ([$landmark, $outcome_end)), with the MRR it lost (the
-- monthly price at the landmark in cents of the reporting currency; NULL without a rate).
WITH rates AS (
  SELECT unnest($rate_currencies::VARCHAR[]) AS currency, unnest($rate_values::VARCHAR[]::DOUBLE[]) AS rate
), cancels AS (
  SELECT customer_id, arg_min(reason, occurred_at) AS reason
  FROM events
  WHERE type = 'subscription_cancelled' AND occurred_at >= $landmark::TIMESTAMPTZ AND occurred_at < $outcome_end::TIMESTAMPTZ
  GROUP BY customer_id
)
SELECT f.{{group}} AS key, coalesce(c.reason, 'unspecified') AS reason, count(*) AS customers,
       coalesce(sum(round(f.monthly_price * r.rate * 100)::BIGINT), 0)::BIGINT AS lost_cents
FROM filtered f JOIN cancels c USING (customer_id) LEFT JOIN rates r ON r.currency = f.currency
WHERE f.churned
GROUP BY ALL
ORDER BY key, customers DESC, reason
