-- Rows for the Cox model: time, event and the categorical exposures and segments it adjusts for.
SELECT time_days::DOUBLE AS time_days, churned::INTEGER AS event,
       payment_method_class, timeliness, fee_exposure,
       vertical, market, age_band, tenure_band, plan, invoice_channel, plan_fit, satisfaction_level
FROM filtered WHERE time_days >= 0
