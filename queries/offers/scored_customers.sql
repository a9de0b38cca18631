-- Every customer active at the as-of date (the offer facts of the scoring window, {{facts}}) with
-- the risk model's linear predictor ({{@linear_predictor}}: Σ coefficient × dummy, coefficients
-- bound) and the churn risk within the horizon, 1 − exp(−H₀(h) · exp(lp)), where $baseline_hazard is
-- the model's Breslow cumulative baseline hazard at the horizon. The monthly price is also
-- converted to the reporting currency ($rate_currencies / $rate_values; NULL without a rate).
SELECT *, 1 - exp(-$baseline_hazard::DOUBLE * exp(lp)) AS risk
FROM (
  SELECT f.*, ({{@linear_predictor}})::DOUBLE AS lp,
         f.monthly_price * ($rate_values::DOUBLE[])[list_position($rate_currencies::VARCHAR[], f.currency)] AS price_reporting
  FROM {{facts}} f
)
