-- Contact channel and topic mix per vertical over the year before the as-of date. Ties are ordered by name so the answer is the same on every run.
-- From the lifetime base's recent_contacts (analysis_base.sql: the year before the base's own end, which is
-- $as_of_end; one entry per customer, channel and topic): a filter combination unnests the filtered customers'
-- lists instead of joining the contact facts, and counting entries counts distinct customers.
SELECT vertical, rc.channel AS channel, rc.topic AS topic, sum(rc.contacts)::BIGINT AS contacts, count(*) AS customers
FROM (SELECT vertical, unnest(recent_contacts) AS rc FROM filtered)
GROUP BY ALL ORDER BY contacts DESC, vertical, channel, topic
