-- Outcomes per group of a campaign since its as-of date: members, those shown the campaign's
-- offer (offer_shown of that offer after the campaign started: in the hold-out this is
-- contamination), those who accepted it, and those who churned (a cancellation after the start
-- that no later start follows, up to $until).
WITH m AS (
  SELECT * FROM offer_campaign_members WHERE campaign_id = $campaign_id::VARCHAR
), ev AS (
  SELECT e.customer_id,
         bool_or(e.type = 'offer_shown' AND e.offer_id = m.offer_id) AS shown,
         bool_or(e.type = 'offer_accepted' AND e.offer_id = m.offer_id) AS accepted,
         max(e.occurred_at) FILTER (WHERE e.type = 'subscription_cancelled') AS last_cancel,
         max(e.occurred_at) FILTER (WHERE e.type = 'subscription_started') AS last_start
  FROM events e JOIN m USING (customer_id)
  WHERE e.occurred_at >= $start::TIMESTAMPTZ AND e.occurred_at < $until::TIMESTAMPTZ
    AND e.type IN ('offer_shown', 'offer_accepted', 'subscription_cancelled', 'subscription_started')
  GROUP BY e.customer_id
)
SELECT m.grp, count(*) AS members,
       count(*) FILTER (WHERE ev.shown) AS shown,
       count(*) FILTER (WHERE ev.accepted) AS accepted,
       count(*) FILTER (WHERE ev.last_cancel IS NOT NULL AND (ev.last_start IS NULL OR ev.last_cancel > ev.last_start)) AS churned
FROM m LEFT JOIN ev USING (customer_id)
GROUP BY m.grp
ORDER BY m.grp
