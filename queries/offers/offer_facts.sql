-- One row per customer of an analysis base ({{base}}: analysis_base.sql for one window) with its tenure in
-- days at $exp_end. Everything else offers target (the invoice channel opened most, the view rate, the
-- offers shown and accepted, the last offer shown) is a column of the base itself: it is kept up to date
-- with the base by the catch-up, where computing it here again from every invoice and event took about a
-- second per window on the large set at every snapshot.
SELECT b.*,
       floor((epoch_us($exp_end::TIMESTAMPTZ) - epoch_us(b.tenure_start)) / 1000000.0 / 86400)::INTEGER AS tenure_days
FROM {{base}} b
-- In customer order: the model fit and every sum over these rows then run in one order, so the
-- same events give the same last digit whether the base was kept incrementally or built afresh.
ORDER BY b.customer_id
