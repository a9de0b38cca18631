-- When invoices bring contacts: every inbound contact in [$from_day, $to_day) is paired with the
-- customer's latest invoice issued before it (an as-of join) and counted by the days since that
-- invoice was dispatched and the days from its due date (local days in $tz), per the invoice's stage
-- (the customer's first invoice, a later one in their first year, or any other) and contact topic.
-- The invoices of each stage issued in the window are the denominator, so the caller can report
-- contacts per 1 000 invoices by day and compare the first invoice with the rest.
WITH firsts AS (
  SELECT customer_id, min(issued_at) AS first_issued FROM fact_invoices GROUP BY ALL
), inv AS (
  SELECT i.customer_id, i.issued_at, CAST(timezone($tz, i.issued_at) AS DATE) AS issue_day, i.due_date,
         CASE
           WHEN i.issued_at = f.first_issued AND i.issued_at < cf.tenure_start + INTERVAL 45 DAY THEN 'first'
           WHEN i.issued_at < cf.tenure_start + INTERVAL 365 DAY THEN 'first_year'
           ELSE 'other'
         END AS stage
  FROM fact_invoices i JOIN firsts f USING (customer_id) LEFT JOIN customer_facts cf USING (customer_id)
  WHERE i.issued_at < timezone($tz, CAST($to_day::DATE AS TIMESTAMP))
), contacts AS (
  SELECT customer_id, occurred_at, topic, CAST(timezone($tz, occurred_at) AS DATE) AS day
  FROM events
  WHERE type = 'contact' AND coalesce(direction, 'inbound') = 'inbound'
    AND occurred_at >= timezone($tz, CAST($from_day::DATE AS TIMESTAMP)) AND occurred_at < timezone($tz, CAST($to_day::DATE AS TIMESTAMP))
), paired AS (
  SELECT i.stage, c.topic, (c.day - i.issue_day)::INTEGER AS since_dispatch, (c.day - i.due_date)::INTEGER AS from_due
  FROM contacts c ASOF JOIN inv i ON c.customer_id = i.customer_id AND c.occurred_at >= i.issued_at
)
SELECT 'contacts' AS kind, stage, topic, since_dispatch, from_due, count(*)::INTEGER AS n
FROM paired WHERE since_dispatch BETWEEN 0 AND 45 GROUP BY ALL
UNION ALL
SELECT 'invoices' AS kind, stage, NULL, NULL, NULL, count(*)::INTEGER AS n
FROM inv WHERE issued_at >= timezone($tz, CAST($from_day::DATE AS TIMESTAMP)) GROUP BY ALL
