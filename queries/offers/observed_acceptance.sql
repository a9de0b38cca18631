-- Observed acceptance per offer: every offer_shown at least $window_days before the end of the as-of
-- day ($exp_end), so each had its full acceptance window, and whether the same customer accepted
-- the same offer within $window_days after it.
WITH shown AS (
  SELECT event_id, customer_id, offer_id, occurred_at FROM events
  WHERE type = 'offer_shown' AND offer_id IS NOT NULL AND occurred_at < $exp_end::TIMESTAMPTZ - to_days($window_days::INTEGER)
), accepted AS (
  SELECT customer_id, offer_id, occurred_at FROM events
  WHERE type = 'offer_accepted' AND offer_id IS NOT NULL AND occurred_at < $exp_end::TIMESTAMPTZ
), showings AS (
  SELECT s.event_id, s.offer_id, bool_or(a.occurred_at IS NOT NULL) AS accepted
  FROM shown s LEFT JOIN accepted a
    ON a.customer_id = s.customer_id AND a.offer_id = s.offer_id
   AND a.occurred_at >= s.occurred_at AND a.occurred_at <= s.occurred_at + to_days($window_days::INTEGER)
  GROUP BY s.event_id, s.offer_id
)
SELECT offer_id, count(*) AS shown, count(*) FILTER (WHERE accepted) AS accepted
FROM showings GROUP BY offer_id ORDER BY offer_id
