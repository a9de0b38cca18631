-- The coming invoice runs, projected from the monthly billing cycle: every customer still billed at
-- $cutoff (an invoice in the last 45 days and no cancellation as their latest lifecycle event) gets
-- their next invoices on the same day of the month as their latest one, `months_ahead` = 1, 2, …,
-- falling due after the same payment term. Counted per local issue day in [$start_day, $end_day),
-- due day and the customer's stage (first year of tenure or not); the caller discounts month k by
-- the measured survival. New customers' first invoices are projected by the caller from recent ones.
-- Speed: customers still billed have an invoice in the last 45 days, so only those invoices are
-- read (the table is in time order, so DuckDB skips the older row groups), and only one timestamp
-- per customer is converted to a local date.
WITH recent AS (
  SELECT customer_id, max(issued_at) AS last_issued, arg_max(due_date, issued_at) AS last_due
  FROM fact_invoices
  WHERE issued_at < timezone($tz, $cutoff::TIMESTAMP) AND issued_at >= timezone($tz, $cutoff::TIMESTAMP) - INTERVAL 45 DAY
  GROUP BY ALL
), lifecycle AS (
  SELECT customer_id, arg_max(type, occurred_at) AS last_type
  FROM events
  WHERE type IN ('subscription_started', 'subscription_cancelled') AND occurred_at < timezone($tz, $cutoff::TIMESTAMP)
  GROUP BY ALL
), billed AS (
  SELECT CAST(timezone($tz, r.last_issued) AS DATE) AS last_day,
         coalesce(r.last_due - CAST(timezone($tz, r.last_issued) AS DATE), 14) AS term,
         CAST(timezone($tz, cf.tenure_start + INTERVAL 365 DAY) AS DATE) AS first_year_end
  FROM recent r
  LEFT JOIN lifecycle l USING (customer_id)
  LEFT JOIN customer_facts cf USING (customer_id)
  WHERE coalesce(l.last_type, 'subscription_started') <> 'subscription_cancelled'
), ahead AS (
  SELECT CAST(b.last_day + to_months(r.k::INTEGER) AS DATE) AS next_day, b.term, b.first_year_end, r.k
  FROM billed b, range(1, $months_ahead::INTEGER + 1) r(k)
)
SELECT (epoch(next_day) // 86400)::INTEGER AS issue_day,
       (epoch(next_day + term::INTEGER) // 86400)::INTEGER AS due_day,
       k::INTEGER AS months_ahead,
       CASE WHEN next_day < first_year_end THEN 'first_year' ELSE 'other' END AS stage,
       count(*)::INTEGER AS invoices
FROM ahead
WHERE next_day >= $start_day::DATE AND next_day < $end_day::DATE
GROUP BY ALL
ORDER BY issue_day, due_day
