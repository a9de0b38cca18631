-- The rows of a stored analysis base ({{base}}) that the batches in ($after, $upto] may change: customers with
-- a new event dated before the base's outcome end. Later events cannot change a row (analysis_base.sql reads
-- nothing at or after $outcome_end), so a trickle of today's events leaves the bases of past windows alone.
-- analysis_base.sql recomputes exactly these customers (its `scope`), so the delete and the insert that
-- follows it always agree.
DELETE FROM {{base}}
WHERE customer_id IN (
  SELECT DISTINCT customer_id FROM events
  WHERE batch_id > $after::BIGINT AND batch_id <= $upto::BIGINT AND occurred_at < $outcome_end::TIMESTAMPTZ
)
