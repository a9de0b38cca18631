/**
 * Why the saved-view store refuses, mapped to HTTP once in http/errors.ts: the view does not
 * exist (404), or its name is taken by another view (409; names are the handle users pick views
 * by, so two views of one name would make the filter bar ambiguous).
 */
import { DomainError } from '../domain-error.ts';

export class ViewNotFoundError extends DomainError {
  constructor(id: string) {
    super('not_found', `no saved view with id "${id}"`);
  }
}

export class ViewNameTakenError extends DomainError {
  constructor(name: string, existingId: string) {
    super('view_name_taken', `a saved view named "${name}" exists already (names compare case-insensitively)`, { id: existingId });
  }
}
