-- Fee exposure, fee revenue, reminder and fee-contact volumes and churn with and without fees,
-- per vertical of the filtered customers.
SELECT vertical,
       count(*) AS customers,
       count(*) FILTER (WHERE fees > 0) AS fee_customers,
       coalesce(sum(fees), 0) AS fees,
       coalesce(sum(fee_amount), 0) AS fee_revenue,
       coalesce(sum(reminders), 0) AS reminders,
       coalesce(sum(fee_contacts), 0) AS fee_contacts,
       count(*) FILTER (WHERE fees > 0 AND churned) AS churned_with_fee,
       count(*) FILTER (WHERE fees = 0) AS no_fee_customers,
       count(*) FILTER (WHERE fees = 0 AND churned) AS churned_without_fee,
       avg(monthly_price) FILTER (WHERE fees > 0) AS mean_monthly_price
FROM filtered GROUP BY vertical ORDER BY vertical
