-- How the invoice calendar turns into follow-up events: per due date (a calendar date), how many
-- hard reminders, failed debits and collections followed the invoices falling due that day, and how
-- many days after it (local days in $tz). The caller takes the due dates of a window old enough for
-- the follow-ups to have happened, divides by the invoices due then (calendar_daily.sql) and
-- projects future reminders, failures and collections from the coming due dates with these rates.
-- Independent of any cutoff, so one result serves every as-of date of a data version.
SELECT (epoch(i.due_date) // 86400)::INTEGER AS due_day,
       CASE WHEN e.type = 'reminder_sent' THEN 'hard_reminders' WHEN e.type = 'payment_failed' THEN 'payment_failures' ELSE 'collections' END AS kind,
       (CAST(timezone($tz, e.occurred_at) AS DATE) - i.due_date)::INTEGER AS lag,
       count(*)::INTEGER AS n
FROM events e
JOIN fact_invoices i ON e.customer_id = i.customer_id AND e.invoice_id = i.invoice_id
WHERE ((e.type = 'reminder_sent' AND e.kind = 'hard') OR e.type IN ('payment_failed', 'collection_started'))
  AND i.due_date IS NOT NULL
GROUP BY 1, 2, 3
HAVING lag BETWEEN -5 AND 90
ORDER BY due_day, kind, lag
