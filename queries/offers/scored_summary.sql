-- Filtered active customers at the as-of date and their mean churn risk.
SELECT count(*) AS customers, avg(risk) AS mean_risk FROM filtered
