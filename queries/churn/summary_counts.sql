-- Headline counts of one window over the filtered base: population, churned, payment class mix,
-- timeliness and fee exposure (each with the denominator its share is taken over).
SELECT count(*) AS customers,
       count(*) FILTER (WHERE churned) AS churned,
       count(*) FILTER (WHERE payment_method_class = 'automatic') AS automatic,
       count(*) FILTER (WHERE payment_method_class <> 'unknown') AS classified,
       count(*) FILTER (WHERE invoices_due > 0 AND late_invoices = 0) AS on_time,
       count(*) FILTER (WHERE invoices_due > 0) AS with_invoices,
       count(*) FILTER (WHERE fees > 0) AS with_fee
FROM filtered
