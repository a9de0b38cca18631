-- How customers pay: payment-method class by segment (one allow-listed dimension at a time).
SELECT '{{dimension}}' AS dimension, {{dimension}}::VARCHAR AS segment, payment_method_class AS method_class, count(*) AS customers
FROM filtered GROUP BY ALL ORDER BY segment, method_class
