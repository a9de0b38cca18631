/**
 * The refusals of the churn analyses, raised where the analysis decides and mapped to HTTP once
 * (http/errors.ts), so analytics/ never speaks HTTP: a model that cannot be trusted on these filters
 * (too small a group, no churn events, no convergence) is refused with the reason and the counts
 * behind it, and an impossible choice of adjustments is an input error.
 */
export class AnalysisRefusedError extends Error {
  override readonly name = 'AnalysisRefusedError';
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class AnalysisInputError extends Error {
  override readonly name = 'AnalysisInputError';
  readonly code = 'invalid_request';
}
