-- Stored events per day (of occurrence, UTC) and type, over the last 90 days that have events.
-- The day is computed from epoch microseconds and turned into text once per group: a cast of every
-- TIMESTAMPTZ to DATE goes through ICU (394 against 42 ms on the large set, the same rows).
SELECT strftime(DATE '1970-01-01' + d, '%Y-%m-%d') AS day, type, events
FROM (
  SELECT CAST(floor(epoch_us(occurred_at) / 86400000000) AS INTEGER) AS d, type, count(*) AS events
  FROM events
  WHERE occurred_at >= (SELECT max(occurred_at) FROM events WHERE occurred_at <= now() + INTERVAL 1 DAY) - INTERVAL 90 DAY
  GROUP BY ALL
)
ORDER BY day, type
