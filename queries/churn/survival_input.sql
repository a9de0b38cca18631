-- Entry, time (days) and event per customer with the grouping factor, for Kaplan–Meier and
-- log-rank with delayed entry (R's Surv(entry, exit, event)). Customers whose tenure origin is
-- unknown (first seen late, no customer_since) cannot be placed on the tenure scale of the
-- lifetime view and are left out; the landmark view counts time from T, so everyone is in.
-- A row needs time at risk: exit after entry (entry 0 keeps time 0, as Surv(time) does).
-- The group comes with its code (`key__code`, its position among the sorted distinct groups, NULL
-- last: what `dense_rank() OVER (ORDER BY key)` gives, without the window's sort; see
-- cox_input.sql), so that the reader copies integers and decodes each group's text once
-- (db/coded-columns.ts). Ordered by customer: the curves' sums and the order of equal-sized groups
-- follow the row order.
WITH model_rows AS (
  SELECT customer_id, {{factor}}::VARCHAR AS key, entry_days::DOUBLE AS entry_days, time_days::DOUBLE AS time_days, churned::INTEGER AS event
  FROM filtered WHERE time_days >= 0 AND on_time_scale AND (entry_days = 0 OR time_days > entry_days)
), levels AS (
  SELECT coalesce(list_sort(list(DISTINCT key) FILTER (WHERE key IS NOT NULL)), []::VARCHAR[]) AS key FROM model_rows
)
SELECT r.key, coalesce(list_position(l.key, r.key), len(l.key) + 1)::INTEGER AS key__code, r.entry_days, r.time_days, r.event
FROM model_rows r, levels l
ORDER BY r.customer_id
