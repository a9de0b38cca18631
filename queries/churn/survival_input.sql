-- Entry, time (days) and event per customer with the grouping factor, for Kaplan–Meier and
-- log-rank with delayed entry (R's Surv(entry, exit, event)). Customers whose tenure origin is
-- unknown (first seen late, no customer_since) cannot be placed on the tenure scale of the
-- lifetime view and are left out; the landmark view counts time from T, so everyone is in.
-- A row needs time at risk: exit after entry (entry 0 keeps time 0, as Surv(time) does).
-- The group comes with its dense rank (`key__code`), so that the reader copies integers and decodes
-- each group's text once (db/coded-columns.ts). Ordered by customer: the window would otherwise
-- leave the rows in an order of its own, and the curves' sums and the order of equal-sized groups
-- follow the row order.
SELECT {{factor}}::VARCHAR AS key, dense_rank() OVER (ORDER BY {{factor}}::VARCHAR) AS key__code,
       entry_days::DOUBLE AS entry_days, time_days::DOUBLE AS time_days, churned::INTEGER AS event
FROM filtered WHERE time_days >= 0 AND on_time_scale AND (entry_days = 0 OR time_days > entry_days)
ORDER BY customer_id
