-- Inbound contacts per channel, topic and interval of local wall-clock time ($tz) in [$from, $to):
-- the history view and the actuals of the back-test. Outbound contacts are work agents start, not
-- demand customers bring, so they are left out. `local_minute` is minutes since 1970-01-01 00:00 of
-- local wall time (DST-free arithmetic for the caller); waits and handle times come as sums and
-- counts so the caller can merge topics or intervals into exact means.
SELECT channel,
       topic,
       (epoch(time_bucket(to_minutes($interval_minutes::INTEGER), timezone($tz, occurred_at))) // 60)::BIGINT AS local_minute,
       count(*)::INTEGER AS contacts,
       count(wait_seconds)::INTEGER AS n_wait,
       coalesce(sum(wait_seconds), 0)::DOUBLE AS sum_wait,
       count(handle_seconds)::INTEGER AS n_handle,
       coalesce(sum(handle_seconds), 0)::DOUBLE AS sum_handle
FROM events
WHERE type = 'contact'
  AND coalesce(direction, 'inbound') = 'inbound'
  AND occurred_at >= timezone($tz, $from::TIMESTAMP)
  AND occurred_at < timezone($tz, $to::TIMESTAMP)
GROUP BY 1, 2, 3
ORDER BY local_minute, channel, topic
