-- Customers of the filtered base whose money cannot be converted: no exchange rate for their
-- currency (or no currency at all). They are left out of the revenue figures, and counted.
WITH rates AS (
  SELECT unnest($rate_currencies::VARCHAR[]) AS currency, unnest($rate_values::VARCHAR[]::DOUBLE[]) AS rate
)
SELECT count(*) AS n FROM filtered f LEFT JOIN rates r ON r.currency = f.currency WHERE r.rate IS NULL
