-- Rows for the Cox model: time, event and the categorical exposures and segments it adjusts for.
-- Ordered by customer, so the fit's sums run in one order and the same data give the same last digit.
SELECT time_days::DOUBLE AS time_days, churned::INTEGER AS event,
       payment_method_class, timeliness, fee_exposure,
       vertical, market, age_band, tenure_band, plan, invoice_channel, plan_fit, satisfaction_level
FROM filtered WHERE time_days >= 0
ORDER BY customer_id
