/**
 * Issue 17, browser hygiene: the dashboard's session cookie (POST/GET/DELETE /v1/session) against
 * the real service. The cookie's flags exactly; a cookie GET works with the session's role and is
 * refused with another; a session ends at SESSION_TTL_HOURS, at sign-out, at a new sign-in and at
 * a restart; cookie writes need X-Requested-With and a same-origin Origin (403 csrf_rejected),
 * bearer writes do not; saved views name the token behind the session; the open mode needs none.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../../service/http/auth-sessions.ts';
import type { SavedView } from '../../service/views/contracts.ts';
import { startTestService, tempDir, type TestService } from '../helpers/service.ts';
import { serviceForTests } from '../helpers/service-hooks.ts';

const TOKENS = { ingest: 'ingest-token-123', read: 'read-token-4567', admin: 'admin-token-890' };
const AUTH_TOKENS = Object.entries(TOKENS).map(([r, t]) => `${r}:${t}`).join(',');
const CSRF = { 'x-requested-with': 'invoice-pulse' };
const fp = (t: string) => createHash('sha256').update(t).digest('hex').slice(0, 12);

/** Signs in over HTTP and returns the Cookie header value the browser would send back. */
async function signIn(svc: TestService, token: string): Promise<string> {
  const res = await svc.call('/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  expect(res.status).toBe(204);
  const [cookie] = res.headers.getSetCookie();
  return cookie.split(';')[0];
}

const withCookie = (cookie: string, extra: Record<string, string> = {}) => ({ cookie, ...extra });

describe('session cookies (tokens configured)', () => {
  const svc = serviceForTests({ AUTH_TOKENS });

  it('POST /v1/session sets exactly ip_session=<43-char id>; Max-Age=43200; Path=/; HttpOnly; SameSite=Strict', async () => {
    const res = await svc.call('/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKENS.read }) });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^ip_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookies[0]).not.toContain(TOKENS.read);
    // Secure when a TLS-terminating proxy says the browser came over https.
    const https = await svc.call('/v1/session', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: JSON.stringify({ token: TOKENS.read }) });
    expect(https.status).toBe(204);
    expect(https.headers.getSetCookie()[0]).toMatch(/^ip_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    expect(https.headers.getSetCookie()[0].split(';')[0]).not.toBe(cookies[0].split(';')[0]);
  });

  it('accepts the bearer header instead of a body, and refuses a wrong, missing or malformed token', async () => {
    const viaHeader = await svc.call('/v1/session', { method: 'POST', token: TOKENS.admin });
    expect(viaHeader.status).toBe(204);
    const state = (await (await svc.call('/v1/session', { headers: withCookie(viaHeader.headers.getSetCookie()[0].split(';')[0]) })).json()) as SessionState;
    expect(state.role).toBe('admin');

    const wrong = await svc.call('/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'not-a-real-token' }) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect(await wrong.json()).toEqual({ error: { code: 'unauthorized', message: 'the token is not valid' } });
    const none = await svc.call('/v1/session', { method: 'POST' });
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('unauthorized');
    for (const body of ['{"token": ', '{"token": 5}', '{"token": "read-token-4567", "role": "admin"}']) {
      const bad = await svc.call('/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(bad.status, body).toBe(400);
      expect((await bad.json()).error.code, body).toBe('invalid_request');
    }
    // A foreign page cannot sign this browser in under a token of its choosing.
    const foreign = await svc.call('/v1/session', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: JSON.stringify({ token: TOKENS.read }) });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error.code).toBe('csrf_rejected');
    expect(foreign.headers.getSetCookie()).toEqual([]);
  });

  it('GET /v1/session tells the role and expiry, never the token', async () => {
    const before = Date.now();
    const cookie = await signIn(svc, TOKENS.read);
    const res = await svc.call('/v1/session', { headers: withCookie(cookie) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(TOKENS.read);
    const state = JSON.parse(text) as SessionState;
    expect({ ...state, expires_at: null }).toEqual({ auth: 'on', signed_in: true, role: 'read', expires_at: null });
    const expires = Date.parse(state.expires_at!);
    expect(expires).toBeGreaterThanOrEqual(before + 12 * 3_600_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 12 * 3_600_000);
    expect(await (await svc.call('/v1/session')).json()).toEqual({ auth: 'on', signed_in: false, role: null, expires_at: null });
    expect(await (await svc.call('/v1/session', { headers: withCookie('ip_session=forged-id') })).json()).toEqual({ auth: 'on', signed_in: false, role: null, expires_at: null });
  });

  it('a cookie GET works for what its role may read and is refused (403) beyond it', async () => {
    const read = await signIn(svc, TOKENS.read);
    const ingest = await signIn(svc, TOKENS.ingest);
    const cases: [string, string, number][] = [
      [read, '/v1/rejected', 200],
      [read, '/v1/settings/payment-methods', 200],
      [read, '/v1/views', 200],
      [ingest, '/v1/rejected', 200],
      [ingest, '/v1/settings/payment-methods', 403],
      [ingest, '/v1/views', 403],
    ];
    for (const [cookie, path, status] of cases) {
      const res = await svc.call(path, { headers: withCookie(cookie) });
      expect(res.status, `${cookie === read ? 'read' : 'ingest'} ${path}`).toBe(status);
      const body = await res.json();
      if (status === 403) expect(body.error).toEqual({ code: 'forbidden', message: 'the ingest role may not do this; it needs read or admin' });
    }
    // A forged or missing cookie is a 401, as a missing token is.
    for (const headers of [withCookie('ip_session=forged-id'), {}]) {
      const res = await svc.call('/v1/rejected', { headers });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
    // A bearer header is judged alone: a wrong token is not rescued by a good cookie.
    const mixed = await svc.call('/v1/rejected', { token: 'not-a-real-token', headers: withCookie(read) });
    expect(mixed.status).toBe(401);
    expect((await mixed.json()).error.message).toBe('the bearer token is not valid');
  });

  it('cookie writes need X-Requested-With and a same-origin Origin; bearer writes need neither', async () => {
    const cookie = await signIn(svc, TOKENS.read);
    const post = (name: string, headers: Record<string, string>, token?: string) =>
      svc.call('/v1/views', { method: 'POST', token, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name, filters: { market: ['SE'] } }) });

    const noHeader = await post('csrf no header', withCookie(cookie));
    expect(noHeader.status).toBe(403);
    expect((await noHeader.json()).error).toEqual({ code: 'csrf_rejected', message: 'a cookie-authenticated write needs the header X-Requested-With: invoice-pulse (or use a bearer token)' });
    const wrongValue = await post('csrf wrong value', withCookie(cookie, { 'x-requested-with': 'XMLHttpRequest' }));
    expect(wrongValue.status).toBe(403);
    expect((await wrongValue.json()).error.code).toBe('csrf_rejected');
    for (const origin of ['https://evil.example', 'null', svc.url.replace('127.0.0.1', 'localhost'), svc.url.replace('http:', 'https:')]) {
      const foreign = await post(`csrf ${origin}`, withCookie(cookie, { ...CSRF, origin }));
      expect(foreign.status, origin).toBe(403);
      expect((await foreign.json()).error.code, origin).toBe('csrf_rejected');
    }

    const sameOrigin = await post('cookie same origin', withCookie(cookie, { ...CSRF, origin: svc.url }));
    expect(sameOrigin.status).toBe(201);
    const viaCookie = (await sameOrigin.json()) as SavedView;
    const noOrigin = await post('cookie no origin', withCookie(cookie, CSRF));
    expect(noOrigin.status).toBe(201);
    // Behind a TLS-terminating proxy the page's origin is https://<host>.
    const proxied = await post('cookie via proxy', withCookie(cookie, { ...CSRF, 'x-forwarded-proto': 'https', origin: svc.url.replace('http:', 'https:') }));
    expect(proxied.status).toBe(201);

    // Bearer requests are unaffected, whatever Origin or custom header they carry or lack.
    const bearer = await post('bearer plain', {}, TOKENS.read);
    expect(bearer.status).toBe(201);
    const bearerForeign = await post('bearer foreign origin', { origin: 'https://evil.example' }, TOKENS.read);
    expect(bearerForeign.status).toBe(201);
    const viaBearer = (await bearer.json()) as SavedView;

    // The session names the token it was exchanged for, exactly as that bearer token would.
    expect(viaCookie.created_by).toEqual({ role: 'read', token: fp(TOKENS.read) });
    expect(viaCookie.created_by).toEqual(viaBearer.created_by);
    const names = ((await (await svc.call('/v1/views', { token: TOKENS.read })).json()) as { views: SavedView[] }).views.map((v) => v.name).sort();
    expect(names).toEqual(['bearer foreign origin', 'bearer plain', 'cookie no origin', 'cookie same origin', 'cookie via proxy']);

    // The role still decides after the CSRF check: a read session may not change settings, an admin one may.
    const put = (c: string) =>
      svc.call('/v1/settings/payment-methods', { method: 'PUT', headers: { ...withCookie(c, CSRF), 'content-type': 'application/json' }, body: JSON.stringify({ methods: { autogiro: 'automatic', swish: 'manual' } }) });
    const asRead = await put(cookie);
    expect(asRead.status).toBe(403);
    expect((await asRead.json()).error.code).toBe('forbidden');
    const asAdmin = await put(await signIn(svc, TOKENS.admin));
    expect(asAdmin.status).toBe(200);
    expect((await asAdmin.json()).methods).toMatchObject({ autogiro: 'automatic', swish: 'manual' });
    for (const v of [viaCookie, viaBearer]) await svc.call(`/v1/views/${v.id}`, { method: 'DELETE', token: TOKENS.read });
  });

  it('sign-out (DELETE, CSRF-checked) forgets the session and clears the cookie; a new sign-in replaces the old one', async () => {
    const cookie = await signIn(svc, TOKENS.read);
    const forged = await svc.call('/v1/session', { method: 'DELETE', headers: withCookie(cookie) });
    expect(forged.status).toBe(403);
    expect((await forged.json()).error.code).toBe('csrf_rejected');
    expect((await svc.call('/v1/rejected', { headers: withCookie(cookie) })).status).toBe(200);

    const out = await svc.call('/v1/session', { method: 'DELETE', headers: withCookie(cookie, CSRF) });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()).toEqual(['ip_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict']);
    const after = await svc.call('/v1/rejected', { headers: withCookie(cookie) });
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ error: { code: 'unauthorized', message: 'the session has expired or was signed out: sign in again (POST /v1/session)' } });
    expect(((await (await svc.call('/v1/session', { headers: withCookie(cookie) })).json()) as SessionState).signed_in).toBe(false);
    // Signing out again (dead cookie, no header) or without a cookie is harmless.
    expect((await svc.call('/v1/session', { method: 'DELETE', headers: withCookie(cookie) })).status).toBe(204);
    expect((await svc.call('/v1/session', { method: 'DELETE' })).status).toBe(204);

    const first = await signIn(svc, TOKENS.read);
    const res = await svc.call('/v1/session', { method: 'POST', headers: { ...withCookie(first), 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKENS.admin }) });
    expect(res.status).toBe(204);
    const second = res.headers.getSetCookie()[0].split(';')[0];
    expect((await svc.call('/v1/rejected', { headers: withCookie(first) })).status).toBe(401);
    expect(((await (await svc.call('/v1/session', { headers: withCookie(second) })).json()) as SessionState).role).toBe('admin');
  });

  it('OpenAPI describes the routes and the cookie security scheme', async () => {
    const doc = await (await svc.call('/v1/openapi.json')).json();
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'ip_session' });
    expect(doc.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(Object.keys(doc.paths['/v1/session']).sort()).toEqual(['delete', 'get', 'post']);
    expect(doc.paths['/v1/session'].post.requestBody.content['application/json'].schema.properties.token.type).toBe('string');
    expect(Object.keys(doc.paths['/v1/session'].post.responses)).toEqual(expect.arrayContaining(['204', '400', '401', '403', '409']));
    expect(doc.paths['/v1/session'].get.responses['200'].content['application/json'].schema.properties.role).toBeDefined();
  });
});

describe('session lifetime', () => {
  const dataDir = tempDir();
  let svc: TestService;
  beforeAll(async () => {
    // 0.001 h = 3.6 s: long enough to use the session once, short enough to watch it end.
    svc = await startTestService({ AUTH_TOKENS, SESSION_TTL_HOURS: '0.001' }, dataDir);
  });
  afterAll(() => svc.stop());

  it('a session ends SESSION_TTL_HOURS after sign-in (401), with the cookie Max-Age to match', async () => {
    const res = await svc.call('/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKENS.read }) });
    const signedInAt = Date.now();
    expect(res.headers.getSetCookie()[0]).toMatch(/; Max-Age=3; /);
    const cookie = res.headers.getSetCookie()[0].split(';')[0];
    expect((await svc.call('/v1/rejected', { headers: withCookie(cookie) })).status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, signedInAt + 3_700 - Date.now())));
    const expired = await svc.call('/v1/rejected', { headers: withCookie(cookie) });
    expect(expired.status).toBe(401);
    expect((await expired.json()).error.message).toBe('the session has expired or was signed out: sign in again (POST /v1/session)');
    expect(((await (await svc.call('/v1/session', { headers: withCookie(cookie) })).json()) as SessionState).signed_in).toBe(false);
  });

  it('sessions do not survive a restart', async () => {
    const cookie = await signIn(svc, TOKENS.read);
    expect((await svc.call('/v1/rejected', { headers: withCookie(cookie) })).status).toBe(200);
    await svc.stop();
    svc = await startTestService({ AUTH_TOKENS, SESSION_TTL_HOURS: '0.001' }, dataDir);
    expect((await svc.call('/v1/rejected', { headers: withCookie(cookie) })).status).toBe(401);
  });
});

describe('open mode (no AUTH_TOKENS)', () => {
  const svc = serviceForTests();

  it('works as before without any session: reads and writes pass, cookies are ignored, sign-in says there is nothing to sign in to', async () => {
    expect((await svc.call('/v1/rejected')).status).toBe(200);
    const write = await svc.call('/v1/views', { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'ip_session=anything' }, body: JSON.stringify({ name: 'open view', filters: {} }) });
    expect(write.status).toBe(201);
    expect(((await write.json()) as SavedView).created_by).toEqual({ role: 'open', token: null });
    const signIn = await svc.call('/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'whatever-token' }) });
    expect(signIn.status).toBe(409);
    expect((await signIn.json()).error.code).toBe('auth_open');
    expect(signIn.headers.getSetCookie()).toEqual([]);
    expect(await (await svc.call('/v1/session')).json()).toEqual({ auth: 'open', signed_in: false, role: null, expires_at: null });
  });
});
