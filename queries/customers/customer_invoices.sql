-- One customer's invoices with their lateness as docs/definitions.md counts it: on time = paid in
-- full by the due date; late = paid in full after it; unpaid and past the due date = unpaid_overdue
-- (counts as late); otherwise open. Newest first.
SELECT invoice_id, strftime(issued_at, '%Y-%m-%dT%H:%M:%SZ') AS issued_at, strftime(due_date, '%Y-%m-%d') AS due_date, amount::DOUBLE AS amount,
       strftime(paid_at, '%Y-%m-%dT%H:%M:%SZ') AS paid_at,
       CASE WHEN paid_at IS NOT NULL AND paid_at::DATE <= due_date THEN 'on_time'
            WHEN paid_at IS NOT NULL THEN 'late'
            WHEN due_date < current_date THEN 'unpaid_overdue'
            ELSE 'open' END AS status,
       CASE WHEN paid_at IS NOT NULL THEN greatest(0, date_diff('day', due_date, paid_at::DATE))
            WHEN due_date < current_date THEN date_diff('day', due_date, current_date) END::INTEGER AS days_late,
       (coalesce(soft_reminders, 0) + coalesce(hard_reminders, 0))::INTEGER AS reminders
FROM fact_invoices WHERE customer_id = $customer_id
ORDER BY issued_at DESC NULLS LAST, invoice_id DESC
