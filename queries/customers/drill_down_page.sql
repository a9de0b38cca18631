-- One page of a drill-down list, sorted by an allow-listed column ({{sort}} {{order}}) with the
-- customer id as tie-break, so pages never overlap or skip a row.
SELECT customer_id, vertical, market, age_band, tenure_band, plan, invoice_channel, payment_method_class, payment_method,
       timeliness, fee_exposure, strftime(tenure_start, '%Y-%m-%dT%H:%M:%SZ') AS tenure_start, churned,
       strftime(churn_at, '%Y-%m-%dT%H:%M:%SZ') AS churn_at, monthly_price, currency,
       invoices_due::INTEGER AS invoices_due, late_invoices::INTEGER AS late_invoices, fees::INTEGER AS fees, fee_amount, contacts::INTEGER AS contacts
FROM drilled
ORDER BY {{sort}} {{order}} NULLS LAST, customer_id
LIMIT $limit OFFSET $offset
