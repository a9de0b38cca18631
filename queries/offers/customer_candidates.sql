-- The offers one customer is targeted by, with what blocks each and its expected value.
SELECT offer_id, blocked_cooldown, blocked_after_acceptance, blocked_recent_offer, expected_reduction, expected_value
FROM {{candidates}} WHERE customer_id = $customer_id ORDER BY position
