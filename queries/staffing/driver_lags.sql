-- How the invoice calendar turns into follow-up events: per due date (a calendar date), how many
-- hard reminders, failed debits and collections followed the invoices falling due that day, and how
-- many days after it (local days in $tz). The caller takes the due dates of a window old enough for
-- the follow-ups to have happened, divides by the invoices due then (calendar_daily.sql) and
-- projects future reminders, failures and collections from the coming due dates with these rates.
-- Independent of any cutoff, so one result serves every as-of date of a data version.
-- {{followups}} holds rows of followups.sql (n = 1), or a change to apply (n = ±1): linear, like calendar_daily.sql.
SELECT (epoch(due_date) // 86400)::INTEGER AS due_day,
       kind,
       (CAST(timezone($tz, occurred_at) AS DATE) - due_date)::INTEGER AS lag,
       sum(n)::INTEGER AS n
FROM {{followups}}
WHERE due_date IS NOT NULL
GROUP BY 1, 2, 3
HAVING lag BETWEEN -5 AND 90
ORDER BY due_day, kind, lag
