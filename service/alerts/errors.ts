/**
 * Why the alert store refuses, mapped to HTTP once in http/errors.ts: an unknown rule (404), or a
 * rule name already taken (409; rules are told apart by name in the UI and in the webhook).
 */
import { DomainError } from '../domain-error.ts';

export class RuleNotFoundError extends DomainError {
  constructor(id: string) {
    super('not_found', `no alert rule with id "${id}"`);
  }
}

export class RuleNameTakenError extends DomainError {
  constructor(name: string) {
    super('rule_name_taken', `an alert rule named "${name}" exists already (names compare case-insensitively)`);
  }
}
