-- Where contacts go, for the scenarios: inbound contacts in [$from_day, $to_day) per topic and
-- channel, split by the invoice channel of the customer's invoices then (paper or digital), next to
-- the invoices each group received. Moving paper invoices to digital ones changes both how many
-- invoice questions arrive and through which channel (a paper invoice cannot be answered with an
-- invoice message), and both are measured here rather than assumed.
WITH inv AS (
  SELECT customer_id, CASE WHEN channel = 'paper' THEN 'paper' ELSE 'digital' END AS invoice_group, count(*) AS invoices
  FROM fact_invoices
  WHERE issued_at >= CAST($from_day::DATE AS TIMESTAMP) AND issued_at < CAST($to_day::DATE AS TIMESTAMP)
  GROUP BY ALL
), customer_group AS (
  -- the group of most of the customer's invoices in the window
  SELECT customer_id, arg_max(invoice_group, invoices) AS invoice_group FROM inv GROUP BY ALL
), contacts AS (
  SELECT e.customer_id, e.topic, e.channel, coalesce(g.invoice_group, 'none') AS invoice_group
  FROM events e LEFT JOIN customer_group g USING (customer_id)
  WHERE e.type = 'contact' AND coalesce(e.direction, 'inbound') = 'inbound'
    AND e.occurred_at >= CAST($from_day::DATE AS TIMESTAMP) AND e.occurred_at < CAST($to_day::DATE AS TIMESTAMP)
)
SELECT 'contacts' AS kind, invoice_group, topic, channel, count(*)::INTEGER AS n FROM contacts GROUP BY ALL
UNION ALL
SELECT 'invoices' AS kind, invoice_group, NULL AS topic, NULL AS channel, sum(invoices)::INTEGER AS n FROM inv GROUP BY ALL
ORDER BY kind, invoice_group, topic, channel
