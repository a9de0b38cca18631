-- Orphans (docs/definitions.md): ids with events but none of the events that make a customer
-- (subscription_started, invoice_issued, customer_updated, plan_changed, subscription_cancelled),
-- as analysis_base.sql decides. One row per event type of the orphan ids: ids, events, the first and
-- last day, and up to 5 example ids (the most active first).
WITH ids AS (
  SELECT customer_id FROM events GROUP BY customer_id
  HAVING count(*) FILTER (WHERE type IN ('subscription_started', 'invoice_issued', 'customer_updated', 'plan_changed', 'subscription_cancelled')) = 0
), per AS (
  SELECT e.type, e.customer_id, count(*) AS n, min(e.occurred_at) AS first_at, max(e.occurred_at) AS last_at
  FROM events e SEMI JOIN ids USING (customer_id) GROUP BY ALL
)
SELECT type, count(*) AS ids, sum(n) AS events,
       strftime(min(first_at), '%Y-%m-%d') AS first_day, strftime(max(last_at), '%Y-%m-%d') AS last_day,
       (SELECT count(*) FROM ids) AS orphan_ids,
       list(customer_id ORDER BY n DESC, customer_id)[1:5] AS examples
FROM per GROUP BY type ORDER BY events DESC, type
