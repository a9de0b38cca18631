-- Past offer performance (observational): every offer_shown with full follow-up (shown at least
-- $horizon_days before the end of the as-of day, $exp_end), whether the customer accepted it within
-- $window_days, and whether they cancelled within $horizon_days of the showing. The time origin is
-- the showing for both groups, so accepters get no "immortal" days. Segments ({{by}}) are the
-- customers' current values from the filtered lifetime base, which still holds churned customers.
WITH shown AS (
  SELECT event_id, customer_id, offer_id, occurred_at FROM events
  WHERE type = 'offer_shown' AND offer_id IS NOT NULL AND occurred_at < $exp_end::TIMESTAMPTZ - to_days($horizon_days::INTEGER)
), accepted AS (
  SELECT customer_id, offer_id, occurred_at FROM events WHERE type = 'offer_accepted' AND offer_id IS NOT NULL AND occurred_at < $exp_end::TIMESTAMPTZ
), cancelled AS (
  SELECT customer_id, occurred_at FROM events WHERE type = 'subscription_cancelled' AND occurred_at < $exp_end::TIMESTAMPTZ
), showings AS (
  SELECT s.event_id, s.customer_id, s.offer_id, min(s.occurred_at) AS shown_at,
         bool_or(a.occurred_at IS NOT NULL) AS accepted
  FROM shown s LEFT JOIN accepted a
    ON a.customer_id = s.customer_id AND a.offer_id = s.offer_id
   AND a.occurred_at >= s.occurred_at AND a.occurred_at <= s.occurred_at + to_days($window_days::INTEGER)
  GROUP BY s.event_id, s.customer_id, s.offer_id
), outcome AS (
  SELECT w.*, bool_or(c.occurred_at IS NOT NULL) AS churned
  FROM showings w LEFT JOIN cancelled c
    ON c.customer_id = w.customer_id AND c.occurred_at > w.shown_at AND c.occurred_at <= w.shown_at + to_days($horizon_days::INTEGER)
  GROUP BY ALL
)
SELECT o.offer_id,
       CASE WHEN grouping(f.{{by}}) = 1 THEN 'all' ELSE f.{{by}}::VARCHAR END AS segment,
       count(*) AS shown,
       count(DISTINCT o.customer_id) AS customers,
       count(*) FILTER (WHERE o.accepted) AS accepted,
       count(*) FILTER (WHERE o.accepted AND o.churned) AS accepted_churned,
       count(*) FILTER (WHERE NOT o.accepted) AS not_accepted,
       count(*) FILTER (WHERE NOT o.accepted AND o.churned) AS not_accepted_churned,
       strftime(min(o.shown_at), '%Y-%m-%d') AS first_shown
FROM outcome o JOIN filtered f USING (customer_id)
GROUP BY GROUPING SETS ((o.offer_id), (o.offer_id, f.{{by}}))
ORDER BY o.offer_id, segment
