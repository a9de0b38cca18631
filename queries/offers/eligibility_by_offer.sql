-- Per offer, over the filtered scored customers: how many its target rule selects and how many of
-- those the eligibility limits let through.
SELECT c.offer_id,
       count(*) AS targeted,
       count(*) FILTER (WHERE NOT (c.blocked_cooldown OR c.blocked_after_acceptance OR c.blocked_recent_offer)) AS eligible
FROM filtered f JOIN {{candidates}} c USING (customer_id)
GROUP BY c.offer_id
