/**
 * Authorisation with three roles (docs/api.md): `ingest` may send events, `read` may read
 * analyses, `admin` may do everything, including settings and erasure. A caller proves a role with
 * a bearer token (producers, scripts) or with the session cookie the dashboard got for a token
 * from POST /v1/session (http/auth-sessions.ts). With no token configured the service runs open
 * (start-up says so loudly), every check passes and cookies are ignored.
 *
 * CSRF: a browser attaches the cookie to any request to this origin, also one a foreign page
 * starts, so a cookie-authenticated write must show it comes from the dashboard: the custom
 * header `X-Requested-With: invoice-pulse` (a cross-site form cannot set it, and a cross-site
 * script cannot without a CORS preflight this service never grants) and, when the browser sends
 * one, an `Origin` equal to the request's own. Bearer requests carry their own proof and are
 * not checked.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { timingSafeEqual } from 'node:crypto';
import type { Role } from '../config.ts';
import { CSRF_HEADER, CSRF_HEADER_VALUE, SESSION_COOKIE, sessionsFor, type Session } from './auth-sessions.ts';
import { ApiError } from './errors.ts';

export interface Caller {
  role: Role;
  /** The token behind the request (for a session, the one it was exchanged for): its identity. */
  token: string;
  via: 'bearer' | 'session';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requireRole(tokens: Map<string, Role>, ...allowed: Role[]): MiddlewareHandler {
  return async (c, next) => {
    if (tokens.size === 0) return next();
    const caller = authenticate(c, tokens);
    if (caller.via === 'session' && !SAFE_METHODS.has(c.req.method)) checkCsrf(c, true);
    const role = caller.role;
    if (role !== 'admin' && !allowed.includes(role)) {
      throw new ApiError(403, 'forbidden', `the ${role} role may not do this; it needs ${[...allowed, 'admin'].join(' or ')}`);
    }
    c.set('role' as never, role as never);
    c.set('token' as never, caller.token as never);
    return next();
  };
}

/**
 * Who is calling (tokens configured): the bearer header when there is one (judged alone, so a
 * script's wrong token is never rescued by a stray cookie), else the session cookie. 401 otherwise.
 */
export function authenticate(c: Context, tokens: Map<string, Role>): Caller {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'unauthorized', 'a bearer token is required (Authorization: Bearer <token>)');
    const token = match[1].trim();
    const role = lookup(tokens, token);
    if (!role) throw new ApiError(401, 'unauthorized', 'the bearer token is not valid');
    return { role, token, via: 'bearer' };
  }
  const id = getCookie(c, SESSION_COOKIE);
  if (id === undefined) throw new ApiError(401, 'unauthorized', 'a bearer token is required (Authorization: Bearer <token>), or a session cookie from POST /v1/session');
  const session = sessionOf(c, tokens);
  if (!session) throw new ApiError(401, 'unauthorized', 'the session has expired or was signed out: sign in again (POST /v1/session)');
  return { role: session.role, token: session.token, via: 'session' };
}

/** The live session the request's cookie names, if any. */
export function sessionOf(c: Context, tokens: Map<string, Role>): Session | undefined {
  const id = getCookie(c, SESSION_COOKIE);
  return id ? sessionsFor(tokens).get(id) : undefined;
}

/**
 * The origin the browser should have sent: this request's host, with the scheme a TLS-terminating
 * proxy reports in X-Forwarded-Proto (the proxy must pass the Host header through unchanged).
 */
export function requestOrigin(c: Context): string {
  const url = new URL(c.req.url);
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0].trim().toLowerCase();
  const scheme = forwarded === 'https' || forwarded === 'http' ? forwarded : url.protocol.slice(0, -1);
  return `${scheme}://${url.host}`;
}

export function isHttps(c: Context): boolean {
  return requestOrigin(c).startsWith('https:');
}

/** 403 csrf_rejected unless the request is same-origin (Origin, when sent) and, if asked, carries the custom header. */
export function checkCsrf(c: Context, requireHeader: boolean): void {
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== requestOrigin(c)) {
    throw new ApiError(403, 'csrf_rejected', 'a cookie-authenticated write must come from this origin (the Origin header names another)');
  }
  if (requireHeader && c.req.header(CSRF_HEADER) !== CSRF_HEADER_VALUE) {
    throw new ApiError(403, 'csrf_rejected', `a cookie-authenticated write needs the header X-Requested-With: ${CSRF_HEADER_VALUE} (or use a bearer token)`);
  }
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
