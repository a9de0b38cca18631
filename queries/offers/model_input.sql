-- Rows for the churn-risk model from the offer facts of a landmark window ({{facts}}): survival
-- time from the landmark, churn within the horizon, and the factors the model adjusts for. The
-- customer id is not an input of the fit; it is here so that the input's fingerprint
-- (offers/engine.ts) covers the row order too.
SELECT customer_id, time_days::DOUBLE AS time_days, churned::INTEGER AS event,
       payment_method_class, timeliness, fee_exposure, age_band, tenure_band, vertical,
       CAST(dissatisfied AS VARCHAR) AS dissatisfied, CAST(overpriced AS VARCHAR) AS overpriced
FROM {{facts}} WHERE time_days >= 0
ORDER BY customer_id
