-- Retention by signup month: of the customers who started in a month, how many were still active
-- k months later, for every k that the as-of date already lets us observe. Only cohorts that signed
-- up after the first invoice in the data: earlier ones are known only by their survivors.
-- Month arithmetic runs on TIMESTAMP: the session is in UTC (db/database.ts), so it is the same as on
-- TIMESTAMPTZ, at a third of the cost (ICU's calendar per customer and month otherwise). The
-- conversion is make_timestamp(epoch_us(…)), the same instant as a TIMESTAMP in UTC: a cast would
-- go through ICU once per customer (about 2 µs each).
WITH c AS (
  SELECT date_trunc('month', make_timestamp(epoch_us(tenure_start)))::DATE AS cohort, make_timestamp(epoch_us(tenure_start)) AS tenure_start,
         make_timestamp(epoch_us(churn_at)) AS churn_at FROM filtered
  WHERE tenure_start >= date_trunc('month', (SELECT min(issued_at) FROM fact_invoices))
), cohorts AS (
  SELECT cohort, count(*) AS n FROM c GROUP BY cohort
), ks AS (
  SELECT cohort, n, k FROM cohorts, range(0, 120) t(k)
  WHERE cohort + to_months(k::INTEGER) + INTERVAL 1 MONTH <= $as_of_end::TIMESTAMPTZ::TIMESTAMP
)
SELECT strftime(ks.cohort, '%Y-%m') AS signup_month, ks.n, ks.k AS months_since,
       count(*) FILTER (WHERE c.churn_at IS NULL OR c.churn_at >= c.tenure_start + to_months(ks.k::INTEGER)) AS active
FROM ks JOIN c USING (cohort)
GROUP BY ALL ORDER BY signup_month, months_since
