-- Per offer, over the filtered one-offer-per-customer table: audience size and the sums the
-- recommendation maths scales (service/offers/recommend.ts): Σ risk, Σ risk × price, Σ cost per
-- accepting customer, Σ expected reduction and Σ expected net value.
SELECT offer_id,
       count(*) AS audience,
       sum(risk) AS risk_sum,
       sum(risk * coalesce(price_reporting, 0)) AS risk_price_sum,
       sum(cost_per_acceptor) AS cost_sum,
       sum(expected_reduction) AS saved,
       sum(expected_value) AS value
FROM filtered GROUP BY offer_id
