-- Dose–response: churn by the number of late invoices or of fees in the window (capped at 3+).
SELECT least({{count_column}}, 3)::INTEGER AS k, count(*) AS n, count(*) FILTER (WHERE churned) AS churned
FROM filtered GROUP BY 1 ORDER BY 1
