/**
 * Header and exposure hygiene (issue 17, items 10 and 11): security headers on every answer,
 * no database path for anonymous callers, and bounded admin bodies.
 */
import { describe, expect, it } from 'vitest';
import { startTestService } from '../helpers/service.ts';
import { serviceForTests } from '../helpers/service-hooks.ts';

const ADMIN = 'admin-token-h17';
const svc = serviceForTests({ AUTH_TOKENS: `admin:${ADMIN},read:read-token-h17` });

describe('query parameters have ranges (item 8)', () => {
  it('answers 400 invalid_request, never 500, for dates and numbers out of range', async () => {
    const READ = 'read-token-h17';
    for (const p of [
      '/v1/churn/summary?as_of=9999-12-31',
      '/v1/churn/by/payment_method_class?as_of=0001-01-01',
      '/v1/offers/audience?min_expected_value=1e308',
      '/v1/offers/audience.csv?min_expected_value=1e308',
      '/v1/staffing/plan?as_of=9999-12-31',
      '/v1/rejected?offset=1e308',
    ]) {
      const res = await svc.call(p, { token: READ });
      expect(res.status, p).toBe(400);
      expect((await res.json()).error.code, p).toBe('invalid_request');
    }
  });
});

describe('OpenAPI role notes (item 11)', () => {
  it('name every role the code lets through', async () => {
    const doc = await (await svc.call('/v1/openapi.json')).json();
    expect(doc.paths['/v1/rejected'].get.description).toContain('Roles: ingest, read, admin.');
    expect(doc.paths['/v1/rejected'].delete.description).toContain('Roles: admin.');
    expect(doc.paths['/v1/ingestion/status'].get.description).toContain('Roles: read, ingest, admin.');
    expect(doc.paths['/v1/events'].post.description).toContain('Roles: ingest, admin.');
    expect(doc.paths['/v1/health'].get.description).toContain('Role: public');
  });
});

describe('HTTP hygiene', () => {
  it('every answer carries CSP, nosniff, no framing and no referrer', async () => {
    for (const p of ['/v1/health', '/v1/openapi.json', '/v1/rejected', '/v1/no-such-route']) {
      const res = await svc.call(p);
      await res.arrayBuffer();
      expect(res.headers.get('content-security-policy'), p).toMatch(/default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/);
      expect(res.headers.get('content-security-policy')).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('GET answers carry the service time (Server-Timing), writes do not', async () => {
    const res = await svc.call('/v1/churn/summary', { token: 'read-token-h17' });
    await res.arrayBuffer();
    const m = /^total;dur=(\d+(\.\d+)?);desc="service"$/.exec(res.headers.get('server-timing') ?? '');
    expect(m, res.headers.get('server-timing') ?? 'no Server-Timing').not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    const post = await svc.call('/v1/events', { method: 'POST', token: ADMIN, body: '', headers: { 'content-type': 'application/x-ndjson' } });
    await post.arrayBuffer();
    expect(post.headers.get('server-timing')).toBeNull();
  });

  it('/v1/health names the database file to admin tokens only', async () => {
    const anonymous = await (await svc.call('/v1/health')).json();
    expect(anonymous.status).toBe('ok');
    expect(anonymous.database.file).toBeUndefined();
    expect(JSON.stringify(anonymous)).not.toContain(svc.dataDir);
    expect((await (await svc.call('/v1/health', { token: 'read-token-h17' })).json()).database.file).toBeUndefined();
    expect((await (await svc.call('/v1/health', { token: ADMIN })).json()).database.file).toContain(svc.dataDir);
  });

  // Last: the server closes a connection whose body it refused unread.
  it('admin bodies over MAX_ADMIN_BODY_SIZE answer 413 payload_too_large before parsing', async () => {
    const methods = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`m${i}`, 'manual']));
    for (const [path, body] of [['/v1/settings/payment-methods', JSON.stringify({ methods })], ['/v1/offers/catalogue', JSON.stringify({ offers: [], pad: 'x'.repeat(2_000_000) })]]) {
      const t0 = performance.now();
      const res = await svc.call(path, { method: 'PUT', token: ADMIN, body, headers: { 'content-type': 'application/json' } });
      expect(res.status, path).toBe(413);
      expect((await res.json()).error).toMatchObject({ code: 'payload_too_large', details: { limit_bytes: 1048576 } });
      expect(performance.now() - t0).toBeLessThan(2000);
    }
  });
});

describe('static files (item 11)', () => {
  it('serves the build folder but never follows a symbolic link out of it', async () => {
    const { WEB_BUILD_DIR } = await import('../../service/app.ts');
    const fs = await import('node:fs');
    const path = await import('node:path');
    expect(fs.existsSync(WEB_BUILD_DIR), 'npm test builds the dashboard first').toBe(true);
    const link = path.join(WEB_BUILD_DIR, `hygiene-link-${process.pid}.txt`);
    fs.symlinkSync('/etc/hostname', link);
    try {
      const svc2 = await startTestService();
      try {
        const shell = await svc2.call('/');
        expect(shell.status).toBe(200);
        expect(await shell.text()).toContain('<script');
        const res = await svc2.call(`/${path.basename(link)}`);
        expect(res.status).toBe(404);
        expect((await res.json()).error.code).toBe('not_found');
      } finally {
        await svc2.stop();
      }
    } finally {
      fs.unlinkSync(link);
    }
  });
});
