-- One customer's events, newest first (ties by event id so pages are stable), with the fields the
-- timeline shows. A payment carries how many days after its invoice's due date it completed the
-- invoice (fact_invoices.paid_at: the payment that brought the paid amount to the invoice amount).
SELECT e.event_id, e.type, strftime(e.occurred_at, '%Y-%m-%dT%H:%M:%SZ') AS occurred_at,
       e.invoice_id, e.amount::DOUBLE AS amount, e.currency, strftime(e.due_date, '%Y-%m-%d') AS due_date, e.channel, e.method, e.kind, e.fee_type,
       e.fee_amount::DOUBLE AS fee_amount, e.topic, e.direction, e.offer_id, e.placement, e.reason, e.plan,
       e.monthly_price::DOUBLE AS monthly_price, e.score::DOUBLE AS score,
       CASE WHEN e.type = 'payment_received' AND f.paid_at = e.occurred_at THEN greatest(0, date_diff('day', f.due_date, f.paid_at::DATE))::INTEGER END AS days_late
FROM events e
LEFT JOIN fact_invoices f ON f.customer_id = e.customer_id AND f.invoice_id = e.invoice_id AND e.type = 'payment_received'
WHERE e.customer_id = $customer_id
ORDER BY e.occurred_at DESC, e.event_id DESC
LIMIT $limit OFFSET $offset
