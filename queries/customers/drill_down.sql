-- The customers behind one figure of the analyses: the filtered base narrowed by the clicked group,
-- with each predicate written as the figure's own query counts it, so the list's length is the
-- clicked number. NULL means "this kind of click was not made".
--   factor / level (and factor2 / level2): churn_by_factor.sql and churn_by_segment_and_factor.sql group by
--     {{factor}}::VARCHAR, so the level is matched the same way; $outcome narrows to churners or stayers.
--   measure / count: churn_by_count.sql's least({{count_column}}, 3), a dose–response bar (3 = three or more).
--   kpi: the FILTER of summary_counts.sql behind each Overview KPI (a share's numerator).
--   cohort / month: cohort_retention.sql's cohort (signed up after the first invoice in the data) and its
--     "still active k months later", only for cells the as-of date lets us observe.
SELECT * FROM filtered
WHERE ($level::VARCHAR IS NULL OR {{factor}}::VARCHAR = $level::VARCHAR)
  AND ($level2::VARCHAR IS NULL OR {{factor2}}::VARCHAR = $level2::VARCHAR)
  AND ($count::INTEGER IS NULL OR least({{count_column}}, 3)::INTEGER = $count::INTEGER)
  AND ($outcome::VARCHAR = 'any' OR churned = ($outcome::VARCHAR = 'churned'))
  AND ($kpi::VARCHAR IS NULL OR CASE $kpi::VARCHAR
        WHEN 'customers' THEN true
        WHEN 'active' THEN NOT churned
        WHEN 'churned' THEN churned
        WHEN 'churn_rate' THEN churned
        WHEN 'automatic_share' THEN payment_method_class = 'automatic'
        WHEN 'on_time_share' THEN invoices_due > 0 AND late_invoices = 0
        WHEN 'fee_share' THEN fees > 0
        ELSE false END)
  AND ($cohort::DATE IS NULL OR (
        tenure_start >= date_trunc('month', (SELECT min(issued_at) FROM fact_invoices))
        AND date_trunc('month', tenure_start)::DATE = $cohort::DATE
        AND ($month::INTEGER IS NULL OR (
              $cohort::DATE + to_months($month::INTEGER) + INTERVAL 1 MONTH <= $as_of_end::TIMESTAMPTZ
              AND (churn_at IS NULL OR churn_at >= tenure_start + to_months($month::INTEGER))))))
