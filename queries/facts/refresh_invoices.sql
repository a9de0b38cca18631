-- Per-invoice facts for the invoices the batches in ($after, $upto] touched: amount, due date, channel, when it was paid
-- in full (the first moment cumulative payments reach the amount), first view, reminders.
-- $after NULL rebuilds every invoice. Invoices are keyed by (customer_id, invoice_id). Payments that arrive before their invoice are
-- picked up when the invoice arrives, because that batch touches the pair too.
DELETE FROM fact_invoices f USING (
  SELECT DISTINCT customer_id, invoice_id FROM events WHERE ($after::BIGINT IS NULL OR (batch_id > $after::BIGINT AND batch_id <= $upto::BIGINT)) AND invoice_id IS NOT NULL
) t WHERE f.customer_id = t.customer_id AND f.invoice_id = t.invoice_id;

INSERT INTO fact_invoices
WITH touched AS (
  SELECT DISTINCT customer_id, invoice_id FROM events WHERE ($after::BIGINT IS NULL OR (batch_id > $after::BIGINT AND batch_id <= $upto::BIGINT)) AND invoice_id IS NOT NULL
), ev AS (
  SELECT e.customer_id, e.invoice_id, e.type, e.occurred_at, e.event_id, e.amount, e.due_date, e.channel, e.kind
  FROM events e SEMI JOIN touched t ON e.customer_id = t.customer_id AND e.invoice_id = t.invoice_id
  WHERE e.type IN ('invoice_issued', 'payment_received', 'invoice_viewed', 'reminder_sent')
), issued AS (
  SELECT customer_id, invoice_id,
         min(occurred_at) AS issued_at,
         arg_min(due_date, occurred_at) AS due_date,
         arg_min(amount, occurred_at) AS amount,
         arg_min(channel, occurred_at) AS channel
  FROM ev WHERE type = 'invoice_issued' GROUP BY ALL
), paid AS (
  SELECT p.customer_id, p.invoice_id, sum(p.amount) AS paid_amount,
         min(p.cum_at) FILTER (WHERE p.cum >= i.amount) AS paid_at
  FROM (
    SELECT customer_id, invoice_id, amount, occurred_at AS cum_at,
           sum(amount) OVER (PARTITION BY customer_id, invoice_id ORDER BY occurred_at, event_id) AS cum
    FROM ev WHERE type = 'payment_received'
  ) p JOIN issued i USING (customer_id, invoice_id)
  GROUP BY ALL
), other AS (
  SELECT customer_id, invoice_id,
         min(occurred_at) FILTER (WHERE type = 'invoice_viewed') AS first_viewed_at,
         count(*) FILTER (WHERE type = 'reminder_sent' AND kind = 'soft') AS soft_reminders,
         count(*) FILTER (WHERE type = 'reminder_sent' AND kind = 'hard') AS hard_reminders
  FROM ev GROUP BY ALL
)
SELECT i.customer_id, i.invoice_id, i.issued_at, i.due_date, i.amount, i.channel,
       coalesce(p.paid_amount, 0), p.paid_at, o.first_viewed_at,
       coalesce(o.soft_reminders, 0), coalesce(o.hard_reminders, 0)
FROM issued i
LEFT JOIN paid p USING (customer_id, invoice_id)
LEFT JOIN other o USING (customer_id, invoice_id);
