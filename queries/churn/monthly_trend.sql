-- Month by month up to the as-of date, for the filtered customers: active at the start of the
-- month, churned during it; payers in the month and how many paid automatically; invoices due
-- in the month and how many were paid by their due date. Months start at the first invoice: before
-- it the history holds only back-dated sign-ups, whose churn was never observed.
-- Per-row calendar work is done on TIMESTAMP, not TIMESTAMPTZ: the session runs in UTC (db/database.ts),
-- so the answer is the same, without a trip through ICU's calendar for every payment. "Paid by the due date"
-- compares instants: paid before the day after the due date began (in UTC), the same as paid_at's UTC date
-- <= due_date, where a cast of every paid_at to TIMESTAMP or DATE goes through ICU (0.9 of 1.2 s on the
-- large set).
WITH months AS (
  SELECT m::DATE AS month_start, (m + INTERVAL 1 MONTH)::DATE AS month_end
  FROM range(date_trunc('month', (SELECT min(issued_at) FROM fact_invoices))::DATE, $as_of_end::DATE, INTERVAL 1 MONTH) t(m)
), churn AS (
  SELECT m.month_start,
         count(*) FILTER (WHERE f.tenure_start < m.month_start AND (f.churn_at IS NULL OR f.churn_at >= m.month_start)) AS active_start,
         count(*) FILTER (WHERE f.tenure_start < m.month_start AND f.churn_at >= m.month_start AND f.churn_at < m.month_end) AS churned
  FROM months m, filtered f GROUP BY 1
), pay AS (
  -- One row per customer and month with a payment (facts/refresh_payment_months.sql), so no distinct count
  -- over every payment event: paid (automatically) in the month before the as-of end, by its first such payment.
  SELECT p.month_start,
         count(*) FILTER (WHERE p.first_paid_at < $as_of_end::TIMESTAMPTZ) AS payers,
         count(*) FILTER (WHERE p.first_automatic_at < $as_of_end::TIMESTAMPTZ) AS automatic_payers
  FROM fact_payment_months p SEMI JOIN filtered f USING (customer_id)
  WHERE p.month_start < $as_of_end::TIMESTAMPTZ::TIMESTAMP::DATE
  GROUP BY 1
), due AS (
  SELECT date_trunc('month', i.due_date)::DATE AS month_start,
         count(*) AS invoices_due,
         count(*) FILTER (WHERE i.paid_at < $as_of_end::TIMESTAMPTZ AND epoch_us(i.paid_at) < epoch_us((i.due_date + 1)::TIMESTAMP)) AS on_time
  FROM fact_invoices i SEMI JOIN filtered f USING (customer_id)
  WHERE i.due_date < $as_of_end::TIMESTAMPTZ::DATE AND i.issued_at < $as_of_end::TIMESTAMPTZ
  GROUP BY 1
)
SELECT strftime(m.month_start, '%Y-%m') AS month, coalesce(c.active_start, 0) AS active_start, coalesce(c.churned, 0) AS churned,
       coalesce(p.payers, 0) AS payers, coalesce(p.automatic_payers, 0) AS automatic_payers,
       coalesce(d.invoices_due, 0) AS invoices_due, coalesce(d.on_time, 0) AS on_time
FROM months m LEFT JOIN churn c USING (month_start) LEFT JOIN pay p USING (month_start) LEFT JOIN due d USING (month_start)
ORDER BY m.month_start
