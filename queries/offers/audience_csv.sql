-- The filtered audience as CSV lines (RFC 4180), in the same order as audience_page.sql, so the
-- export equals the API's audience row for row. DuckDB formats and quotes, the service only streams.
-- Text cells are always quoted; one that starts with = + - @ (a spreadsheet formula) gets a
-- leading apostrophe so opening the file cannot run it.
WITH rows AS (
  SELECT * FROM filtered
  WHERE ($offer_id::VARCHAR IS NULL OR offer_id = $offer_id::VARCHAR)
    AND ($min_value::DOUBLE IS NULL OR expected_value >= $min_value::DOUBLE)
)
SELECT concat_ws(',',
         '"' || replace(CASE WHEN regexp_matches(customer_id, '^[=+\-@\t\r]') THEN '''' || customer_id ELSE customer_id END, '"', '""') || '"',
         offer_id,
         channel,
         printf('%.6f', risk),
         printf('%.6f', expected_reduction),
         printf('%.4f', expected_value),
         $value_currency::VARCHAR,
         '"' || replace(CASE WHEN regexp_matches(reason, '^[=+\-@\t\r]') THEN '''' || reason ELSE reason END, '"', '""') || '"',
         '"' || replace(vertical, '"', '""') || '"',
         '"' || replace(market, '"', '""') || '"',
         payment_method_class,
         coalesce(printf('%.2f', monthly_price), ''),
         coalesce(currency, '')
       ) AS line
FROM rows
ORDER BY {{sort}} {{order}}, customer_id
