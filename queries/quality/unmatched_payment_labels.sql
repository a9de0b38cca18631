-- Payment-method labels that the payment-method map does not classify (and that do not contain
-- "automatic"): their customers' payment class is `unknown`. Per label: events, customers, last seen.
SELECT lower(trim(method)) AS label, count(*) AS events, count(DISTINCT customer_id) AS customers,
       strftime(max(occurred_at), '%Y-%m-%d') AS last_day
FROM events
WHERE type IN ('payment_received', 'payment_method_changed', 'payment_failed') AND method IS NOT NULL
  AND lower(trim(method)) NOT IN (SELECT label FROM payment_method_classes)
  AND lower(trim(method)) NOT LIKE '%automatic%'
GROUP BY ALL ORDER BY events DESC, label
