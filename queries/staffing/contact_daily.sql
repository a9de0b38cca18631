-- Inbound contacts per channel and local day before $cutoff (local midnight in $tz), with the sums
-- behind mean handle and wait times. The daily series the forecast model is fitted on.
SELECT channel,
       (epoch(CAST(timezone($tz, occurred_at) AS DATE)) // 86400)::INTEGER AS day,
       count(*)::INTEGER AS contacts,
       count(handle_seconds)::INTEGER AS n_handle,
       coalesce(sum(handle_seconds), 0)::DOUBLE AS sum_handle,
       count(wait_seconds)::INTEGER AS n_wait,
       coalesce(sum(wait_seconds), 0)::DOUBLE AS sum_wait
FROM events
WHERE type = 'contact'
  AND coalesce(direction, 'inbound') = 'inbound'
  AND occurred_at < timezone($tz, $cutoff::TIMESTAMP)
GROUP BY ALL
ORDER BY day, channel
