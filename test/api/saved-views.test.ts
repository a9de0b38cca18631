/**
 * Saved views (issue 15): CRUD under the read role, names unique case-insensitively, the filter
 * set validated against the analyses' filter schema (unknown keys and bad values refused with
 * their path), audit fields, the expanded query being a working analysis query, and persistence
 * across a restart (migration 5_issue15_saved_views).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedView } from '../../service/views/contracts.ts';
import { startTestService, tempDir, type TestService } from '../helpers/service.ts';

const TOKENS = { AUTH_TOKENS: 'read:reader-token-1,read:reader-token-2,admin:admin-token-1,ingest:ingest-token-1' };
const dataDir = tempDir();
let svc: TestService;
const fp = (t: string) => createHash('sha256').update(t).digest('hex').slice(0, 12);

beforeAll(async () => {
  svc = await startTestService({ ...TOKENS, SAMPLE_DATA: 'small' }, dataDir);
});
afterAll(() => svc.stop());

const send = (method: string, path: string, body?: unknown, token = 'reader-token-1') =>
  svc.call(path, { method, token, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });

describe('saved views', () => {
  let first: SavedView;

  it('creates a view with only the filters given, normalised, and its audit fields', async () => {
    const res = await send('POST', '/v1/views', { name: '  Manual payers SE ', filters: { market: 'SE', payment_method_class: ['manual'], view: 'landmark', horizon_days: '60' } });
    expect(res.status).toBe(201);
    first = (await res.json()) as SavedView;
    expect(first.name).toBe('Manual payers SE');
    expect(first.filters).toEqual({ market: ['SE'], payment_method_class: ['manual'], view: 'landmark', horizon_days: 60 });
    expect(first.query).toBe('view=landmark&horizon_days=60&market=SE&payment_method_class=manual');
    expect(first.link).toBe(`/?saved_view=${first.id}`);
    expect(first.created_by).toEqual({ role: 'read', token: fp('reader-token-1') });
    expect(first.updated_by).toEqual(first.created_by);
    expect(first.created_at).toBe(first.updated_at);
    expect(Date.now() - Date.parse(first.created_at)).toBeLessThan(60_000);
  });

  it('its expanded query is a valid analysis query that narrows the analysis as the filters say', async () => {
    const all = await (await svc.call('/v1/churn/summary?view=landmark&horizon_days=60', { token: 'reader-token-1' })).json();
    const narrowed = await (await svc.call(`/v1/churn/summary?${first.query}`, { token: 'reader-token-1' })).json();
    const direct = await (await svc.call('/v1/churn/summary?view=landmark&horizon_days=60&market=SE&payment_method_class=manual', { token: 'reader-token-1' })).json();
    const n = (b: { kpis: { key: string; n: number }[] }) => b.kpis.find((k) => k.key === 'churn_rate')!.n;
    expect(n(narrowed)).toBe(n(direct));
    expect(n(narrowed)).toBeGreaterThan(0);
    expect(n(narrowed)).toBeLessThan(n(all));
  });

  it('refuses unknown filters, bad values, empty names and a taken name (case-insensitive)', async () => {
    const bad = await send('POST', '/v1/views', { name: 'x', filters: { markets: ['SE'] } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'filters.markets' })]));
    const badValue = await send('POST', '/v1/views', { name: 'x', filters: { vertical: ['telecom', 'spaceships'] } });
    expect(badValue.status).toBe(400);
    expect(JSON.stringify((await badValue.json()).error.details)).toContain('filters.vertical');
    expect((await send('POST', '/v1/views', { name: 'x', filters: { horizon_days: 3 } })).status).toBe(400);
    expect((await send('POST', '/v1/views', { name: '   ', filters: {} })).status).toBe(400);
    expect((await send('POST', '/v1/views', '{"name": ')).status).toBe(400);
    const taken = await send('POST', '/v1/views', { name: 'manual PAYERS se', filters: {} });
    expect(taken.status).toBe(409);
    expect((await taken.json()).error).toMatchObject({ code: 'view_name_taken', details: { id: first.id } });
  });

  it('renames (also to another case of its own name), changes filters, records who changed it', async () => {
    await new Promise((r) => setTimeout(r, 20));
    const res = await send('PATCH', `/v1/views/${first.id}`, { name: 'MANUAL payers se' }, 'reader-token-2');
    expect(res.status).toBe(200);
    const renamed = (await res.json()) as SavedView;
    expect(renamed.name).toBe('MANUAL payers se');
    expect(renamed.filters).toEqual(first.filters);
    expect(renamed.created_at).toBe(first.created_at);
    expect(renamed.created_by.token).toBe(fp('reader-token-1'));
    expect(renamed.updated_by).toEqual({ role: 'read', token: fp('reader-token-2') });
    expect(Date.parse(renamed.updated_at)).toBeGreaterThan(Date.parse(first.created_at));

    const second = (await (await send('POST', '/v1/views', { name: 'Broadband', filters: { vertical: 'broadband' } })).json()) as SavedView;
    expect((await send('PATCH', `/v1/views/${second.id}`, { name: 'manual payers SE' })).status).toBe(409);
    const refiltered = (await (await send('PATCH', `/v1/views/${second.id}`, { filters: { vertical: ['broadband', 'telecom'] }, description: 'two verticals' })).json()) as SavedView;
    expect(refiltered).toMatchObject({ name: 'Broadband', description: 'two verticals', filters: { vertical: ['broadband', 'telecom'] }, query: 'vertical=broadband&vertical=telecom' });
    expect((await send('PATCH', `/v1/views/${second.id}`, {})).status).toBe(400);
    expect((await send('PATCH', '/v1/views/nope', { name: 'y' })).status).toBe(404);

    const list = (await (await send('GET', '/v1/views')).json()) as { views: SavedView[] };
    expect(list.views.map((v) => v.name)).toEqual(['Broadband', 'MANUAL payers se']);
  });

  it('is under the read role: 401 without a token, 403 for ingest, admin allowed', async () => {
    expect((await svc.call('/v1/views')).status).toBe(401);
    expect((await send('POST', '/v1/views', { name: 'i', filters: {} }, 'ingest-token-1')).status).toBe(403);
    const admin = await send('POST', '/v1/views', { name: 'Admin view', filters: {} }, 'admin-token-1');
    expect(admin.status).toBe(201);
    const made = (await admin.json()) as SavedView;
    expect(made.created_by.role).toBe('admin');
    expect(made.query).toBe('');
    expect((await send('DELETE', `/v1/views/${made.id}`)).status).toBe(204);
    expect((await send('GET', `/v1/views/${made.id}`)).status).toBe(404);
    expect((await send('DELETE', `/v1/views/${made.id}`)).status).toBe(404);
  });

  it('survives a restart, and is in the OpenAPI document', async () => {
    await svc.stop();
    svc = await startTestService(TOKENS, dataDir);
    const list = (await (await send('GET', '/v1/views')).json()) as { views: SavedView[] };
    expect(list.views.map((v) => [v.name, v.filters])).toEqual([
      ['Broadband', { vertical: ['broadband', 'telecom'] }],
      ['MANUAL payers se', first.filters],
    ]);
    const doc = await (await svc.call('/v1/openapi.json')).json();
    expect(Object.keys(doc.paths['/v1/views/{id}']).sort()).toEqual(['delete', 'get', 'patch']);
    expect(Object.keys(doc.paths['/v1/views']).sort()).toEqual(['get', 'post']);
  });
});
