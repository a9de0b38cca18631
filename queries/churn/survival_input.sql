-- Time (days) and event per customer with the grouping factor, for Kaplan–Meier and log-rank.
SELECT {{factor}}::VARCHAR AS key, time_days::DOUBLE AS time_days, churned::INTEGER AS event
FROM filtered WHERE time_days >= 0
