-- Size of the filtered audience (one offer per customer), optionally for one offer and a minimum
-- expected value.
SELECT count(*) AS total FROM filtered
WHERE ($offer_id::VARCHAR IS NULL OR offer_id = $offer_id::VARCHAR)
  AND ($min_value::DOUBLE IS NULL OR expected_value >= $min_value::DOUBLE)
