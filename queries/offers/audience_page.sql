-- One page of the filtered audience, sorted by an allow-listed column ({{sort}} {{order}}) with the
-- customer id as tie-break so pages never overlap.
SELECT customer_id, offer_id, channel, risk, expected_reduction, expected_value, reason,
       vertical, market, age_band, tenure_band, plan, invoice_channel, payment_method_class, monthly_price, currency
FROM filtered
WHERE ($offer_id::VARCHAR IS NULL OR offer_id = $offer_id::VARCHAR)
  AND ($min_value::DOUBLE IS NULL OR expected_value >= $min_value::DOUBLE)
ORDER BY {{sort}} {{order}}, customer_id
LIMIT $limit OFFSET $offset
