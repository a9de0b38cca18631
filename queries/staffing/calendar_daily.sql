-- The invoice calendar per local day ($tz) before $cutoff: invoices dispatched and falling due by
-- the customer's stage (their first invoice after signing up; later invoices in their first year;
-- the rest), reminders, fees, failed debits, collections, and subscription starts and cancellations.
-- These are the drivers the contact forecast regresses on. Dues are listed for every due date of an
-- invoice issued before $cutoff, including due dates after it: that part of the calendar is known.
-- "First invoice" = the customer's earliest invoice issued within 45 days of their tenure start
-- (customers whose history predates the data are never mistaken for new ones).
-- Speed: ICU time-zone arithmetic (a TIMESTAMPTZ cast to a date, or plus an interval) costs about
-- a microsecond a row, seconds over 5 M invoices. So the per-customer thresholds are computed once
-- per customer, rows are counted per 15-minute UTC bucket by plain epoch arithmetic (every zone's
-- offset is a multiple of 15 minutes), and only the few thousand distinct buckets are converted.
WITH cust AS (
  SELECT customer_id,
         epoch(tenure_start + INTERVAL 45 DAY) AS first_window_end,
         epoch(tenure_start + INTERVAL 365 DAY) AS first_year_end
  FROM customer_facts
), inv AS (
  SELECT i.customer_id, epoch(i.issued_at) AS issued, i.due_date, c.first_window_end, c.first_year_end
  FROM fact_invoices i LEFT JOIN cust c USING (customer_id)
  WHERE i.issued_at < timezone($tz, $cutoff::TIMESTAMP)
), firsts AS (
  -- A first invoice is issued within 45 days of the tenure start, so only those are searched.
  SELECT customer_id, min(issued) AS first_issued
  FROM inv
  WHERE issued < first_window_end
  GROUP BY ALL
), by_bucket AS (
  SELECT (inv.issued // 900)::BIGINT AS bucket,
         inv.due_date,
         CASE
           WHEN inv.issued = f.first_issued THEN 'first'
           WHEN inv.issued < inv.first_year_end THEN 'first_year'
           ELSE 'other'
         END AS stage,
         count(*) AS n
  FROM inv LEFT JOIN firsts f USING (customer_id)
  GROUP BY ALL
), issued AS (
  SELECT CAST(timezone($tz, to_timestamp(bucket * 900)) AS DATE) AS d,
         sum(n) FILTER (WHERE stage = 'first') AS issued_first,
         sum(n) FILTER (WHERE stage = 'first_year') AS issued_first_year,
         sum(n) FILTER (WHERE stage = 'other') AS issued_other
  FROM by_bucket GROUP BY ALL
), due AS (
  SELECT due_date AS d,
         sum(n) FILTER (WHERE stage = 'first') AS due_first,
         sum(n) FILTER (WHERE stage = 'first_year') AS due_first_year,
         sum(n) FILTER (WHERE stage = 'other') AS due_other
  FROM by_bucket WHERE due_date IS NOT NULL GROUP BY ALL
), ev_bucket AS (
  SELECT (epoch(occurred_at) // 900)::BIGINT AS bucket,
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
), ev AS (
  SELECT CAST(timezone($tz, to_timestamp(bucket * 900)) AS DATE) AS d,
         sum(hard_reminders) AS hard_reminders, sum(soft_reminders) AS soft_reminders, sum(fees) AS fees,
         sum(payment_failures) AS payment_failures, sum(collections) AS collections, sum(starts) AS starts, sum(cancels) AS cancels
  FROM ev_bucket GROUP BY ALL
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
