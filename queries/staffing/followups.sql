-- The follow-ups of invoices that the forecast projects from the coming due dates: every hard reminder, failed
-- debit and collection of the batches in ($after, $upto] ($after NULL: every one) that names an invoice, with the
-- invoice's due date from {{invoices}} (fact_invoices, or the touched customers' copy of it: base-sql.ts), NULL
-- while the invoice itself has not arrived. Events are immutable, so the stored calendars
-- (service/staffing/calendar-store.ts) append each batch's follow-ups and only re-date stored ones when a
-- touched customer's invoice changes; the join that did this for every event on every data version cost 0.2–0.3 s
-- on the default sample and about 1 s on the large one.
SELECT e.customer_id, e.invoice_id, i.due_date,
       CASE WHEN e.type = 'reminder_sent' THEN 'hard_reminders' WHEN e.type = 'payment_failed' THEN 'payment_failures' ELSE 'collections' END AS kind,
       e.occurred_at,
       1 AS n
FROM events e
LEFT JOIN {{invoices}} i ON e.customer_id = i.customer_id AND e.invoice_id = i.invoice_id
WHERE ((e.type = 'reminder_sent' AND e.kind = 'hard') OR e.type IN ('payment_failed', 'collection_started'))
  AND e.invoice_id IS NOT NULL
  AND ($after::BIGINT IS NULL OR (e.batch_id > $after::BIGINT AND e.batch_id <= $upto::BIGINT))
