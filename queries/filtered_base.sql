-- The analysis base narrowed to the segment filters shared by every endpoint. A NULL list means
-- "no filter on this dimension"; values are always bound, never spliced.
SELECT * FROM {{base}}
WHERE ($vertical::VARCHAR[] IS NULL OR list_contains($vertical::VARCHAR[], vertical))
  AND ($market::VARCHAR[] IS NULL OR list_contains($market::VARCHAR[], market))
  AND ($age_band::VARCHAR[] IS NULL OR list_contains($age_band::VARCHAR[], age_band))
  AND ($tenure_band::VARCHAR[] IS NULL OR list_contains($tenure_band::VARCHAR[], tenure_band))
  AND ($plan::VARCHAR[] IS NULL OR list_contains($plan::VARCHAR[], plan))
  AND ($invoice_channel::VARCHAR[] IS NULL OR list_contains($invoice_channel::VARCHAR[], invoice_channel))
  AND ($payment_method_class::VARCHAR[] IS NULL OR list_contains($payment_method_class::VARCHAR[], payment_method_class))
