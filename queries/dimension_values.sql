-- Observed values of each segment dimension with their customer counts, in {{base}}: the lifetime
-- base of the default as-of date (service/analytics/overview.ts says why).
SELECT 'vertical' AS dimension, vertical AS value, count(*) AS customers FROM {{base}} GROUP BY ALL
UNION ALL SELECT 'market', market, count(*) FROM {{base}} GROUP BY ALL
UNION ALL SELECT 'age_band', age_band, count(*) FROM {{base}} GROUP BY ALL
UNION ALL SELECT 'tenure_band', tenure_band, count(*) FROM {{base}} GROUP BY ALL
UNION ALL SELECT 'plan', plan, count(*) FROM {{base}} GROUP BY ALL
UNION ALL SELECT 'invoice_channel', invoice_channel, count(*) FROM {{base}} GROUP BY ALL
UNION ALL SELECT 'payment_method_class', payment_method_class, count(*) FROM {{base}} GROUP BY ALL
UNION ALL SELECT 'payment_method', payment_method, count(*) FROM {{base}} GROUP BY ALL
ORDER BY dimension, customers DESC, value
