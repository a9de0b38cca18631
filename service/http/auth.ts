/**
 * Bearer-token authorisation with three roles (docs/api.md): `ingest` may send events, `read` may
 * read analyses, `admin` may do everything, including settings and erasure. With no token
 * configured the service runs open (start-up says so loudly) and every check passes.
 */
import type { MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'node:crypto';
import type { Role } from '../config.ts';
import { ApiError } from './errors.ts';

export function requireRole(tokens: Map<string, Role>, ...allowed: Role[]): MiddlewareHandler {
  return async (c, next) => {
    if (tokens.size === 0) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'unauthorized', 'a bearer token is required (Authorization: Bearer <token>)');
    const role = lookup(tokens, match[1].trim());
    if (!role) throw new ApiError(401, 'unauthorized', 'the bearer token is not valid');
    if (role !== 'admin' && !allowed.includes(role)) {
      throw new ApiError(403, 'forbidden', `the ${role} role may not do this; it needs ${[...allowed, 'admin'].join(' or ')}`);
    }
    c.set('role' as never, role as never);
    return next();
  };
}

export function lookup(tokens: Map<string, Role>, presented: string): Role | undefined {
  // Compare in constant time against every token so timing reveals nothing about near misses.
  let found: Role | undefined;
  const p = Buffer.from(presented);
  for (const [token, role] of tokens) {
    const t = Buffer.from(token);
    if (t.length === p.length && timingSafeEqual(t, p)) found = role;
  }
  return found;
}
