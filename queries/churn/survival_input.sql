-- Entry, time (days) and event per customer with the grouping factor, for Kaplan–Meier and
-- log-rank with delayed entry (R's Surv(entry, exit, event)). Customers whose tenure origin is
-- unknown (first seen late, no customer_since) cannot be placed on the tenure scale of the
-- lifetime view and are left out; the landmark view counts time from T, so everyone is in.
-- A row needs time at risk: exit after entry (entry 0 keeps time 0, as Surv(time) does).
-- The reader (db/coded-columns.ts, codedStatement) codes the group and orders the rows by
-- customer: the curves' sums and the order of equal-sized groups follow the row order.
SELECT customer_id, {{factor}}::VARCHAR AS key, entry_days::DOUBLE AS entry_days, time_days::DOUBLE AS time_days, churned::INTEGER AS event
FROM filtered WHERE time_days >= 0 AND on_time_scale AND (entry_days = 0 OR time_days > entry_days)
