-- The most recent ingest batches.
SELECT batch_id, strftime(received_at, '%Y-%m-%dT%H:%M:%SZ') AS received_at, media_type, rows_total, accepted, duplicates, rejected, source
FROM ingest_batches ORDER BY batch_id DESC LIMIT 50
