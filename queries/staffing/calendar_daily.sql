-- The invoice calendar per local day ($tz): invoices dispatched by the customer's stage (first invoice, later
-- first-year invoice, other), reminders, fees, failed debits, collections, subscription starts and cancellations —
-- and invoices falling due, per due date *and issue day*, so that a caller planning from any cutoff counts only the
-- due dates of invoices issued before it (that part of the future calendar is known; the rest is projected).
-- These are the drivers the contact forecast regresses on. The query does not depend on a cutoff, so its result
-- serves every as-of date of one data version.
-- Rows: `issue_day` NULL = a day row (issued_*, events); otherwise a due row (day = due date).
-- Linear in its inputs, so it also gives a change to apply (service/staffing/calendar-store.ts):
-- {{stages}} holds (bucket, due_date, stage, n) rows of invoice_stages.sql — every customer's, or the touched
-- customers' new rows with their old ones at -n — and the events counted are those of the batches in
-- ($after, $upto] ($after NULL: every event).
-- Speed: rows are counted per 15-minute UTC bucket (every zone's offset is a multiple of 15 minutes), and only the
-- distinct buckets go through the ICU conversion to a local date (about a microsecond each).
WITH by_bucket AS (
  SELECT bucket, due_date, stage, sum(n) AS n
  FROM {{stages}}
  GROUP BY ALL
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
    AND ($after::BIGINT IS NULL OR (batch_id > $after::BIGINT AND batch_id <= $upto::BIGINT))
  GROUP BY ALL
), bucket_day AS (
  SELECT bucket, CAST(timezone($tz, to_timestamp(bucket * 900)) AS DATE) AS d
  FROM (SELECT bucket FROM by_bucket UNION SELECT bucket FROM ev_bucket)
), issued AS (
  SELECT b.d,
         sum(n) FILTER (WHERE stage = 'first') AS issued_first,
         sum(n) FILTER (WHERE stage = 'first_year') AS issued_first_year,
         sum(n) FILTER (WHERE stage = 'other') AS issued_other
  FROM by_bucket JOIN bucket_day b USING (bucket) GROUP BY ALL
), ev AS (
  SELECT b.d,
         sum(hard_reminders) AS hard_reminders, sum(soft_reminders) AS soft_reminders, sum(fees) AS fees,
         sum(payment_failures) AS payment_failures, sum(collections) AS collections, sum(starts) AS starts, sum(cancels) AS cancels
  FROM ev_bucket JOIN bucket_day b USING (bucket) GROUP BY ALL
), due AS (
  SELECT x.due_date AS d, b.d AS issue_d,
         sum(n) FILTER (WHERE stage = 'first') AS due_first,
         sum(n) FILTER (WHERE stage = 'first_year') AS due_first_year,
         sum(n) FILTER (WHERE stage = 'other') AS due_other
  FROM by_bucket x JOIN bucket_day b USING (bucket)
  WHERE x.due_date IS NOT NULL
  GROUP BY ALL
)
-- Long to wide by UNION ALL BY NAME (absent columns are NULL) and one GROUP BY: plain and robust,
-- where a chain of FULL JOIN … USING would have to coalesce the day key at every step.
SELECT (epoch(d) // 86400)::INTEGER AS day,
       (epoch(issue_d) // 86400)::INTEGER AS issue_day,
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
FROM (SELECT * FROM issued UNION ALL BY NAME SELECT * FROM ev UNION ALL BY NAME SELECT * FROM due)
GROUP BY d, issue_d
ORDER BY day, issue_day NULLS FIRST
