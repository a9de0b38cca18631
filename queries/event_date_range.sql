-- The calendar days the stored events span (UTC), against which an analysis date is checked;
-- events dated beyond tomorrow are implausible and do not stretch the range (as for the default as-of).
SELECT strftime(min(occurred_at), '%Y-%m-%d') AS first_day,
       strftime(max(occurred_at), '%Y-%m-%d') AS last_day
FROM events WHERE occurred_at <= now() + INTERVAL 1 DAY
