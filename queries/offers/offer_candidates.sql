-- The customers one offer targets ({{@target}}), with the eligibility limits that block it and its
-- expected value for each of them (docs/recommendations.md):
--   expected_reduction = risk × effect × acceptance   (drop in churn probability within the horizon)
--   cost_per_acceptor  = monthly cost + discount share × monthly price   (reporting currency)
--   expected_value     = expected_reduction × monthly price − acceptance × cost_per_acceptor
-- Blocks are computed against the end of the as-of day ($exp_end); churned customers never appear
-- because {{scored}} holds only customers active at the as-of date.
INSERT INTO {{candidates}}
SELECT s.customer_id,
       $offer_id::VARCHAR AS offer_id,
       $position::INTEGER AS position,
       CASE WHEN $channel::VARCHAR = 'best_opened' THEN s.best_opened_channel ELSE $channel::VARCHAR END AS channel,
       coalesce(h.last_shown_at >= $exp_end::TIMESTAMPTZ - to_days($cooldown_days::INTEGER), false) AS blocked_cooldown,
       coalesce(h.last_accepted_at >= $exp_end::TIMESTAMPTZ - to_days($after_acceptance_days::INTEGER), false) AS blocked_after_acceptance,
       coalesce(s.last_offer_shown_at >= $exp_end::TIMESTAMPTZ - to_days($min_days_since_any_offer::INTEGER), false) AS blocked_recent_offer,
       s.risk * $effect::DOUBLE * $acceptance::DOUBLE AS expected_reduction,
       $monthly_cost::DOUBLE + $discount::DOUBLE * coalesce(s.price_reporting, 0) AS cost_per_acceptor,
       s.risk * $effect::DOUBLE * $acceptance::DOUBLE * coalesce(s.price_reporting, 0)
         - $acceptance::DOUBLE * ($monthly_cost::DOUBLE + $discount::DOUBLE * coalesce(s.price_reporting, 0)) AS expected_value,
       {{@reason}} AS reason
FROM {{scored}} s
LEFT JOIN {{history}} h ON h.customer_id = s.customer_id AND h.offer_id = $offer_id::VARCHAR
WHERE {{@target}}
