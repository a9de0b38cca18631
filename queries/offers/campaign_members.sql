-- The members of a new campaign (issue 15 hold-outs): the filtered audience (optionally one offer,
-- a minimum expected value), each assigned to the hold-out when u = the first 13 hex digits of
-- md5(campaign_id || ':' || customer_id) / 2^52, uniform in [0, 1), is below the share. The same
-- campaign id always holds out the same customers, in any export, on any machine.
SELECT $campaign_id::VARCHAR AS campaign_id, customer_id, offer_id,
       CASE WHEN ('0x' || substr(md5($campaign_id::VARCHAR || ':' || customer_id), 1, 13))::UBIGINT::DOUBLE / 4503599627370496.0 < $share::DOUBLE
            THEN 'holdout' ELSE 'treatment' END AS grp
FROM filtered
WHERE ($offer_id::VARCHAR IS NULL OR offer_id = $offer_id::VARCHAR)
  AND ($min_value::DOUBLE IS NULL OR expected_value >= $min_value::DOUBLE)
