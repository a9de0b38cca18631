-- MRR movements month by month for the filtered customers (lifetime base at the as-of date), in
-- cents of the reporting currency. A customer's MRR at an instant is their latest monthly price
-- (subscription_started, plan_changed, customer_updated) if their latest lifecycle event is a
-- start, else 0; converted with the rate of their currency. Snapshots are taken at every month
-- start from the first invoice month (before it the history holds only back-dated sign-ups) and
-- at the end of the as-of day, so the last month may be partial. Between two snapshots each
-- customer's change is one of: new (0 → > 0, re-activations included), expansion (up), contraction
-- (down, still > 0), churned (> 0 → 0). In integer cents, end = start + new + expansion −
-- contraction − churned holds exactly, month by month.
WITH rates AS (
  SELECT unnest($rate_currencies::VARCHAR[]) AS currency, unnest($rate_values::VARCHAR[]::DOUBLE[]) AS rate
), cust AS (
  SELECT f.customer_id, r.rate FROM filtered f JOIN rates r ON r.currency = f.currency
), bounds AS (
  SELECT row_number() OVER (ORDER BY t) - 1 AS i, t
  FROM (
    SELECT m::TIMESTAMPTZ AS t FROM range(date_trunc('month', (SELECT min(issued_at) FROM fact_invoices))::DATE, $as_of_end::TIMESTAMPTZ::DATE, INTERVAL 1 MONTH) r(m)
    WHERE m::TIMESTAMPTZ < $as_of_end::TIMESTAMPTZ
    UNION SELECT $as_of_end::TIMESTAMPTZ
  )
), life AS (
  SELECT customer_id, occurred_at, type FROM events SEMI JOIN cust USING (customer_id)
  WHERE type IN ('subscription_started', 'subscription_cancelled') AND occurred_at < $as_of_end::TIMESTAMPTZ
), price AS (
  SELECT customer_id, occurred_at, monthly_price FROM events SEMI JOIN cust USING (customer_id)
  WHERE type IN ('subscription_started', 'plan_changed', 'customer_updated') AND monthly_price IS NOT NULL AND occurred_at < $as_of_end::TIMESTAMPTZ
), grid AS (
  SELECT c.customer_id, c.rate, b.i, b.t FROM cust c CROSS JOIN bounds b
), snap AS (
  SELECT g.customer_id, g.i,
         CASE WHEN l.type = 'subscription_started' AND p.monthly_price IS NOT NULL THEN round(p.monthly_price * g.rate * 100)::BIGINT ELSE 0 END AS mrr
  FROM grid g
  ASOF LEFT JOIN life l ON g.customer_id = l.customer_id AND g.t > l.occurred_at
  ASOF LEFT JOIN price p ON g.customer_id = p.customer_id AND g.t > p.occurred_at
), moves AS (
  SELECT i, s, e FROM (SELECT i, lag(mrr) OVER (PARTITION BY customer_id ORDER BY i) AS s, mrr AS e FROM snap) WHERE i >= 1
), agg AS (
  SELECT i,
         sum(s)::BIGINT AS start_cents,
         sum(e)::BIGINT AS end_cents,
         coalesce(sum(e) FILTER (WHERE s = 0 AND e > 0), 0)::BIGINT AS new_cents,
         coalesce(sum(e - s) FILTER (WHERE s > 0 AND e > s), 0)::BIGINT AS expansion_cents,
         coalesce(sum(s - e) FILTER (WHERE s > 0 AND e > 0 AND e < s), 0)::BIGINT AS contraction_cents,
         coalesce(sum(s) FILTER (WHERE s > 0 AND e = 0), 0)::BIGINT AS churned_cents,
         count(*) FILTER (WHERE s > 0) AS customers_start,
         count(*) FILTER (WHERE e > 0) AS customers_end,
         count(*) FILTER (WHERE s = 0 AND e > 0) AS new_customers,
         count(*) FILTER (WHERE s > 0 AND e > s) AS expanded_customers,
         count(*) FILTER (WHERE s > 0 AND e > 0 AND e < s) AS contracted_customers,
         count(*) FILTER (WHERE s > 0 AND e = 0) AS churned_customers
  FROM moves GROUP BY i
), labels AS (
  -- Labels per month (a few rows): formatting timestamps per customer row was most of the cost.
  SELECT b1.i, strftime(b0.t, '%Y-%m') AS month, strftime(b0.t, '%Y-%m-%d') AS period_start, strftime(b1.t - INTERVAL 1 MICROSECOND, '%Y-%m-%d') AS period_end,
         b1.t <> b0.t + INTERVAL 1 MONTH AS partial
  FROM bounds b1 JOIN bounds b0 ON b0.i = b1.i - 1
)
SELECT l.month, l.period_start, l.period_end, l.partial, a.* EXCLUDE (i)
FROM agg a JOIN labels l USING (i)
ORDER BY l.period_start
