-- The admin "time thieves" of docs/domain.md, counted per calendar month (local time, $tz) in
-- [$from_day, $to_day): paper invoices sent, payments that could not be matched to an invoice,
-- hard and soft reminders, invoices paid late (by the month they fell due; late = not paid in full by
-- the end of the due date in UTC, as in the churn analyses; unpaid at $to_day counts as late),
-- direct-debit activations (a change to a method the payment-method map classes automatic), failed
-- transactions, and reminder fees disputed within 14 days.
-- Speed: rows are counted per 15-minute UTC bucket with plain epoch arithmetic and only the distinct
-- buckets are converted to local months (ICU conversions cost about a microsecond a row).
WITH bounds AS (
  SELECT timezone($tz, CAST($from_day::DATE AS TIMESTAMP)) AS t0, timezone($tz, CAST($to_day::DATE AS TIMESTAMP)) AS t1
), automatic AS (
  SELECT label FROM payment_method_classes WHERE class = 'automatic'
), ev AS (
  SELECT (epoch(e.occurred_at) // 900)::BIGINT AS bucket,
         CASE
           WHEN e.type = 'payment_unmatched' THEN 'unmatched_payments'
           WHEN e.type = 'reminder_sent' AND e.kind = 'hard' THEN 'hard_reminders'
           WHEN e.type = 'reminder_sent' THEN 'soft_reminders'
           WHEN e.type = 'payment_failed' THEN 'failed_transactions'
           ELSE 'direct_debit_activations'
         END AS item,
         count(*) AS n
  FROM events e, bounds b
  WHERE e.occurred_at >= b.t0 AND e.occurred_at < b.t1
    AND (e.type IN ('payment_unmatched', 'reminder_sent', 'payment_failed')
         OR (e.type = 'payment_method_changed' AND (e.method IN (SELECT label FROM automatic) OR e.method ILIKE '%automatic%')))
  GROUP BY ALL
), paper AS (
  SELECT (epoch(i.issued_at) // 900)::BIGINT AS bucket, 'paper_invoices' AS item, count(*) AS n
  FROM fact_invoices i, bounds b
  WHERE i.issued_at >= b.t0 AND i.issued_at < b.t1 AND i.channel = 'paper'
  GROUP BY ALL
), disputed AS (
  SELECT (epoch(f.occurred_at) // 900)::BIGINT AS bucket, 'disputed_fees' AS item, count(*) AS n
  FROM fact_fees f, bounds b
  WHERE f.occurred_at >= b.t0 AND f.occurred_at < b.t1 AND f.disputed_at IS NOT NULL
  GROUP BY ALL
), bucketed AS (
  SELECT * FROM ev UNION ALL SELECT * FROM paper UNION ALL SELECT * FROM disputed
), months AS (
  SELECT bucket, strftime(timezone($tz, to_timestamp(bucket * 900)), '%Y-%m') AS month FROM (SELECT DISTINCT bucket FROM bucketed)
), late AS (
  SELECT strftime(i.due_date, '%Y-%m') AS month, 'late_payments' AS item, count(*) AS n
  FROM fact_invoices i
  WHERE i.due_date >= $from_day::DATE AND i.due_date < $to_day::DATE
    AND ((i.paid_at IS NOT NULL AND epoch(i.paid_at) >= epoch(CAST(i.due_date + 1 AS TIMESTAMP)))
         OR (i.paid_at IS NULL AND i.due_date < $to_day::DATE - 1))
  GROUP BY ALL
)
SELECT month, item, sum(n)::INTEGER AS n
FROM (SELECT m.month, b.item, b.n FROM bucketed b JOIN months m USING (bucket) UNION ALL SELECT month, item, n FROM late)
GROUP BY ALL
ORDER BY month, item
