-- Revenue-weighted churn per group of the filtered landmark base: the MRR at risk (monthly price
-- at the landmark, converted to the reporting currency in cents) and the MRR lost (of those who
-- churned within the horizon), with the sums the delta-method variance of their ratio needs
-- (x = MRR at risk of a customer, y = x if churned else 0). Customers whose currency has no
-- exchange rate, or who have no price, are counted apart and left out of the sums.
WITH rates AS (
  SELECT unnest($rate_currencies::VARCHAR[]) AS currency, unnest($rate_values::VARCHAR[]::DOUBLE[]) AS rate
), priced AS (
  SELECT f.{{group}} AS key, f.churned,
         CASE WHEN r.rate IS NOT NULL AND f.monthly_price IS NOT NULL THEN round(f.monthly_price * r.rate * 100)::BIGINT END AS x
  FROM filtered f LEFT JOIN rates r ON r.currency = f.currency
)
SELECT key,
       count(*) AS n,
       count(*) FILTER (WHERE churned) AS churned,
       count(*) FILTER (WHERE x IS NULL) AS unpriced,
       coalesce(sum(x), 0)::BIGINT AS at_risk_cents,
       coalesce(sum(x) FILTER (WHERE churned), 0)::BIGINT AS lost_cents,
       coalesce(sum(x::DOUBLE * x), 0) AS sum_xx,
       coalesce(sum(x::DOUBLE * x) FILTER (WHERE churned), 0) AS sum_yy,
       count(x) AS priced
FROM priced
GROUP BY key
ORDER BY key
