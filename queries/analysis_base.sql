-- One row per customer in the analysed population, with the exposures and the outcome of docs/definitions.md.
--   lifetime: every customer who started before $exp_end::TIMESTAMPTZ; exposure over the whole history before
--             $exp_end::TIMESTAMPTZ; churned = the latest lifecycle event before $exp_end::TIMESTAMPTZ is a cancellation;
--             time = tenure (to the churn, else to $exp_end::TIMESTAMPTZ).
--   landmark: customers active at T = $exp_end::TIMESTAMPTZ; exposure in [$exp_start::TIMESTAMPTZ, T); outcome = a
--             cancellation in [T, $outcome_end::TIMESTAMPTZ); time counted from T.
-- Nothing at or after $outcome_end::TIMESTAMPTZ is read, so the future of the as-of date cannot leak in.
-- Who is a customer (docs/definitions.md): an id enters at its first subscription_started; an id with
-- no start but an invoice_issued, customer_updated, plan_changed or subscription_cancelled is a
-- customer first seen late (observed_late): it enters at the first of those. Its tenure origin is
-- the customer_since date a customer_updated may carry (an extra field: CRMs export it), else
-- unknown (tenure_known = false: tenure then runs from the first sighting, and the lifetime
-- survival and Cox analyses leave it out rather than pretend its tenure began when we first saw it).
-- entry_days = time on the tenure scale before we could have seen the customer leave (R's
-- Surv(entry, exit, event)); 0 for customers seen from their start, and always 0 in the landmark
-- view (time counts from T there). Ids with none of these events are orphans: never rows here
-- (queries/quality/orphans.sql counts them).
-- $after/$upto, when set, restrict the rows to customers the batches in ($after, $upto] touched with an event
-- dated before $outcome_end::TIMESTAMPTZ (incremental upkeep of customer_facts and of the stored bases, the same set
-- queries/bases/forget_touched.sql deletes); NULL means everyone.
-- {{events}}, {{invoices}}, {{fees}}, {{payment_months}} and {{contacts}} are the events table and the invoice, fee, payment-month and contact facts, or, for that incremental
-- upkeep, tables holding those rows of the customers the batches touched only (service/analytics/base-sql.ts): each
-- base then reads those few rows, not the whole history.
WITH scope AS (
  SELECT DISTINCT customer_id FROM {{events}}
  WHERE $after::BIGINT IS NOT NULL AND (batch_id > $after::BIGINT AND batch_id <= $upto::BIGINT) AND occurred_at < $outcome_end::TIMESTAMPTZ
), seen AS (
  -- Every customer with any event before the end: tenure falls back to the first event.
  SELECT customer_id, min(occurred_at) AS first_event,
         min(occurred_at) FILTER (WHERE type IN ('invoice_issued', 'customer_updated', 'plan_changed', 'subscription_cancelled')) AS first_evidence
  FROM {{events}} WHERE occurred_at < $outcome_end::TIMESTAMPTZ AND ($after::BIGINT IS NULL OR customer_id IN (SELECT customer_id FROM scope))
  GROUP BY customer_id
), life AS (
  -- Lifecycle and attributes, from the few events that carry them (each read separately from the
  -- bulk of invoices and payments, so the scan stays narrow).
  SELECT customer_id,
    min(occurred_at) FILTER (WHERE type = 'subscription_started') AS first_start,
    max(occurred_at) FILTER (WHERE type = 'subscription_started' AND occurred_at < $exp_end::TIMESTAMPTZ) AS last_start,
    max(occurred_at) FILTER (WHERE type = 'subscription_cancelled' AND occurred_at < $exp_end::TIMESTAMPTZ) AS last_cancel,
    min(occurred_at) FILTER (WHERE type = 'subscription_cancelled' AND occurred_at >= $exp_end::TIMESTAMPTZ) AS next_cancel,
    arg_max(vertical, occurred_at) FILTER (WHERE vertical IS NOT NULL AND occurred_at < $exp_end::TIMESTAMPTZ) AS vertical,
    arg_max(market, occurred_at) FILTER (WHERE market IS NOT NULL AND occurred_at < $exp_end::TIMESTAMPTZ) AS market,
    arg_max(birth_year, occurred_at) FILTER (WHERE birth_year IS NOT NULL AND occurred_at < $exp_end::TIMESTAMPTZ) AS birth_year,
    arg_max(segment, occurred_at) FILTER (WHERE segment IS NOT NULL AND occurred_at < $exp_end::TIMESTAMPTZ) AS segment,
    arg_max(plan, occurred_at) FILTER (WHERE plan IS NOT NULL AND occurred_at < $exp_end::TIMESTAMPTZ) AS plan,
    arg_max(monthly_price, occurred_at) FILTER (WHERE monthly_price IS NOT NULL AND occurred_at < $exp_end::TIMESTAMPTZ) AS monthly_price,
    arg_max(currency, occurred_at) FILTER (WHERE currency IS NOT NULL AND occurred_at < $exp_end::TIMESTAMPTZ) AS currency,
    arg_max(satisfaction, occurred_at) FILTER (WHERE satisfaction IS NOT NULL AND occurred_at < $exp_end::TIMESTAMPTZ) AS satisfaction,
    arg_max(score, occurred_at) FILTER (WHERE type = 'survey_response' AND occurred_at < $exp_end::TIMESTAMPTZ) AS survey_score,
    arg_max(lower(trim(method)), occurred_at) FILTER (WHERE type = 'payment_method_changed' AND occurred_at < $exp_end::TIMESTAMPTZ) AS changed_method,
    min(TRY_CAST(json_extract_string(extra, '$.customer_since') AS DATE)::TIMESTAMPTZ) FILTER (WHERE type = 'customer_updated' AND occurred_at < $exp_end::TIMESTAMPTZ) AS customer_since
  FROM {{events}}
  WHERE type IN ('subscription_started', 'subscription_cancelled', 'customer_updated', 'plan_changed', 'payment_method_changed', 'survey_response')
    AND occurred_at < $outcome_end::TIMESTAMPTZ AND ($after::BIGINT IS NULL OR customer_id IN (SELECT customer_id FROM scope))
  GROUP BY customer_id
), activity AS (
  SELECT customer_id,
    count(*) FILTER (WHERE type = 'contact' AND occurred_at >= $exp_start::TIMESTAMPTZ) AS contacts,
    count(*) FILTER (WHERE type = 'contact' AND topic IN ('invoice', 'payment', 'fee') AND occurred_at >= $exp_start::TIMESTAMPTZ) AS billing_contacts,
    count(*) FILTER (WHERE type = 'contact' AND topic = 'fee' AND occurred_at >= $exp_start::TIMESTAMPTZ) AS fee_contacts,
    count(*) FILTER (WHERE type = 'reminder_sent' AND occurred_at >= $exp_start::TIMESTAMPTZ) AS reminders,
    max(occurred_at) FILTER (WHERE type = 'contact') AS last_contact_at,
    -- Averaged as DECIMAL, an exact sum, so a customer recomputed from a few rows (the incremental upkeep) gets the
    -- same last bit as from the whole table; a ratio beyond a million (nonsense data) counts as a million.
    CAST(avg(CAST(least(used / included, 1e6) AS DECIMAL(38, 12))) FILTER (WHERE type = 'usage_reported' AND included > 0 AND occurred_at >= $exp_start::TIMESTAMPTZ) AS DOUBLE) AS usage_ratio
  FROM {{events}}
  WHERE type IN ('contact', 'reminder_sent', 'usage_reported') AND occurred_at < $exp_end::TIMESTAMPTZ AND ($after::BIGINT IS NULL OR customer_id IN (SELECT customer_id FROM scope))
  GROUP BY customer_id
), channel AS (
  SELECT customer_id, arg_max(channel, issued_at) AS invoice_channel
  FROM {{invoices}} WHERE issued_at < $exp_end::TIMESTAMPTZ AND ($after::BIGINT IS NULL OR customer_id IN (SELECT customer_id FROM scope))
  GROUP BY customer_id
), pay AS (
  SELECT e.customer_id, lower(trim(e.method)) AS method,
         coalesce(pmc.class, CASE WHEN lower(e.method) LIKE '%automatic%' THEN 'automatic' ELSE 'unknown' END) AS cls,
         count(*) AS n, max(e.occurred_at) AS last_at
  FROM {{events}} e LEFT JOIN payment_method_classes pmc ON pmc.label = lower(trim(e.method))
  WHERE e.type = 'payment_received' AND e.occurred_at >= $exp_start::TIMESTAMPTZ AND e.occurred_at < $exp_end::TIMESTAMPTZ
    AND ($after::BIGINT IS NULL OR e.customer_id IN (SELECT customer_id FROM scope))
  GROUP BY ALL
), pay_class AS (
  -- Predominant class of the payments; ties go to the class paid most recently.
  SELECT customer_id, arg_max(cls, (n, last_at)) AS cls
  FROM (SELECT customer_id, cls, sum(n) AS n, max(last_at) AS last_at FROM pay GROUP BY ALL) GROUP BY customer_id
), pay_method AS (
  SELECT customer_id, arg_max(method, (n, last_at)) AS method FROM pay GROUP BY customer_id
), inv AS (
  -- On time = paid in full by the due date; unpaid and overdue at the end of the window is late. Paid after
  -- the due date = paid at or after the start (UTC) of the day after it: the same as paid_at's UTC date >
  -- due_date, without an ICU cast per invoice.
  SELECT f.customer_id,
         count(*) AS invoices_due,
         count(*) FILTER (WHERE (f.paid_at < $exp_end::TIMESTAMPTZ AND epoch_us(f.paid_at) >= epoch_us((f.due_date + 1)::TIMESTAMP))
                             OR ((f.paid_at IS NULL OR f.paid_at >= $exp_end::TIMESTAMPTZ) AND f.due_date < $overdue_before::DATE)) AS late_invoices
  FROM {{invoices}} f
  WHERE f.issued_at < $exp_end::TIMESTAMPTZ
    AND (NOT $landmark::BOOLEAN OR (f.due_date >= $exp_start::DATE AND f.due_date < $overdue_before::DATE))
    AND ($after::BIGINT IS NULL OR f.customer_id IN (SELECT customer_id FROM scope))
  GROUP BY f.customer_id
), fee AS (
  SELECT customer_id, count(*) AS fees, sum(amount) AS fee_amount,
         count(*) FILTER (WHERE disputed_at < $exp_end::TIMESTAMPTZ) AS disputed_fees
  FROM {{fees}}
  WHERE occurred_at >= $exp_start::TIMESTAMPTZ AND occurred_at < $exp_end::TIMESTAMPTZ
    AND ($after::BIGINT IS NULL OR customer_id IN (SELECT customer_id FROM scope))
  GROUP BY customer_id
), views AS (
  -- What the offers target that the exposures lack (kept here, so a catch-up keeps them with the rest of the
  -- row): the view rate of the invoices issued in the window per channel, and the offers shown and accepted.
  -- Offers read landmark bases only: a lifetime base (and customer_facts) leaves these columns NULL rather
  -- than scan every invoice and offer event of the history for them.
  SELECT customer_id, channel, count(*) AS invoices,
         count(*) FILTER (WHERE first_viewed_at < $exp_end::TIMESTAMPTZ) AS viewed,
         max(issued_at) AS last_issued
  FROM {{invoices}}
  WHERE $landmark::BOOLEAN AND issued_at >= $exp_start::TIMESTAMPTZ AND issued_at < $exp_end::TIMESTAMPTZ AND channel IS NOT NULL
    AND ($after::BIGINT IS NULL OR customer_id IN (SELECT customer_id FROM scope))
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
  FROM {{events}}
  WHERE $landmark::BOOLEAN AND type IN ('offer_shown', 'offer_accepted') AND occurred_at < $exp_end::TIMESTAMPTZ
    AND ($after::BIGINT IS NULL OR customer_id IN (SELECT customer_id FROM scope))
  GROUP BY customer_id
), due_months AS (
  -- Lifetime bases only: the months (year × 12 + month − 1) of the customer's invoices due before the end, and of
  -- those paid in full by their due date, for the monthly trend (churn/monthly_trend.sql). Kept in the row so the
  -- trend unnests a column of the filtered customers instead of joining every invoice fact on customer_id (on the
  -- large set, 3.4 M facts: 200–340 ms per filter combination, against about 30 ms). Sorted, so a customer's row is
  -- the same however it was computed (incremental upkeep, a rebuild, Spark); NULL when there is none.
  SELECT customer_id,
         CASE WHEN count(*) > 0 THEN list_sort(list(m)) END AS due_months,
         CASE WHEN count(*) FILTER (WHERE on_time) > 0 THEN list_sort(list(m) FILTER (WHERE on_time)) END AS on_time_months
  FROM (
    SELECT customer_id, CAST(year(due_date) * 12 + month(due_date) - 1 AS INTEGER) AS m,
           paid_at < $exp_end::TIMESTAMPTZ AND epoch_us(paid_at) < epoch_us((due_date + 1)::TIMESTAMP) AS on_time
    FROM {{invoices}}
    WHERE NOT $landmark::BOOLEAN AND due_date < $exp_end::TIMESTAMPTZ::DATE AND issued_at < $exp_end::TIMESTAMPTZ
      AND ($after::BIGINT IS NULL OR customer_id IN (SELECT customer_id FROM scope))
  )
  GROUP BY customer_id
), paid_months AS (
  -- The same for the months the customer paid in (and paid automatically in) before the end, from
  -- fact_payment_months: paid in month m before the end is exactly "first_paid_at < end".
  SELECT customer_id,
         CASE WHEN count(*) > 0 THEN list_sort(list(m)) END AS paid_months,
         CASE WHEN count(*) FILTER (WHERE automatic) > 0 THEN list_sort(list(m) FILTER (WHERE automatic)) END AS automatic_months
  FROM (
    SELECT customer_id, CAST(year(month_start) * 12 + month(month_start) - 1 AS INTEGER) AS m, first_automatic_at < $exp_end::TIMESTAMPTZ AS automatic
    FROM {{payment_months}}
    WHERE NOT $landmark::BOOLEAN AND month_start < $exp_end::TIMESTAMPTZ::TIMESTAMP::DATE AND first_paid_at < $exp_end::TIMESTAMPTZ
      AND ($after::BIGINT IS NULL OR customer_id IN (SELECT customer_id FROM scope))
  )
  GROUP BY customer_id
), channel_views AS (
  -- Lifetime bases only: per invoice channel, the customer's invoices issued before the end, how many were first
  -- viewed before it, and the microseconds from issue to that first view of each viewed one, for
  -- churn/engagement_invoice_views.sql. Kept in the row for the trend's reason (due_months above): a filter
  -- combination unnests a column of the filtered customers instead of joining every invoice fact. The delays are
  -- kept one by one, not summarised, because the answer is their exact median per channel. Sorted (by channel, and
  -- each channel's delays), NULL when none, as the month lists.
  SELECT customer_id, list_sort(list(struct_pack(channel := channel, invoices := invoices, viewed := viewed, view_us := view_us))) AS invoice_views
  FROM (
    SELECT customer_id, coalesce(channel, 'unknown') AS channel, count(*) AS invoices,
           count(*) FILTER (WHERE first_viewed_at < $exp_end::TIMESTAMPTZ) AS viewed,
           CASE WHEN count(*) FILTER (WHERE first_viewed_at < $exp_end::TIMESTAMPTZ) > 0
                THEN list_sort(list(epoch_us(first_viewed_at) - epoch_us(issued_at)) FILTER (WHERE first_viewed_at < $exp_end::TIMESTAMPTZ)) END AS view_us
    FROM {{invoices}}
    WHERE NOT $landmark::BOOLEAN AND issued_at < $exp_end::TIMESTAMPTZ
      AND ($after::BIGINT IS NULL OR customer_id IN (SELECT customer_id FROM scope))
    GROUP BY customer_id, coalesce(channel, 'unknown')
  )
  GROUP BY customer_id
), recent_contacts AS (
  -- Lifetime bases only: the customer's contacts of the year before the end, one entry per channel and topic, for
  -- churn/engagement_contacts.sql (a filter combination unnests these instead of joining every contact fact; one
  -- entry per customer and pair, so counting entries counts distinct customers). Sorted, NULL when none.
  SELECT customer_id, list_sort(list(struct_pack(channel := channel, topic := topic, contacts := contacts))) AS recent_contacts
  FROM (
    SELECT customer_id, channel, topic, count(*) AS contacts
    FROM {{contacts}}
    WHERE NOT $landmark::BOOLEAN
      AND occurred_at >= $exp_end::TIMESTAMPTZ - INTERVAL 365 DAY AND occurred_at < $exp_end::TIMESTAMPTZ
      AND ($after::BIGINT IS NULL OR customer_id IN (SELECT customer_id FROM scope))
    GROUP BY ALL
  )
  GROUP BY customer_id
), base AS (
  SELECT s.customer_id, s.first_event, l.* EXCLUDE (customer_id), a.* EXCLUDE (customer_id), ch.invoice_channel,
         -- A customer_since before the first start (or with no start) means the customer existed before
         -- the data shows them: observed late, tenure from customer_since, at risk from the first sighting.
         (k.known_since OR l.first_start IS NULL) AS observed_late,
         CASE WHEN k.known_since THEN least(s.first_evidence, coalesce(l.first_start, s.first_evidence))
              ELSE coalesce(l.first_start, s.first_evidence) END AS entered_at,
         CASE WHEN k.known_since THEN l.customer_since ELSE coalesce(l.first_start, s.first_evidence) END AS tenure_start,
         (k.known_since OR l.first_start IS NOT NULL) AS tenure_known,
         (l.last_cancel IS NOT NULL AND (l.last_start IS NULL OR l.last_cancel > l.last_start)) AS churned_before,
         coalesce(pm.method, l.changed_method) AS payment_method,
         coalesce(pc.cls, CASE WHEN l.changed_method IS NULL THEN 'unknown'
                               ELSE coalesce(cm.class, CASE WHEN l.changed_method LIKE '%automatic%' THEN 'automatic' ELSE 'unknown' END) END) AS payment_method_class,
         coalesce(i.invoices_due, 0) AS invoices_due,
         coalesce(i.late_invoices, 0) AS late_invoices,
         coalesce(f.fees, 0) AS fees,
         coalesce(f.fee_amount, 0) AS fee_amount,
         coalesce(f.disputed_fees, 0) AS disputed_fees,
         o.best_opened_channel, o.invoice_view_rate, x.offers_shown, x.offers_accepted, x.last_offer_shown_at,
         dm.due_months, dm.on_time_months, pm2.paid_months, pm2.automatic_months, cv.invoice_views, rc.recent_contacts
  FROM seen s
  LEFT JOIN life l USING (customer_id)
  CROSS JOIN LATERAL (SELECT coalesce(l.customer_since <= s.first_evidence AND (l.first_start IS NULL OR l.customer_since < l.first_start), false) AS known_since) k
  LEFT JOIN activity a USING (customer_id)
  LEFT JOIN channel ch USING (customer_id)
  LEFT JOIN pay_class pc USING (customer_id)
  LEFT JOIN pay_method pm USING (customer_id)
  LEFT JOIN payment_method_classes cm ON cm.label = l.changed_method
  LEFT JOIN inv i USING (customer_id)
  LEFT JOIN fee f USING (customer_id)
  LEFT JOIN opened o USING (customer_id)
  LEFT JOIN offers x USING (customer_id)
  LEFT JOIN due_months dm USING (customer_id)
  LEFT JOIN paid_months pm2 USING (customer_id)
  LEFT JOIN channel_views cv USING (customer_id)
  LEFT JOIN recent_contacts rc USING (customer_id)
  WHERE coalesce(l.first_start, s.first_evidence) < $exp_end::TIMESTAMPTZ OR (k.known_since AND s.first_evidence < $exp_end::TIMESTAMPTZ)
)
SELECT customer_id, tenure_start,
       observed_late, tenure_known, entered_at,
       ($landmark::BOOLEAN OR tenure_known) AS on_time_scale,
       CASE WHEN $landmark::BOOLEAN THEN 0.0 ELSE (epoch_us(entered_at) - epoch_us(tenure_start)) / 1000000.0 / 86400.0 END AS entry_days,
       CASE WHEN $landmark::BOOLEAN THEN next_cancel IS NOT NULL ELSE churned_before END AS churned,
       CASE WHEN $landmark::BOOLEAN THEN next_cancel WHEN churned_before THEN last_cancel END AS churn_at,
       CASE WHEN $landmark::BOOLEAN THEN (epoch_us(coalesce(next_cancel, $outcome_end::TIMESTAMPTZ)) - epoch_us($exp_end::TIMESTAMPTZ)) / 1000000.0 / 86400.0
            ELSE (epoch_us(CASE WHEN churned_before THEN last_cancel ELSE $exp_end::TIMESTAMPTZ END) - epoch_us(tenure_start)) / 1000000.0 / 86400.0 END AS time_days,
       coalesce(vertical, 'other') AS vertical,
       coalesce(market, 'unknown') AS market,
       birth_year,
       CASE WHEN birth_year IS NULL THEN 'unknown'
            WHEN year($exp_end::TIMESTAMPTZ - INTERVAL 1 SECOND) - birth_year < 30 THEN '18-29'
            WHEN year($exp_end::TIMESTAMPTZ - INTERVAL 1 SECOND) - birth_year < 50 THEN '30-49'
            WHEN year($exp_end::TIMESTAMPTZ - INTERVAL 1 SECOND) - birth_year < 80 THEN '50-79'
            ELSE '80+' END AS age_band,
       CASE WHEN tenure_years < 1 THEN '<1y' WHEN tenure_years < 2 THEN '1-2y' ELSE '2+y' END AS tenure_band,
       coalesce(segment, 'unknown') AS segment,
       coalesce(plan, 'unknown') AS plan,
       monthly_price::DOUBLE AS monthly_price,
       currency,
       coalesce(invoice_channel, 'unknown') AS invoice_channel,
       coalesce(payment_method, '(none)') AS payment_method,
       payment_method_class,
       invoices_due, late_invoices,
       CASE WHEN late_invoices = 0 THEN 'on_time' WHEN late_invoices = 1 THEN 'late_once' ELSE 'late_repeatedly' END AS timeliness,
       fees, fee_amount::DOUBLE AS fee_amount, disputed_fees,
       CASE WHEN fees = 0 THEN 'none' WHEN fees = 1 THEN 'one' ELSE 'two_or_more' END AS fee_exposure,
       coalesce(contacts, 0) AS contacts, coalesce(billing_contacts, 0) AS billing_contacts, coalesce(fee_contacts, 0) AS fee_contacts,
       coalesce(reminders, 0) AS reminders, last_contact_at, usage_ratio, satisfaction, survey_score,
       coalesce(survey_score <= 6 OR satisfaction <= 2, false) AS dissatisfied,
       coalesce(usage_ratio < 0.4, false) AS overpriced,
       -- A plan is priced well above use when the customer uses under 40 % of what it includes.
       CASE WHEN usage_ratio IS NULL THEN 'no_usage_data' WHEN usage_ratio < 0.4 THEN 'priced_above_use' ELSE 'fits_use' END AS plan_fit,
       -- Dissatisfied: latest survey score 0–6 (a detractor) or latest satisfaction 1–2 of 5.
       CASE WHEN survey_score <= 6 OR satisfaction <= 2 THEN 'dissatisfied'
            WHEN survey_score IS NOT NULL OR satisfaction IS NOT NULL THEN 'satisfied' ELSE 'unknown' END AS satisfaction_level,
       -- The invoice channel the customer opens most (paper or never-viewed customers fall back to sms for
       -- paper and their own channel otherwise), the view rate of digital invoices, and the offers.
       CASE WHEN $landmark::BOOLEAN THEN coalesce(best_opened_channel, CASE WHEN coalesce(invoice_channel, 'unknown') IN ('paper', 'unknown') THEN 'sms' ELSE invoice_channel END) END AS best_opened_channel,
       invoice_view_rate::DOUBLE AS invoice_view_rate,
       CASE WHEN $landmark::BOOLEAN THEN coalesce(offers_shown, 0)::INTEGER END AS offers_shown,
       CASE WHEN $landmark::BOOLEAN THEN coalesce(offers_accepted, 0)::INTEGER END AS offers_accepted,
       last_offer_shown_at,
       due_months, on_time_months, paid_months, automatic_months, invoice_views, recent_contacts
FROM (
  SELECT *, (epoch_us(CASE WHEN $landmark::BOOLEAN THEN $exp_end::TIMESTAMPTZ WHEN churned_before THEN last_cancel ELSE $exp_end::TIMESTAMPTZ END) - epoch_us(tenure_start)) / 1000000.0 / (365.0 * 86400) AS tenure_years
  FROM base
)
WHERE NOT $landmark::BOOLEAN OR NOT churned_before
