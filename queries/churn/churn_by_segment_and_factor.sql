-- Customers and churners per (segment value, factor level): the relative-risk heat map.
SELECT {{rows}}::VARCHAR AS row_key, {{factor}}::VARCHAR AS key, count(*) AS n, count(*) FILTER (WHERE churned) AS churned
FROM filtered GROUP BY 1, 2 ORDER BY 1, 2
