-- Billing currencies per vertical: customers by their latest currency (customer_updated or
-- subscription_started) and invoices by invoice currency, and whether the configured exchange
-- rates ($rate_currencies) cover the currency. Money within one vertical may mix currencies: the
-- analyses convert with these rates and leave out (and count) amounts whose currency has no rate.
WITH cust AS (
  SELECT customer_id,
         arg_max(vertical, occurred_at) FILTER (WHERE vertical IS NOT NULL) AS vertical,
         arg_max(currency, occurred_at) FILTER (WHERE currency IS NOT NULL) AS currency
  FROM events WHERE type IN ('customer_updated', 'subscription_started') GROUP BY customer_id
), by_customer AS (
  SELECT coalesce(vertical, 'other') AS vertical, coalesce(currency, '(none)') AS currency, count(*) AS customers FROM cust GROUP BY ALL
), by_invoice AS (
  SELECT coalesce(c.vertical, 'other') AS vertical, coalesce(e.currency, c.currency, '(none)') AS currency, count(*) AS invoices
  FROM events e LEFT JOIN cust c USING (customer_id) WHERE e.type = 'invoice_issued' GROUP BY ALL
)
SELECT vertical, currency, coalesce(b.customers, 0) AS customers, coalesce(i.invoices, 0) AS invoices,
       list_contains($rate_currencies::VARCHAR[], currency) AS has_rate
FROM by_customer b FULL JOIN by_invoice i USING (vertical, currency)
ORDER BY vertical, customers DESC, currency
