-- How the invoice calendar turns into follow-up events: for invoices falling due in
-- [$from_day, $to_day) (old enough for their reminders, failed debits and collections to have
-- happened), how many of each follow-up came how many days after the due date. The forecast
-- projects future reminders, failures and collections from the coming due dates with these rates.
WITH inv AS (
  SELECT customer_id, invoice_id, due_date
  FROM fact_invoices
  WHERE due_date >= $from_day::DATE AND due_date < $to_day::DATE
), follow AS (
  SELECT CASE WHEN e.type = 'reminder_sent' THEN 'hard_reminders' WHEN e.type = 'payment_failed' THEN 'payment_failures' ELSE 'collections' END AS kind,
         (CAST(timezone($tz, e.occurred_at) AS DATE) - i.due_date)::INTEGER AS lag
  FROM events e
  JOIN inv i ON e.customer_id = i.customer_id AND e.invoice_id = i.invoice_id
  WHERE ((e.type = 'reminder_sent' AND e.kind = 'hard') OR e.type IN ('payment_failed', 'collection_started'))
    -- follow-ups happen from a few days before to 90 days after the due date; the bound lets DuckDB skip older row groups
    AND e.occurred_at >= CAST($from_day::DATE AS TIMESTAMP) - INTERVAL 6 DAY
    AND e.occurred_at < CAST($to_day::DATE AS TIMESTAMP) + INTERVAL 92 DAY
)
SELECT 'invoices' AS kind, 0 AS lag, count(*)::INTEGER AS n FROM inv
UNION ALL
SELECT kind, lag, count(*)::INTEGER AS n FROM follow WHERE lag BETWEEN -5 AND 90 GROUP BY ALL
ORDER BY kind, lag
