-- The coming invoice runs, projected from the monthly billing cycle: every customer still billed at
-- $cutoff (an invoice in the last 45 days and no cancellation as their latest lifecycle event) gets
-- their next invoices on the same day of the month as their latest one, `months_ahead` = 1, 2, …,
-- falling due after the same payment term. Counted per local issue day in [$start_day, $end_day),
-- due day and the customer's stage (first year of tenure or not); the caller discounts month k by
-- the measured survival. New customers' first invoices are projected by the caller from recent ones.
-- Speed: customers still billed have an invoice in the last 45 days, so only those invoices are
-- read (the table is in time order, so DuckDB skips the older row groups); customers are then
-- grouped by the 15-minute bucket of their last invoice, its due date and the UTC day their first
-- year ends, so the ICU conversion to local dates runs once per bucket, not once per customer.
WITH recent AS (
  SELECT customer_id, epoch(max(issued_at)) AS last_issued, arg_max(due_date, issued_at) AS last_due
  FROM fact_invoices
  WHERE issued_at < timezone($tz, $cutoff::TIMESTAMP) AND issued_at >= timezone($tz, $cutoff::TIMESTAMP) - INTERVAL 45 DAY
  GROUP BY ALL
), lifecycle AS (
  -- Only the same 45 days matter: a customer invoiced in them was active then, so only a
  -- cancellation in them (not followed by a new start) ends the billing.
  SELECT customer_id, arg_max(type, occurred_at) AS last_type
  FROM events
  WHERE type IN ('subscription_started', 'subscription_cancelled')
    AND occurred_at < timezone($tz, $cutoff::TIMESTAMP) AND occurred_at >= timezone($tz, $cutoff::TIMESTAMP) - INTERVAL 46 DAY
  GROUP BY ALL
), groups AS (
  SELECT (r.last_issued // 900)::BIGINT AS bucket,
         r.last_due,
         ((epoch(cf.tenure_start) + 365 * 86400) // 86400)::INTEGER AS first_year_end_day,
         count(*) AS customers
  FROM recent r
  LEFT JOIN lifecycle l USING (customer_id)
  LEFT JOIN customer_facts cf USING (customer_id)
  WHERE coalesce(l.last_type, 'subscription_started') <> 'subscription_cancelled'
  GROUP BY ALL
), local_day AS (
  SELECT bucket, CAST(timezone($tz, to_timestamp(bucket * 900)) AS DATE) AS last_day FROM (SELECT DISTINCT bucket FROM groups)
), billed AS (
  SELECT l.last_day, coalesce(g.last_due - l.last_day, 14) AS term, g.first_year_end_day, g.customers
  FROM groups g JOIN local_day l USING (bucket)
), ahead AS (
  SELECT CAST(b.last_day + to_months(r.k::INTEGER) AS DATE) AS next_day, b.term, b.first_year_end_day, b.customers, r.k
  FROM billed b, range(1, $months_ahead::INTEGER + 1) r(k)
)
SELECT (epoch(next_day) // 86400)::INTEGER AS issue_day,
       (epoch(next_day + term::INTEGER) // 86400)::INTEGER AS due_day,
       k::INTEGER AS months_ahead,
       CASE WHEN (epoch(next_day) // 86400) < first_year_end_day THEN 'first_year' ELSE 'other' END AS stage,
       sum(customers)::INTEGER AS invoices
FROM ahead
WHERE next_day >= $start_day::DATE AND next_day < $end_day::DATE
GROUP BY ALL
ORDER BY issue_day, due_day
