-- Stored events per day (of occurrence) and type, over the last 90 days that have events.
SELECT strftime(occurred_at::DATE, '%Y-%m-%d') AS day, type, count(*) AS events
FROM events
WHERE occurred_at >= (SELECT max(occurred_at) FROM events WHERE occurred_at <= now() + INTERVAL 1 DAY) - INTERVAL 90 DAY
GROUP BY ALL ORDER BY day, type
