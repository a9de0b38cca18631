-- The first and the last event of the store (the dimension list's range): min and max only, which
-- DuckDB answers from its zone maps, so the dashboard's filter bar never scans the events.
SELECT strftime(min(occurred_at), '%Y-%m-%dT%H:%M:%SZ') AS first_event,
       strftime(max(occurred_at), '%Y-%m-%dT%H:%M:%SZ') AS last_event
FROM events
