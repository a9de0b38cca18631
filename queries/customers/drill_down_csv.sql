-- A whole drill-down list as CSV lines (RFC 4180) in the order of drill_down_page.sql. DuckDB formats
-- and quotes, the service only streams. Free-text cells are always quoted; one that starts with
-- = + - @ or a tab/CR (a spreadsheet formula) gets a leading apostrophe so opening the file cannot run it,
-- as in offers/audience_csv.sql.
SELECT concat_ws(',',
         '"' || replace(CASE WHEN regexp_matches(customer_id, '^[=+\-@\t\r]') THEN '''' || customer_id ELSE customer_id END, '"', '""') || '"',
         '"' || replace(CASE WHEN regexp_matches(vertical, '^[=+\-@\t\r]') THEN '''' || vertical ELSE vertical END, '"', '""') || '"',
         '"' || replace(CASE WHEN regexp_matches(market, '^[=+\-@\t\r]') THEN '''' || market ELSE market END, '"', '""') || '"',
         age_band,
         tenure_band,
         '"' || replace(CASE WHEN regexp_matches(plan, '^[=+\-@\t\r]') THEN '''' || plan ELSE plan END, '"', '""') || '"',
         '"' || replace(CASE WHEN regexp_matches(invoice_channel, '^[=+\-@\t\r]') THEN '''' || invoice_channel ELSE invoice_channel END, '"', '""') || '"',
         payment_method_class,
         '"' || replace(CASE WHEN regexp_matches(payment_method, '^[=+\-@\t\r]') THEN '''' || payment_method ELSE payment_method END, '"', '""') || '"',
         timeliness,
         fee_exposure,
         coalesce(strftime(tenure_start, '%Y-%m-%dT%H:%M:%SZ'), ''),
         CASE WHEN churned THEN 'true' ELSE 'false' END,
         coalesce(strftime(churn_at, '%Y-%m-%dT%H:%M:%SZ'), ''),
         coalesce(printf('%.2f', monthly_price), ''),
         '"' || replace(coalesce(CASE WHEN regexp_matches(currency, '^[=+\-@\t\r]') THEN '''' || currency ELSE currency END, ''), '"', '""') || '"',
         invoices_due, late_invoices, fees,
         printf('%.2f', fee_amount),
         contacts
       ) AS line
FROM drilled
ORDER BY {{sort}} {{order}} NULLS LAST, customer_id
