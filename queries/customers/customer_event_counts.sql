-- How many events of each type are stored for one customer, and their time span (0 rows: unknown or erased).
SELECT type, count(*)::INTEGER AS events,
       strftime(min(occurred_at), '%Y-%m-%dT%H:%M:%SZ') AS first_event, strftime(max(occurred_at), '%Y-%m-%dT%H:%M:%SZ') AS last_event
FROM events WHERE customer_id = $customer_id
GROUP BY type ORDER BY type
