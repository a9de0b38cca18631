-- Invoices whose payments add up to more than their amount plus the fees charged on them (beyond
-- a cent of rounding): a double payment, a payment matched to the wrong invoice, or a wrong
-- amount. The count, and the five with the largest excess.
WITH fees AS (
  SELECT customer_id, invoice_id, sum(amount) AS fees FROM fact_fees WHERE invoice_id IS NOT NULL GROUP BY ALL
), over AS (
  SELECT i.customer_id, i.invoice_id, i.amount::DOUBLE AS amount, coalesce(f.fees, 0)::DOUBLE AS fees, i.paid_amount::DOUBLE AS paid,
         (i.paid_amount - i.amount - coalesce(f.fees, 0))::DOUBLE AS excess
  FROM fact_invoices i LEFT JOIN fees f USING (customer_id, invoice_id)
  WHERE i.paid_amount > i.amount + coalesce(f.fees, 0) + 0.01
)
SELECT (SELECT count(*) FROM over) AS invoices,
       (SELECT count(DISTINCT customer_id) FROM over) AS customers,
       (SELECT count(*) FROM fact_invoices) AS all_invoices,
       (SELECT list({'customer_id': customer_id, 'invoice_id': invoice_id, 'amount': amount, 'fees': fees, 'paid': paid} ORDER BY excess DESC, customer_id, invoice_id)[1:5] FROM over) AS examples
