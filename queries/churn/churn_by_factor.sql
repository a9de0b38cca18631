-- Customers and churners per level of one factor (an allow-listed column of the base).
SELECT {{factor}}::VARCHAR AS key, count(*) AS n, count(*) FILTER (WHERE churned) AS churned
FROM filtered GROUP BY 1 ORDER BY 1
