-- One offer per customer: of the offers a customer is eligible for (targeted and not blocked), the
-- one with the highest expected net monthly value, if that value is positive; ties go to the larger
-- expected reduction, then to the catalogue order. Carries the segment columns so the shared
-- filters (filtered_base.sql) apply to it.
SELECT c.customer_id, c.offer_id, c.position, c.channel, s.risk, c.expected_reduction, c.expected_value, c.cost_per_acceptor, c.reason,
       s.price_reporting, s.monthly_price, s.currency,
       s.vertical, s.market, s.age_band, s.tenure_band, s.plan, s.invoice_channel, s.payment_method_class
FROM {{candidates}} c JOIN {{scored}} s USING (customer_id)
WHERE NOT (c.blocked_cooldown OR c.blocked_after_acceptance OR c.blocked_recent_offer) AND c.expected_value > 0
QUALIFY row_number() OVER (PARTITION BY c.customer_id ORDER BY c.expected_value DESC, c.expected_reduction DESC, c.position) = 1
