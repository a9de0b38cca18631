-- Fee exposure, fee revenue, reminder and fee-contact volumes and churn with and without fees,
-- per vertical and billing currency of the filtered customers. Money stays in its own currency
-- here: the analysis converts each currency with the configured exchange rates before it adds
-- anything up (overview.ts feeEconomics), so SEK and EUR are never summed as they stand.
-- Money is summed as DECIMAL (the base holds it as DOUBLE of a DECIMAL(18,4), so the cast back is
-- exact): a double sum depends on the order of the rows, and an incrementally kept base orders its
-- rows differently from a fresh one; the answer must not.
SELECT vertical,
       coalesce(currency, '(none)') AS currency,
       count(*) AS customers,
       count(*) FILTER (WHERE fees > 0) AS fee_customers,
       coalesce(sum(fees), 0) AS fees,
       coalesce(sum(fee_amount::DECIMAL(18,4)), 0)::DOUBLE AS fee_revenue,
       coalesce(sum(reminders), 0) AS reminders,
       coalesce(sum(fee_contacts), 0) AS fee_contacts,
       count(*) FILTER (WHERE fees > 0 AND churned) AS churned_with_fee,
       count(*) FILTER (WHERE fees = 0) AS no_fee_customers,
       count(*) FILTER (WHERE fees = 0 AND churned) AS churned_without_fee,
       coalesce(sum(monthly_price::DECIMAL(18,4)) FILTER (WHERE fees > 0), 0)::DOUBLE AS fee_price_sum,
       count(monthly_price) FILTER (WHERE fees > 0) AS fee_priced
FROM filtered GROUP BY ALL ORDER BY vertical, currency
