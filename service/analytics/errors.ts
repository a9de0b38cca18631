/**
 * The refusals of the churn analyses, raised where the analysis decides and mapped to HTTP once
 * (http/errors.ts): a model that cannot be trusted on these filters (too small a group, no churn
 * events, no convergence) is refused with the reason and the counts behind it (422), and an
 * impossible choice of adjustments is an input error (400).
 */
import { DomainError } from '../domain-error.ts';

export class AnalysisRefusedError extends DomainError {}

export class AnalysisInputError extends DomainError {
  constructor(message: string) {
    super('invalid_request', message);
  }
}
