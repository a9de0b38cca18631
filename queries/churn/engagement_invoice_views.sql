-- Invoice view rate and time to first view by distribution channel, invoices issued before the
-- as-of date to the filtered customers.
-- From the lifetime base's invoice_views (analysis_base.sql: per channel, invoices issued and viewed before the
-- base's own end, which is $as_of_end, and each viewed invoice's delay in microseconds): a filter combination
-- unnests the filtered customers' lists, it does not join every invoice fact. The median is over the same
-- delays as before, so it is exact; integers, since epoch() of an interval per invoice cost three times as much.
WITH views AS (
  SELECT unnest(invoice_views) AS iv FROM filtered
), counts AS (
  SELECT iv.channel AS channel, sum(iv.invoices)::BIGINT AS invoices, sum(iv.viewed)::BIGINT AS viewed FROM views GROUP BY 1
), delays AS (
  SELECT channel, median(us) / 3600e6 AS median_hours_to_view
  FROM (SELECT iv.channel AS channel, unnest(iv.view_us) AS us FROM views) GROUP BY 1
)
SELECT c.channel, c.invoices, c.viewed, d.median_hours_to_view
FROM counts c LEFT JOIN delays d USING (channel)
ORDER BY invoices DESC, channel
