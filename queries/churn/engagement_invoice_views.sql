-- Invoice view rate and time to first view by distribution channel, invoices issued before the
-- as-of date to the filtered customers.
SELECT coalesce(i.channel, 'unknown') AS channel, count(*) AS invoices,
       count(*) FILTER (WHERE i.first_viewed_at < $as_of_end::TIMESTAMPTZ) AS viewed,
       -- Microseconds as integers: epoch() of an interval per invoice cost three times as much, for the same median.
       median(epoch_us(i.first_viewed_at) - epoch_us(i.issued_at)) FILTER (WHERE i.first_viewed_at < $as_of_end::TIMESTAMPTZ) / 3600e6 AS median_hours_to_view
FROM fact_invoices i SEMI JOIN filtered f USING (customer_id)
WHERE i.issued_at < $as_of_end::TIMESTAMPTZ
GROUP BY 1 ORDER BY invoices DESC, 1
