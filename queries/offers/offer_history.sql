-- Per customer and offer: when it was last shown and last accepted before $exp_end (the as-of
-- date's end). The eligibility limits "not twice within N days" and "not again after acceptance"
-- read this.
SELECT customer_id, offer_id,
       max(occurred_at) FILTER (WHERE type = 'offer_shown') AS last_shown_at,
       max(occurred_at) FILTER (WHERE type = 'offer_accepted') AS last_accepted_at
FROM events
WHERE type IN ('offer_shown', 'offer_accepted') AND offer_id IS NOT NULL AND occurred_at < $exp_end::TIMESTAMPTZ
GROUP BY ALL
