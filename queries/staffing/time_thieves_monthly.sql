-- The admin "time thieves" of DESIGN §2, counted per calendar month (local time, $tz) in
-- [$from_day, $to_day): paper invoices sent, payments that could not be matched to an invoice,
-- hard and soft reminders, invoices paid late (by the month they fell due; unpaid and overdue at
-- $to_day counts as late), direct-debit activations (a change to a method the payment-method map
-- classes automatic), failed transactions, and reminder fees disputed within 14 days.
WITH bounds AS (
  SELECT timezone($tz, CAST($from_day::DATE AS TIMESTAMP)) AS t0, timezone($tz, CAST($to_day::DATE AS TIMESTAMP)) AS t1
), ev AS (
  SELECT strftime(timezone($tz, e.occurred_at), '%Y-%m') AS month,
         CASE
           WHEN e.type = 'payment_unmatched' THEN 'unmatched_payments'
           WHEN e.type = 'reminder_sent' AND e.kind = 'hard' THEN 'hard_reminders'
           WHEN e.type = 'reminder_sent' THEN 'soft_reminders'
           WHEN e.type = 'payment_failed' THEN 'failed_transactions'
           ELSE 'direct_debit_activations'
         END AS item
  FROM events e, bounds b
  WHERE e.occurred_at >= b.t0 AND e.occurred_at < b.t1
    AND (e.type IN ('payment_unmatched', 'reminder_sent', 'payment_failed')
         OR (e.type = 'payment_method_changed' AND (e.method IN (SELECT label FROM payment_method_classes WHERE class = 'automatic') OR e.method ILIKE '%automatic%')))
), paper AS (
  SELECT strftime(timezone($tz, i.issued_at), '%Y-%m') AS month, 'paper_invoices' AS item
  FROM fact_invoices i, bounds b
  WHERE i.issued_at >= b.t0 AND i.issued_at < b.t1 AND i.channel = 'paper'
), late AS (
  SELECT strftime(i.due_date, '%Y-%m') AS month, 'late_payments' AS item
  FROM fact_invoices i
  WHERE i.due_date >= $from_day::DATE AND i.due_date < $to_day::DATE
    AND (CAST(timezone($tz, i.paid_at) AS DATE) > i.due_date OR (i.paid_at IS NULL AND i.due_date < $to_day::DATE - 1))
), disputed AS (
  SELECT strftime(timezone($tz, f.occurred_at), '%Y-%m') AS month, 'disputed_fees' AS item
  FROM fact_fees f, bounds b
  WHERE f.occurred_at >= b.t0 AND f.occurred_at < b.t1 AND f.disputed_at IS NOT NULL
)
SELECT month, item, count(*)::INTEGER AS n
FROM (SELECT * FROM ev UNION ALL SELECT * FROM paper UNION ALL SELECT * FROM late UNION ALL SELECT * FROM disputed)
GROUP BY ALL
ORDER BY month, item
