-- One row per customer of an analysis base ({{base}}: analysis_base.sql for one window) with the
-- base's columns plus what offers target that the base lacks: tenure in days, the invoice channel
-- the customer opens most (view rate of the invoices issued in [$exp_start, $exp_end); paper or
-- never-viewed customers fall back to sms for paper and their own channel otherwise), the view
-- rate of digital invoices, offers shown / accepted in the window and the last offer shown before
-- $exp_end (for the "not too many offers" eligibility limit).
WITH views AS (
  SELECT customer_id, channel, count(*) AS invoices,
         count(*) FILTER (WHERE first_viewed_at < $exp_end::TIMESTAMPTZ) AS viewed,
         max(issued_at) AS last_issued
  FROM fact_invoices
  WHERE issued_at >= $exp_start::TIMESTAMPTZ AND issued_at < $exp_end::TIMESTAMPTZ AND channel IS NOT NULL
  GROUP BY ALL
), opened AS (
  SELECT customer_id,
         arg_max(channel, (viewed / invoices, viewed, last_issued)) FILTER (WHERE viewed > 0) AS best_opened_channel,
         sum(viewed) FILTER (WHERE channel <> 'paper') / nullif(sum(invoices) FILTER (WHERE channel <> 'paper'), 0) AS invoice_view_rate
  FROM views GROUP BY customer_id
), offers AS (
  SELECT customer_id,
         count(*) FILTER (WHERE type = 'offer_shown' AND occurred_at >= $exp_start::TIMESTAMPTZ) AS offers_shown,
         count(*) FILTER (WHERE type = 'offer_accepted' AND occurred_at >= $exp_start::TIMESTAMPTZ) AS offers_accepted,
         max(occurred_at) FILTER (WHERE type = 'offer_shown') AS last_offer_shown_at
  FROM events
  WHERE type IN ('offer_shown', 'offer_accepted') AND occurred_at < $exp_end::TIMESTAMPTZ
  GROUP BY customer_id
)
SELECT b.*,
       floor((epoch_us($exp_end::TIMESTAMPTZ) - epoch_us(b.tenure_start)) / 1000000.0 / 86400)::INTEGER AS tenure_days,
       coalesce(o.best_opened_channel, CASE WHEN b.invoice_channel IN ('paper', 'unknown') THEN 'sms' ELSE b.invoice_channel END) AS best_opened_channel,
       o.invoice_view_rate::DOUBLE AS invoice_view_rate,
       coalesce(x.offers_shown, 0)::INTEGER AS offers_shown,
       coalesce(x.offers_accepted, 0)::INTEGER AS offers_accepted,
       x.last_offer_shown_at
FROM {{base}} b
LEFT JOIN opened o USING (customer_id)
LEFT JOIN offers x USING (customer_id)
-- In customer order: the model fit and every sum over these rows then run in one order, so the
-- same events give the same last digit whether the base was kept incrementally or built afresh.
ORDER BY b.customer_id
