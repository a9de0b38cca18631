/**
 * The analytical endpoints the behaviour-pinning tests call, in one list: the snapshot test
 * (test/api/analytics-snapshot.test.ts) pins every one on the small sample, and the Spark test
 * (test/spark/spark-engine.test.ts) compares the engines on those that read analysis bases. A new
 * analytical endpoint is added here once and both follow.
 */

export const ANALYTICAL_ENDPOINTS = [
  '/v1/churn/summary',
  '/v1/churn/summary?view=lifetime&vertical=telecom,broadband',
  '/v1/churn/by/payment_method_class',
  '/v1/churn/by/timeliness?view=landmark&lookback_days=120&horizon_days=60',
  '/v1/churn/by/fee_exposure?reference=two_or_more&market=SE',
  '/v1/churn/by/payment_method',
  '/v1/churn/by/age_band',
  '/v1/churn/by/tenure_band?plan=basic',
  '/v1/churn/by/invoice_channel',
  '/v1/churn/dose-response/late_invoices',
  '/v1/churn/dose-response/fees?view=landmark',
  '/v1/churn/survival?by=timeliness',
  '/v1/churn/survival?by=payment_method_class&view=landmark',
  '/v1/churn/drivers',
  '/v1/churn/drivers?view=lifetime&dimensions=vertical,age_band&ties=breslow',
  '/v1/churn/cohorts',
  '/v1/churn/heatmap',
  '/v1/churn/heatmap?rows=age_band&factor=fee_exposure&view=landmark',
  '/v1/churn/dimensions',
  '/v1/engagement',
  '/v1/engagement?vertical=energy',
  '/v1/fees/economics',
  '/v1/fees/economics?view=landmark',
  '/v1/ingestion/status',
  '/v1/offers/catalogue',
  '/v1/offers/model',
  '/v1/offers/recommendations',
  '/v1/offers/recommendations?by=vertical',
  '/v1/offers/audience',
  '/v1/offers/audience?offer_id=direct_debit&sort=risk&page=2&page_size=20',
  '/v1/offers/audience.csv?offer_id=e_invoice',
  '/v1/offers/performance',
  '/v1/offers/performance?by=vertical',
  '/v1/staffing/erlang-c?calls=120&aht_seconds=300',
  '/v1/staffing/history',
  '/v1/staffing/history?by_topic=true&channel=phone&interval_minutes=60',
  '/v1/staffing/contact-calendar',
  '/v1/staffing/plan?weeks=2&intervals=true',
  '/v1/staffing/plan?weeks=1&scenario=paper_to_digital:50',
  '/v1/staffing/plan.csv?weeks=1',
  '/v1/staffing/backtest',
  '/v1/staffing/scenarios',
  '/v1/operations/time-thieves',
  '/v1/settings/payment-methods',
];

/** The endpoints whose answers come from the analysis bases (so from the Spark engine when it is on). */
export const BASE_ENDPOINTS = ANALYTICAL_ENDPOINTS.filter((e) => /^\/v1\/(churn\/|engagement|fees\/|offers\/(?!catalogue))/.test(e));
