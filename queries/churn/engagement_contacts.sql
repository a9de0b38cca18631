-- Contact channel and topic mix per vertical over the year before the as-of date. Ties are ordered by name so the answer is the same on every run.
SELECT f.vertical, e.channel, e.topic, count(*) AS contacts, count(DISTINCT e.customer_id) AS customers
FROM fact_contacts e JOIN filtered f USING (customer_id)
WHERE e.occurred_at >= $as_of_end::TIMESTAMPTZ - INTERVAL 365 DAY AND e.occurred_at < $as_of_end::TIMESTAMPTZ
GROUP BY ALL ORDER BY contacts DESC, vertical, channel, topic
