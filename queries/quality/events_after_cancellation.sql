-- Events dated after a customer's final cancellation (one no later subscription_started follows)
-- that a cancelled subscription cannot have: a plan change, a payment-method change, an accepted
-- offer, or anything more than 90 days later (a final invoice, its payment, reminders, collection
-- and an exit survey fall within the settlement period and are expected).
WITH life AS (
  SELECT customer_id,
         max(occurred_at) FILTER (WHERE type = 'subscription_cancelled') AS cancelled_at,
         max(occurred_at) FILTER (WHERE type = 'subscription_started') AS started_at
  FROM events WHERE type IN ('subscription_cancelled', 'subscription_started') GROUP BY customer_id
), final AS (
  SELECT customer_id, cancelled_at FROM life WHERE cancelled_at IS NOT NULL AND (started_at IS NULL OR started_at < cancelled_at)
), after AS (
  SELECT e.customer_id, e.type, e.event_id, e.occurred_at, f.cancelled_at
  FROM events e JOIN final f USING (customer_id)
  WHERE e.occurred_at > f.cancelled_at
    AND (e.type IN ('plan_changed', 'payment_method_changed', 'offer_accepted') OR e.occurred_at > f.cancelled_at + INTERVAL 90 DAY)
)
SELECT (SELECT count(*) FROM after) AS events,
       (SELECT count(DISTINCT customer_id) FROM after) AS customers,
       (SELECT list({'type': type, 'events': n} ORDER BY n DESC, type) FROM (SELECT type, count(*) AS n FROM after GROUP BY type)) AS by_type,
       (SELECT list({'customer_id': customer_id, 'event_id': event_id, 'type': type,
                     'occurred_at': strftime(occurred_at, '%Y-%m-%dT%H:%M:%SZ'), 'cancelled_at': strftime(cancelled_at, '%Y-%m-%dT%H:%M:%SZ')}
                    ORDER BY occurred_at - cancelled_at DESC, event_id)[1:5] FROM after) AS examples
