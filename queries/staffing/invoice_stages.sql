-- Each invoice's place in the invoice calendar: the 15-minute UTC bucket it was issued in, its due date and the
-- customer's stage (their first invoice after signing up; later invoices in their first year; the rest), counted
-- per customer. The stored calendars (service/staffing/calendar-store.ts) keep these rows for every customer and
-- recompute only the touched customers' after each batch; calendar_daily.sql turns them into local days.
-- {{invoices}}: fact_invoices, or the touched customers' copy of it (base-sql.ts); customer_facts gives the tenure.
-- "First invoice" = the customer's earliest invoice issued within 45 days of their tenure start (customers whose
-- history predates the data are never mistaken for new ones).
-- Speed: ICU time-zone arithmetic costs about a microsecond a row, so the per-customer thresholds are plain epoch
-- arithmetic, and buckets (every zone's offset is a multiple of 15 minutes) are converted later, once each.
WITH cust AS (
  -- A day is taken as 86 400 s here: an hour of daylight saving does not matter to a 45-day window.
  SELECT customer_id,
         epoch(tenure_start) + 45 * 86400 AS first_window_end,
         epoch(tenure_start) + 365 * 86400 AS first_year_end
  FROM customer_facts
), inv AS (
  SELECT i.customer_id, epoch(i.issued_at) AS issued, i.due_date, c.first_window_end, c.first_year_end
  FROM {{invoices}} i LEFT JOIN cust c USING (customer_id)
  WHERE i.issued_at IS NOT NULL
), early AS (
  -- A first invoice is issued within 45 days of the tenure start, so only those rows are searched
  -- (and only they need the join that finds each customer's earliest).
  SELECT customer_id, issued, due_date FROM inv WHERE issued < first_window_end
), firsts AS (
  SELECT customer_id, min(issued) AS first_issued FROM early GROUP BY ALL
), staged AS (
  SELECT e.customer_id, e.issued, e.due_date, CASE WHEN e.issued = f.first_issued THEN 'first' ELSE 'first_year' END AS stage
  FROM early e JOIN firsts f USING (customer_id)
  UNION ALL
  SELECT customer_id, issued, due_date, CASE WHEN issued < first_year_end THEN 'first_year' ELSE 'other' END AS stage
  FROM inv WHERE first_window_end IS NULL OR issued >= first_window_end
)
SELECT customer_id, (issued // 900)::BIGINT AS bucket, due_date, stage, count(*)::INTEGER AS n
FROM staged
GROUP BY ALL
