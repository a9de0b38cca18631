/**
 * The offer catalogue: defaults, admin-only replacement, validation with the path of every problem,
 * and persistence across a restart (migration 2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueResponse } from '../../service/offers/contracts.ts';
import { startTestService, tempDir, type TestService } from '../helpers/service.ts';

const TOKENS = { AUTH_TOKENS: 'read:reader-token-1,admin:admin-token-1,ingest:ingest-token-1' };
const dataDir = tempDir();
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService(TOKENS, dataDir);
});
afterAll(() => svc.stop());

const put = (body: unknown, token?: string) =>
  svc.call('/v1/offers/catalogue', { method: 'PUT', token, headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const current = async () => (await (await svc.call('/v1/offers/catalogue', { token: 'reader-token-1' })).json()) as CatalogueResponse;
const editable = (c: CatalogueResponse) => ({ reporting_currency: c.reporting_currency, exchange_rates: c.exchange_rates, offers: c.offers });

describe('offer catalogue', () => {
  it('starts with the six default offers, each with a rule, a behaviour, acceptance, cost and eligibility limits', async () => {
    const c = await current();
    expect(c.is_default).toBe(true);
    expect(c.version).toBeNull();
    expect(c.offers.map((o) => o.id)).toEqual(['direct_debit', 'soft_reminder', 'fee_waiver', 'e_invoice', 'right_size_plan', 'loyalty']);
    for (const o of c.offers) {
      expect(o.acceptance_rate).toBeGreaterThan(0);
      expect(o.eligibility).toEqual(expect.objectContaining({ cooldown_days: 90, exclude_churned: true }));
      expect(o.behaviour.exposed).toBeTruthy();
    }
    expect(c.offers.find((o) => o.id === 'soft_reminder')!.channel).toBe('best_opened');
    expect(c.rule_columns.find((r) => r.name === 'risk')).toMatchObject({ type: 'number', in_behaviour: false });
  });

  it('is read-only without a token or for non-admin roles (401/403)', async () => {
    const body = editable(await current());
    expect((await svc.call('/v1/offers/catalogue')).status).toBe(401);
    expect((await put(body)).status).toBe(401);
    expect((await put(body, 'not-a-real-token')).status).toBe(401);
    for (const token of ['reader-token-1', 'ingest-token-1']) {
      const res = await put(body, token);
      expect(res.status, token).toBe(403);
      expect((await res.json()).error.code).toBe('forbidden');
    }
    expect((await current()).is_default).toBe(true);
  });

  it('rejects an invalid catalogue with 400 and the path of each problem', async () => {
    const base = editable(await current());
    const cases: [unknown, string][] = [
      ['{not json', ''],
      [{ ...base, offers: [] }, 'offers'],
      [{ ...base, offers: [...base.offers, base.offers[0]] }, 'offers.6.id'],
      [{ ...base, offers: [{ ...base.offers[0], acceptance_rate: 1.5 }] }, 'offers.0.acceptance_rate'],
      [{ ...base, offers: [{ ...base.offers[0], id: 'Bad Id!' }] }, 'offers.0.id'],
      [{ ...base, offers: [{ ...base.offers[0], target: { column: 'password', op: 'eq', value: 'x' } }] }, 'offers.0.target.column'],
      [{ ...base, offers: [{ ...base.offers[0], target: { column: 'vertical', op: 'gt', value: 3 } }] }, 'offers.0.target.op'],
      [{ ...base, offers: [{ ...base.offers[0], target: { column: 'late_invoices', op: 'in', value: 2 } }] }, 'offers.0.target.value'],
      [{ ...base, offers: [{ ...base.offers[0], target: { column: 'late_invoices', op: 'gte', value: "1; DROP TABLE events" } }] }, 'offers.0.target.value'],
      [{ ...base, offers: [{ ...base.offers[0], target: { all: [{ column: 'fees', op: 'gt', value: 0 }], any: [] } }] }, 'offers.0.target'],
      [{ ...base, offers: [{ ...base.offers[0], behaviour: { ...base.offers[0].behaviour, exposed: { column: 'risk', op: 'gt', value: 0.2 } } }] }, 'offers.0.behaviour.exposed.column'],
      [{ ...base, offers: [{ ...base.offers[0], reason: 'hello {secret_column}' }] }, 'offers.0.reason'],
      [{ ...base, offers: [{ ...base.offers[0], eligibility: { ...base.offers[0].eligibility, exclude_churned: false } }] }, 'offers.0.eligibility.exclude_churned'],
      [{ ...base, exchange_rates: { SEK: 0.1 } }, 'exchange_rates'],
    ];
    for (const [body, path] of cases) {
      const res = await put(body, 'admin-token-1');
      const json = await res.json();
      expect(res.status, path).toBe(400);
      expect(json.error.code).toBe('invalid_request');
      if (path) expect((json.error.details as { path: string }[]).map((d) => d.path), JSON.stringify(json.error.details)).toContain(path);
    }
    expect((await current()).is_default).toBe(true);
  });

  it('lets an admin add the business’s own offer, saved as a new version that survives a restart', async () => {
    const base = editable(await current());
    const own = {
      id: 'paperless_bonus',
      name: 'Paperless bonus for young paper payers',
      description: 'A one-off credit for switching from paper, for under-30s.',
      channel: 'sms',
      target: { all: [{ column: 'invoice_channel', op: 'eq', value: 'paper' }, { column: 'age_band', op: 'in', value: ['18-29'] }, { not: { column: 'risk', op: 'lt', value: 0.01 } }] },
      behaviour: { description: 'paper → digital', exposed: { column: 'invoice_channel', op: 'eq', value: 'paper' }, changed_to: { column: 'invoice_channel', op: 'neq', value: 'paper' } },
      acceptance_rate: 0.2,
      monthly_cost: 1,
      reason: 'Young paper payer ({age_band})',
      eligibility: { cooldown_days: 180, after_acceptance_days: 3650, min_days_since_any_offer: 14 },
    };
    const res = await put({ ...base, offers: [...base.offers, own] }, 'admin-token-1');
    expect(res.status).toBe(200);
    const saved = (await res.json()) as CatalogueResponse;
    expect(saved).toMatchObject({ version: 1, is_default: false });
    expect(saved.offers.at(-1)).toMatchObject({ id: 'paperless_bonus', enabled: true, price_discount_share: 0, eligibility: { exclude_churned: true, cooldown_days: 180 } });
    await svc.stop();
    svc = await startTestService(TOKENS, dataDir);
    const after = await current();
    expect(after.version).toBe(1);
    expect(after.offers.map((o) => o.id)).toContain('paperless_bonus');
    const second = await put(editable(after), 'admin-token-1');
    expect(((await second.json()) as CatalogueResponse).version).toBe(2);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await (await svc.call('/v1/openapi.json')).json();
    for (const p of ['/v1/offers/catalogue', '/v1/offers/recommendations', '/v1/offers/audience', '/v1/offers/audience.csv', '/v1/offers/performance', '/v1/offers/model', '/v1/customers/{id}/risk', '/v1/customers/{id}']) {
      expect(doc.paths[p], p).toBeTruthy();
    }
    expect(doc.paths['/v1/offers/catalogue'].put.requestBody.content['application/json'].schema).toBeTruthy();
    expect(doc.paths['/v1/customers/{id}'].delete.description).toMatch(/admin/);
  });
});
