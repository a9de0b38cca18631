-- Distinct customer ids of the events of batches up to $upto (the full count, once per start-up or erasure).
SELECT count(DISTINCT customer_id) AS customers FROM events WHERE batch_id <= $upto
