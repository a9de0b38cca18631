/**
 * The refusals of the customer endpoints, raised where they decide and mapped to HTTP once
 * (http/errors.ts): a drill-down whose parameters name no single group (400), and a customer with
 * nothing stored (404 `customer_not_found`). An erased customer answers the same as one never seen:
 * erasure keeps no trace of the id, by design, so "erased" cannot be told apart and nothing about
 * them can be shown.
 */
import { DomainError } from '../domain-error.ts';

export class DrillInputError extends DomainError {
  constructor(message: string) {
    super('invalid_request', message);
  }
}

export class CustomerNotFoundError extends DomainError {
  constructor(id: string) {
    super('customer_not_found', `no customer ${id}: nothing is stored under this id (never seen, or erased)`);
  }
}
