-- Whether a customer who is not active at the as-of date has any history before it, and whether
-- the latest lifecycle event is a cancellation (churned) or nothing has started yet.
SELECT count(*) AS events,
       max(occurred_at) FILTER (WHERE type = 'subscription_cancelled') AS last_cancel,
       max(occurred_at) FILTER (WHERE type = 'subscription_started') AS last_start
FROM events WHERE customer_id = $customer_id AND occurred_at < $exp_end::TIMESTAMPTZ
