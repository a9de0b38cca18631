-- One scored customer's facts and risk, and the share of active customers with a lower risk.
SELECT s.*, (SELECT count(*) FROM {{scored}} o WHERE o.risk < s.risk)::DOUBLE / (SELECT count(*) FROM {{scored}}) AS percentile
FROM {{scored}} s WHERE s.customer_id = $customer_id
