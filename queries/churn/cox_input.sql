-- Rows for the Cox model: entry, time, event and the categorical exposures and segments it may
-- adjust for. The same population as survival_input.sql: on the time scale, and time at risk after
-- entry. The reader (db/coded-columns.ts, codedStatement) keeps the columns one fit uses, codes each
-- category and orders the rows by customer, so the fit's sums run in one order and the same data
-- give the same last digit.
SELECT customer_id, entry_days::DOUBLE AS entry_days, time_days::DOUBLE AS time_days, churned::INTEGER AS event,
       payment_method_class, timeliness, fee_exposure, vertical, market, age_band, tenure_band, plan,
       invoice_channel, plan_fit, satisfaction_level
FROM filtered WHERE time_days >= 0 AND on_time_scale AND (entry_days = 0 OR time_days > entry_days)
