-- Observed values of each segment dimension with their customer counts (current facts).
SELECT 'vertical' AS dimension, vertical AS value, count(*) AS customers FROM customer_facts GROUP BY ALL
UNION ALL SELECT 'market', market, count(*) FROM customer_facts GROUP BY ALL
UNION ALL SELECT 'age_band', age_band, count(*) FROM customer_facts GROUP BY ALL
UNION ALL SELECT 'tenure_band', tenure_band, count(*) FROM customer_facts GROUP BY ALL
UNION ALL SELECT 'plan', plan, count(*) FROM customer_facts GROUP BY ALL
UNION ALL SELECT 'invoice_channel', invoice_channel, count(*) FROM customer_facts GROUP BY ALL
UNION ALL SELECT 'payment_method_class', payment_method_class, count(*) FROM customer_facts GROUP BY ALL
UNION ALL SELECT 'payment_method', payment_method, count(*) FROM customer_facts GROUP BY ALL
ORDER BY dimension, customers DESC, value
