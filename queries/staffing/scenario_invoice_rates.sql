-- The measured relationships the what-if scenarios propagate through, per payment-method class
-- (the customer's predominant class, as in the churn analyses): for invoices falling due in
-- [$from_day, $to_day), how many were paid late, drew a soft or a hard reminder, a reminder fee (and
-- a dispute of it), a failed debit or a collection, and how many payment contacts followed a hard
-- reminder or a failed debit, against the same customers' background rate in a comparable window
-- without one. "Late" = not paid in full by the end of the due date (docs/definitions.md). "Unpaid at the
-- reminder" = not paid by 07:00 UTC on the due date, when soft reminders go out: the contrast of
-- invoices with and without a soft reminder among those measures what a soft reminder rescues.
-- Unmatched payments carry no invoice, so they are counted per class over the same period.
WITH cls AS (
  SELECT customer_id, coalesce(payment_method_class, 'unknown') AS class, invoice_channel FROM customer_facts
), inv AS (
  SELECT i.customer_id, i.invoice_id, i.due_date, i.issued_at, i.paid_at, i.soft_reminders, i.hard_reminders,
         coalesce(c.class, 'unknown') AS class,
         -- epoch arithmetic in UTC (as the churn analyses define lateness); no per-row time-zone work
         i.paid_at IS NULL OR epoch(i.paid_at) >= epoch(CAST(i.due_date + 1 AS TIMESTAMP)) AS late,
         i.paid_at IS NULL OR epoch(i.paid_at) >= epoch(CAST(i.due_date AS TIMESTAMP)) + 7 * 3600 AS unpaid_at_reminder
  FROM fact_invoices i LEFT JOIN cls c USING (customer_id)
  WHERE i.due_date >= $from_day::DATE AND i.due_date < $to_day::DATE
), follow AS (
  SELECT e.customer_id, e.invoice_id, e.type, epoch(min(e.occurred_at)) AS at
  FROM events e SEMI JOIN inv i ON e.customer_id = i.customer_id AND e.invoice_id = i.invoice_id
  WHERE (e.type = 'reminder_sent' AND e.kind = 'hard') OR e.type IN ('payment_failed', 'collection_started')
  GROUP BY ALL
), fees AS (
  SELECT f.customer_id, f.invoice_id, count(*) AS fees, count(f.disputed_at) AS disputed, sum(f.amount)::DOUBLE AS amount
  FROM fact_fees f SEMI JOIN inv i ON f.customer_id = i.customer_id AND f.invoice_id = i.invoice_id
  GROUP BY ALL
), contacts AS (
  SELECT customer_id, epoch(occurred_at) AS at, topic FROM events
  WHERE type = 'contact' AND coalesce(direction, 'inbound') = 'inbound' AND topic IN ('payment', 'fee')
), per_invoice AS (
  SELECT i.*, h.at AS hard_at, pf.at AS failed_at, co.at AS collection_at,
         coalesce(fe.fees, 0) AS fees, coalesce(fe.disputed, 0) AS disputed, coalesce(fe.amount, 0) AS fee_amount,
         -- windows of the same length for the reaction and the background rate
         epoch(CAST(i.due_date AS TIMESTAMP)) AS due_epoch,
         coalesce(h.at, epoch(CAST(i.due_date AS TIMESTAMP)) + 8 * 86400) AS hard_window_start,
         coalesce(pf.at, epoch(CAST(i.due_date AS TIMESTAMP))) AS fail_window_start
  FROM inv i
  LEFT JOIN follow h ON h.customer_id = i.customer_id AND h.invoice_id = i.invoice_id AND h.type = 'reminder_sent'
  LEFT JOIN follow pf ON pf.customer_id = i.customer_id AND pf.invoice_id = i.invoice_id AND pf.type = 'payment_failed'
  LEFT JOIN follow co ON co.customer_id = i.customer_id AND co.invoice_id = i.invoice_id AND co.type = 'collection_started'
  LEFT JOIN fees fe ON fe.customer_id = i.customer_id AND fe.invoice_id = i.invoice_id
), reactions AS (
  SELECT p.customer_id, p.invoice_id,
         count(*) FILTER (WHERE c.topic = 'payment' AND c.at >= p.hard_window_start AND c.at < p.hard_window_start + 5 * 86400) AS pay_after_hard,
         count(*) FILTER (WHERE c.topic = 'payment' AND c.at >= p.fail_window_start AND c.at < p.fail_window_start + 3 * 86400) AS pay_after_fail,
         count(*) FILTER (WHERE c.topic = 'fee' AND p.fees > 0 AND c.at >= p.hard_at AND c.at < p.hard_at + 14 * 86400) AS fee_contacts
  FROM per_invoice p JOIN contacts c ON c.customer_id = p.customer_id
  WHERE c.at >= p.due_epoch - 86400 AND c.at < p.due_epoch + 40 * 86400
  GROUP BY ALL
), unmatched AS (
  SELECT coalesce(c.class, 'unknown') AS class, count(*) AS unmatched
  FROM events e LEFT JOIN cls c USING (customer_id)
  WHERE e.type = 'payment_unmatched' AND e.occurred_at >= CAST($from_day::DATE AS TIMESTAMP) AND e.occurred_at < CAST($to_day::DATE AS TIMESTAMP)
  GROUP BY ALL
), by_class AS (
  SELECT p.class,
         count(*) AS invoices,
         count(DISTINCT p.customer_id) AS customers,
         count(*) FILTER (WHERE p.late) AS late,
         count(*) FILTER (WHERE p.hard_at IS NOT NULL) AS hard_reminders,
         count(*) FILTER (WHERE p.soft_reminders > 0) AS soft_reminders,
         count(*) FILTER (WHERE p.unpaid_at_reminder AND p.soft_reminders > 0) AS unpaid_reminded,
         count(*) FILTER (WHERE p.unpaid_at_reminder AND p.soft_reminders > 0 AND p.late) AS unpaid_reminded_late,
         count(*) FILTER (WHERE p.unpaid_at_reminder AND p.soft_reminders = 0) AS unpaid_not_reminded,
         count(*) FILTER (WHERE p.unpaid_at_reminder AND p.soft_reminders = 0 AND p.late) AS unpaid_not_reminded_late,
         count(*) FILTER (WHERE p.failed_at IS NOT NULL) AS payment_failures,
         count(*) FILTER (WHERE p.collection_at IS NOT NULL) AS collections,
         sum(p.fees) AS fees,
         sum(p.disputed) AS disputed_fees,
         sum(p.fee_amount) AS fee_amount,
         sum(coalesce(r.fee_contacts, 0)) FILTER (WHERE p.fees > 0) AS fee_contacts,
         sum(coalesce(r.pay_after_hard, 0)) FILTER (WHERE p.hard_at IS NOT NULL) AS pay_contacts_after_hard,
         sum(coalesce(r.pay_after_hard, 0)) FILTER (WHERE p.hard_at IS NULL) AS pay_contacts_background_hard,
         sum(coalesce(r.pay_after_fail, 0)) FILTER (WHERE p.failed_at IS NOT NULL) AS pay_contacts_after_fail,
         sum(coalesce(r.pay_after_fail, 0)) FILTER (WHERE p.failed_at IS NULL) AS pay_contacts_background_fail
  FROM per_invoice p LEFT JOIN reactions r USING (customer_id, invoice_id)
  GROUP BY ALL
)
SELECT b.class,
       b.invoices::INTEGER AS invoices, b.customers::INTEGER AS customers, b.late::INTEGER AS late,
       b.hard_reminders::INTEGER AS hard_reminders, b.soft_reminders::INTEGER AS soft_reminders,
       b.unpaid_reminded::INTEGER AS unpaid_reminded, b.unpaid_reminded_late::INTEGER AS unpaid_reminded_late,
       b.unpaid_not_reminded::INTEGER AS unpaid_not_reminded, b.unpaid_not_reminded_late::INTEGER AS unpaid_not_reminded_late,
       b.payment_failures::INTEGER AS payment_failures, b.collections::INTEGER AS collections,
       coalesce(b.fees, 0)::INTEGER AS fees, coalesce(b.disputed_fees, 0)::INTEGER AS disputed_fees, coalesce(b.fee_amount, 0)::DOUBLE AS fee_amount,
       coalesce(b.fee_contacts, 0)::INTEGER AS fee_contacts,
       coalesce(b.pay_contacts_after_hard, 0)::INTEGER AS pay_contacts_after_hard,
       coalesce(b.pay_contacts_background_hard, 0)::INTEGER AS pay_contacts_background_hard,
       coalesce(b.pay_contacts_after_fail, 0)::INTEGER AS pay_contacts_after_fail,
       coalesce(b.pay_contacts_background_fail, 0)::INTEGER AS pay_contacts_background_fail,
       coalesce(u.unmatched, 0)::INTEGER AS unmatched_payments
FROM by_class b LEFT JOIN unmatched u USING (class)
ORDER BY b.class
