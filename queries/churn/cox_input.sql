-- Rows for the Cox model: entry, time, event and the categorical exposures and segments it adjusts
-- for. The same population as survival_input.sql: on the time scale, and time at risk after entry.
-- Ordered by customer, so the fit's sums run in one order and the same data give the same last digit.
-- Each category comes with its dense rank (`x__code`), so that the reader copies integers and decodes
-- each level's text once (db/coded-columns.ts).
SELECT entry_days::DOUBLE AS entry_days, time_days::DOUBLE AS time_days, churned::INTEGER AS event,
       payment_method_class, dense_rank() OVER (ORDER BY payment_method_class) AS payment_method_class__code,
       timeliness, dense_rank() OVER (ORDER BY timeliness) AS timeliness__code,
       fee_exposure, dense_rank() OVER (ORDER BY fee_exposure) AS fee_exposure__code,
       vertical, dense_rank() OVER (ORDER BY vertical) AS vertical__code,
       market, dense_rank() OVER (ORDER BY market) AS market__code,
       age_band, dense_rank() OVER (ORDER BY age_band) AS age_band__code,
       tenure_band, dense_rank() OVER (ORDER BY tenure_band) AS tenure_band__code,
       plan, dense_rank() OVER (ORDER BY plan) AS plan__code,
       invoice_channel, dense_rank() OVER (ORDER BY invoice_channel) AS invoice_channel__code,
       plan_fit, dense_rank() OVER (ORDER BY plan_fit) AS plan_fit__code,
       satisfaction_level, dense_rank() OVER (ORDER BY satisfaction_level) AS satisfaction_level__code
FROM filtered WHERE time_days >= 0 AND on_time_scale AND (entry_days = 0 OR time_days > entry_days)
ORDER BY customer_id
