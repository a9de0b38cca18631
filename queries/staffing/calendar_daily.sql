-- The invoice calendar per local day ($tz) before $cutoff: invoices dispatched and falling due by
-- the customer's stage (their first invoice after signing up; later invoices in their first year;
-- the rest), reminders, fees, failed debits, collections, and subscription starts and cancellations.
-- These are the drivers the contact forecast regresses on. Dues are listed for every due date of an
-- invoice issued before $cutoff, including due dates after it: that part of the calendar is known.
-- "First invoice" = the customer's earliest invoice, issued within 45 days of their tenure start
-- (customers whose history predates the data are never mistaken for new ones).
WITH firsts AS (
  SELECT customer_id, min(issued_at) AS first_issued
  FROM fact_invoices
  WHERE issued_at < timezone($tz, $cutoff::TIMESTAMP)
  GROUP BY ALL
), inv AS (
  SELECT CAST(timezone($tz, i.issued_at) AS DATE) AS issue_day,
         i.due_date,
         CASE
           WHEN i.issued_at = f.first_issued AND i.issued_at < cf.tenure_start + INTERVAL 45 DAY THEN 'first'
           WHEN i.issued_at < cf.tenure_start + INTERVAL 365 DAY THEN 'first_year'
           ELSE 'other'
         END AS stage
  FROM fact_invoices i
  JOIN firsts f USING (customer_id)
  LEFT JOIN customer_facts cf USING (customer_id)
  WHERE i.issued_at < timezone($tz, $cutoff::TIMESTAMP)
), issued AS (
  SELECT issue_day AS d,
         count(*) FILTER (WHERE stage = 'first') AS issued_first,
         count(*) FILTER (WHERE stage = 'first_year') AS issued_first_year,
         count(*) FILTER (WHERE stage = 'other') AS issued_other
  FROM inv GROUP BY ALL
), due AS (
  SELECT due_date AS d,
         count(*) FILTER (WHERE stage = 'first') AS due_first,
         count(*) FILTER (WHERE stage = 'first_year') AS due_first_year,
         count(*) FILTER (WHERE stage = 'other') AS due_other
  FROM inv WHERE due_date IS NOT NULL GROUP BY ALL
), ev AS (
  SELECT CAST(timezone($tz, occurred_at) AS DATE) AS d,
         count(*) FILTER (WHERE type = 'reminder_sent' AND kind = 'hard') AS hard_reminders,
         count(*) FILTER (WHERE type = 'reminder_sent' AND kind = 'soft') AS soft_reminders,
         count(*) FILTER (WHERE type = 'fee_charged') AS fees,
         count(*) FILTER (WHERE type = 'payment_failed') AS payment_failures,
         count(*) FILTER (WHERE type = 'collection_started') AS collections,
         count(*) FILTER (WHERE type = 'subscription_started') AS starts,
         count(*) FILTER (WHERE type = 'subscription_cancelled') AS cancels
  FROM events
  WHERE type IN ('reminder_sent', 'fee_charged', 'payment_failed', 'collection_started', 'subscription_started', 'subscription_cancelled')
    AND occurred_at < timezone($tz, $cutoff::TIMESTAMP)
  GROUP BY ALL
)
-- Long to wide by UNION ALL BY NAME (absent columns are NULL) and one GROUP BY: plain and robust,
-- where a chain of FULL JOIN … USING would have to coalesce the day key at every step.
SELECT (epoch(d) // 86400)::INTEGER AS day,
       coalesce(sum(issued_first), 0)::INTEGER AS issued_first,
       coalesce(sum(issued_first_year), 0)::INTEGER AS issued_first_year,
       coalesce(sum(issued_other), 0)::INTEGER AS issued_other,
       coalesce(sum(due_first), 0)::INTEGER AS due_first,
       coalesce(sum(due_first_year), 0)::INTEGER AS due_first_year,
       coalesce(sum(due_other), 0)::INTEGER AS due_other,
       coalesce(sum(hard_reminders), 0)::INTEGER AS hard_reminders,
       coalesce(sum(soft_reminders), 0)::INTEGER AS soft_reminders,
       coalesce(sum(fees), 0)::INTEGER AS fees,
       coalesce(sum(payment_failures), 0)::INTEGER AS payment_failures,
       coalesce(sum(collections), 0)::INTEGER AS collections,
       coalesce(sum(starts), 0)::INTEGER AS starts,
       coalesce(sum(cancels), 0)::INTEGER AS cancels
FROM (SELECT * FROM issued UNION ALL BY NAME SELECT * FROM due UNION ALL BY NAME SELECT * FROM ev)
GROUP BY d
ORDER BY day
