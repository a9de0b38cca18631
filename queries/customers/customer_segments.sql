-- One customer's current segments and exposures: their row of customer_facts (the lifetime view as
-- of now, kept current by the facts upkeep), read only.
SELECT vertical, market, age_band, tenure_band, segment, plan, monthly_price, currency, invoice_channel,
       payment_method, payment_method_class, timeliness, invoices_due::INTEGER AS invoices_due, late_invoices::INTEGER AS late_invoices,
       fee_exposure, fees::INTEGER AS fees, fee_amount, disputed_fees::INTEGER AS disputed_fees, contacts::INTEGER AS contacts,
       billing_contacts::INTEGER AS billing_contacts, reminders::INTEGER AS reminders, plan_fit, satisfaction_level, churned,
       strftime(tenure_start, '%Y-%m-%dT%H:%M:%SZ') AS tenure_start, strftime(churn_at, '%Y-%m-%dT%H:%M:%SZ') AS churn_at
FROM customer_facts WHERE customer_id = $customer_id
