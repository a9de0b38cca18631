/**
 * The base of every domain's errors: a stable `code`, a message for people and optional `details`,
 * the parts of the API error envelope, but no HTTP status. Domains raise their own subclasses
 * (analytics/errors.ts, offers/errors.ts, staffing/errors.ts) and http/errors.ts alone decides
 * which status each one is, so the code below the routes never speaks HTTP.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
