/**
 * /v1/session: the dashboard's sign-in (issue 17, browser hygiene). POST exchanges a token for a
 * session cookie (`ip_session`: HttpOnly, SameSite=Strict, Path=/, Max-Age of SESSION_TTL_HOURS,
 * Secure over https), so the page never keeps the token; DELETE signs out; GET says whether the
 * request is signed in and as which role. Sessions are in memory (http/auth-sessions.ts): a
 * restart signs everyone out. In the open mode (no AUTH_TOKENS) there is nothing to sign in to.
 */
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppContext } from '../app-context.ts';
import { adminBodyLimit } from '../http/admin-body.ts';
import { SESSION_COOKIE, SessionState, SignIn, sessionsFor } from '../http/auth-sessions.ts';
import { checkCsrf, isHttps, lookup, sessionOf } from '../http/auth.ts';
import { ApiError, zodDetails } from '../http/errors.ts';

const COOKIE_OPTIONS = { httpOnly: true, sameSite: 'Strict', path: '/' } as const;

/** The token to sign in with: `{"token"}` in the body, else the bearer header. */
async function presentedToken(c: Context): Promise<string> {
  const text = await c.req.text();
  if (text.trim()) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'invalid_request', 'expected a JSON body {"token": "…"}');
    }
    const parsed = SignIn.safeParse(raw);
    if (!parsed.success) throw new ApiError(400, 'invalid_request', 'expected a JSON body {"token": "…"}', zodDetails(parsed.error));
    return parsed.data.token.trim();
  }
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
  if (!bearer) throw new ApiError(401, 'unauthorized', 'give the token as {"token": "…"} or Authorization: Bearer <token>');
  return bearer;
}

export function sessionRoutes(ctx: AppContext) {
  const tokens = ctx.config.tokens;
  const store = sessionsFor(tokens);
  const ttlMs = ctx.config.sessionTtlMs;
  const limit = adminBodyLimit(ctx.config.maxAdminBodyBytes);
  const csrf = { description: 'csrf_rejected: the Origin header names another site (or, signing out a live session, X-Requested-With: invoice-pulse is missing)' };
  ctx.openapi.add({
    method: 'post',
    path: '/v1/session',
    tag: 'session',
    role: 'public',
    summary: 'Sign in: exchange a token for a session cookie',
    description:
      'For the dashboard. The token (any role in AUTH_TOKENS) comes as {"token"} or as Authorization: Bearer. The answer sets `ip_session=<random id>; Max-Age=<SESSION_TTL_HOURS in seconds>; Path=/; HttpOnly; [Secure;] SameSite=Strict` (Secure when the request came over https or with X-Forwarded-Proto: https); the page never holds the token. ' +
      'A session lasts SESSION_TTL_HOURS from sign-in (use does not extend it), lives in memory only (a restart signs everyone out), and replaces the session the request already had. ' +
      'Writes authenticated by the cookie must send X-Requested-With: invoice-pulse and, if they send Origin, this origin (else 403 csrf_rejected); bearer requests are unaffected. 409 auth_open when no tokens are configured.',
    body: { description: 'the token (or an empty body with the bearer header)', content: { 'application/json': SignIn } },
    responses: {
      204: { description: 'signed in: the Set-Cookie header carries the session' },
      401: { description: 'the token is missing or not valid' },
      403: csrf,
      409: { description: 'auth_open: the service runs without tokens, there is nothing to sign in to' },
      413: { description: 'the body is larger than MAX_ADMIN_BODY_SIZE' },
    },
  });
  ctx.openapi.add({ method: 'get', path: '/v1/session', tag: 'session', role: 'public', summary: 'Whether this request is signed in (session cookie), and as which role', responses: { 200: { description: 'the session state; never the token', schema: SessionState } } });
  ctx.openapi.add({ method: 'delete', path: '/v1/session', tag: 'session', role: 'public', summary: 'Sign out: forget the session and clear the cookie', responses: { 204: { description: 'signed out (also when there was no session)' }, 403: csrf } });

  return new Hono()
    .use('*', async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    })
    .post('/', limit, async (c) => {
      if (tokens.size === 0) throw new ApiError(409, 'auth_open', 'the service runs open (no AUTH_TOKENS configured): there is nothing to sign in to');
      // A foreign page must not sign this browser in under a token of its choosing (login CSRF).
      checkCsrf(c, false);
      const token = await presentedToken(c);
      const role = lookup(tokens, token);
      if (!role) throw new ApiError(401, 'unauthorized', 'the token is not valid');
      const previous = getCookie(c, SESSION_COOKIE);
      if (previous) store.delete(previous);
      const { id } = store.create(role, token, ttlMs);
      setCookie(c, SESSION_COOKIE, id, { ...COOKIE_OPTIONS, maxAge: Math.max(1, Math.floor(ttlMs / 1000)), secure: isHttps(c) });
      return c.body(null, 204);
    })
    .get('/', (c) => {
      const session = tokens.size > 0 ? sessionOf(c, tokens) : undefined;
      return c.json(
        SessionState.parse({
          auth: tokens.size > 0 ? 'on' : 'open',
          signed_in: session !== undefined,
          role: session?.role ?? null,
          expires_at: session ? new Date(session.expiresAt).toISOString() : null,
        }),
      );
    })
    .delete('/', (c) => {
      const id = getCookie(c, SESSION_COOKIE);
      // Signing out a live session is a cookie-authenticated write; a dead cookie is just cleared.
      if (id && tokens.size > 0 && store.get(id)) checkCsrf(c, true);
      if (id) store.delete(id);
      deleteCookie(c, SESSION_COOKIE, { ...COOKIE_OPTIONS, secure: isHttps(c) });
      return c.body(null, 204);
    });
}
