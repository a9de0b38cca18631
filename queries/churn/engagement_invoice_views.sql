-- Invoice view rate and time to first view by distribution channel, invoices issued before the
-- as-of date to the filtered customers.
SELECT coalesce(i.channel, 'unknown') AS channel, count(*) AS invoices,
       count(*) FILTER (WHERE i.first_viewed_at < $as_of_end::TIMESTAMPTZ) AS viewed,
       median(epoch(i.first_viewed_at - i.issued_at) / 3600.0) FILTER (WHERE i.first_viewed_at < $as_of_end::TIMESTAMPTZ) AS median_hours_to_view
FROM fact_invoices i SEMI JOIN filtered f USING (customer_id)
WHERE i.issued_at < $as_of_end::TIMESTAMPTZ
GROUP BY 1 ORDER BY invoices DESC, 1
