/**
 * The refusals of the offer engine, raised where it decides and mapped to HTTP once
 * (http/errors.ts): the churn-risk model cannot be fitted on this window (too few churn events, a
 * diverging fit: 422), or the customer asked about has no events by the as-of date (404).
 */
import { DomainError } from '../domain-error.ts';

export class RiskModelRefusedError extends DomainError {
  constructor(message: string, details?: unknown) {
    super('model_refused', message, details);
  }
}

export class UnknownCustomerError extends DomainError {
  constructor(message: string) {
    super('not_found', message);
  }
}
