-- Totals of the event store for the Data page.
SELECT (SELECT count(*) FROM events) AS events,
       (SELECT count(DISTINCT customer_id) FROM events) AS customers,
       (SELECT count(*) FROM rejected_rows) AS rejected_rows,
       (SELECT strftime(min(occurred_at), '%Y-%m-%dT%H:%M:%SZ') FROM events) AS first_event,
       (SELECT strftime(max(occurred_at), '%Y-%m-%dT%H:%M:%SZ') FROM events) AS last_event
