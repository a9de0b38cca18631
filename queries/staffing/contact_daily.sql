-- Inbound contacts per channel and local day ($tz), with the sums behind mean handle and wait
-- times: the daily series the forecast model is fitted on. Independent of any cutoff, so one result
-- serves every as-of date of a data version (the caller keeps the days before its cutoff).
-- Counted per 15-minute UTC bucket first (epoch arithmetic), so only distinct buckets go through
-- the ICU conversion to a local date. Counts the contacts of the batches in ($after, $upto] ($after NULL: all of
-- them), so the stored calendars (service/staffing/calendar-store.ts) add each batch's to what they hold.
WITH b AS (
  SELECT channel,
         (epoch(occurred_at) // 900)::BIGINT AS bucket,
         count(*) AS contacts,
         count(handle_seconds) AS n_handle,
         sum(handle_seconds) AS sum_handle,
         count(wait_seconds) AS n_wait,
         sum(wait_seconds) AS sum_wait
  FROM events
  WHERE type = 'contact'
    AND coalesce(direction, 'inbound') = 'inbound'
    AND ($after::BIGINT IS NULL OR (batch_id > $after::BIGINT AND batch_id <= $upto::BIGINT))
  GROUP BY ALL
)
SELECT channel,
       (epoch(CAST(timezone($tz, to_timestamp(bucket * 900)) AS DATE)) // 86400)::INTEGER AS day,
       sum(contacts)::INTEGER AS contacts,
       sum(n_handle)::INTEGER AS n_handle,
       coalesce(sum(sum_handle), 0)::DOUBLE AS sum_handle,
       sum(n_wait)::INTEGER AS n_wait,
       coalesce(sum(sum_wait), 0)::DOUBLE AS sum_wait
FROM b
GROUP BY 1, 2
ORDER BY day, channel
