-- Days whose volume of an event type is an outlier against the same weekday's history: the robust
-- (modified) z-score of Iglewicz and Hoaglin, 0.6745 · (x − median) / MAD, over the 52 weeks up to
-- the last event, empty days counted as 0. When the MAD is 0 (a type seen on few days) the mean
-- absolute deviation stands in for it (z = (x − median) / (1.2533 · meanAD)). A day is an outlier
-- when z > $z_threshold and it has at least $min_excess events and 3× the median more than usual,
-- so the ordinary noise of small volumes is not flagged. Types that follow the billing calendar
-- rather than the weekday (invoices, payments, views, reminders, fees, collection, usage, offers shown on invoices) are not
-- judged here: their peaks on dispatch and due dates are the pattern, not an anomaly.
WITH bounds AS (
  SELECT max(occurred_at)::DATE AS last_day FROM events WHERE occurred_at <= now() + INTERVAL 1 DAY
), days AS (
  SELECT (last_day - INTERVAL (d) DAY)::DATE AS day FROM bounds, range(0, 364) t(d)
), types AS (
  SELECT DISTINCT type FROM events, bounds
  WHERE occurred_at >= last_day - INTERVAL 364 DAY
    AND type NOT IN ('invoice_issued', 'payment_received', 'invoice_viewed', 'reminder_sent', 'fee_charged', 'collection_started', 'usage_reported', 'offer_shown')
), counts AS (
  SELECT type, occurred_at::DATE AS day, count(*) AS n FROM events, bounds
  WHERE occurred_at >= last_day - INTERVAL 364 DAY AND occurred_at < last_day + INTERVAL 1 DAY
  GROUP BY ALL
), series AS (
  SELECT t.type, d.day, dayofweek(d.day) AS dow, coalesce(c.n, 0)::DOUBLE AS n
  FROM types t CROSS JOIN days d LEFT JOIN counts c ON c.type = t.type AND c.day = d.day
), centre AS (
  SELECT type, dow, median(n) AS med FROM series GROUP BY ALL
), spread AS (
  SELECT s.type, s.dow, c.med, median(abs(s.n - c.med)) AS mad, avg(abs(s.n - c.med)) AS mean_ad, count(*) AS weeks
  FROM series s JOIN centre c USING (type, dow) GROUP BY ALL
), scored AS (
  SELECT s.type, s.day, s.n, p.med, p.weeks,
         CASE WHEN p.mad > 0 THEN 0.6745 * (s.n - p.med) / p.mad
              WHEN p.mean_ad > 0 THEN (s.n - p.med) / (1.253314 * p.mean_ad) END AS z
  FROM series s JOIN spread p USING (type, dow)
)
SELECT type, strftime(day, '%Y-%m-%d') AS day, strftime(day, '%A') AS weekday, n::BIGINT AS events, med AS weekday_median, z AS robust_z, weeks
FROM scored
WHERE z > $z_threshold AND n - med >= $min_excess AND n >= 3 * greatest(med, 1)
ORDER BY z DESC, type, day
