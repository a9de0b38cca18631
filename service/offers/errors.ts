/**
 * The refusals of the offer engine, raised where it decides and mapped to HTTP once
 * (http/errors.ts): the churn-risk model cannot be fitted on this window (too few churn events, a
 * diverging fit), or the customer asked about has no events by the as-of date.
 */
export class RiskModelRefusedError extends Error {
  override readonly name = 'RiskModelRefusedError';
  readonly code = 'model_refused';
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class UnknownCustomerError extends Error {
  override readonly name = 'UnknownCustomerError';
  readonly code = 'not_found';
}
