/**
 * Alerts (issue 15) against the real service and a real webhook receiver on loopback: a rule's
 * measurement equals the Overview KPI for the same segment and window exactly; a rule that fires
 * is delivered signed, retried with backoff after two 500s, with one idempotency key and no
 * duplicates on re-evaluation; ingesting cancellations fires a rule after the debounce; a
 * resolved alert follows a rule that stops firing; a restart resumes a pending delivery; rules
 * are validated and admin-only to write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertList, AlertRule } from '../../service/alerts/contracts.ts';
import type { Summary } from '../../service/analytics/contracts.ts';
import { startTestService, tempDir, type TestService } from '../helpers/service.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

const SECRET = 'alert-secret-for-tests-0123';
const TOKENS = 'read:reader-token-1,admin:admin-token-1,ingest:ingest-token-1';
let svc: TestService;
let hook: Receiver;

const env = (url: string, extra: Record<string, string> = {}) => ({
  SAMPLE_DATA: 'small',
  AUTH_TOKENS: TOKENS,
  ALERT_WEBHOOK_URL: url,
  ALERT_WEBHOOK_SECRET: SECRET,
  ALERT_WEBHOOK_BACKOFF_MS: '150',
  ALERT_EVAL_DEBOUNCE_MS: '100',
  ...extra,
});

beforeAll(async () => {
  hook = await startReceiver(SECRET, [500, 500]);
  svc = await startTestService(env(hook.url));
});
afterAll(async () => {
  await svc?.stop();
  await hook?.close();
});

const admin = (method: string, path: string, body?: unknown) =>
  svc.call(path, { method, token: 'admin-token-1', headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
const alerts = async (q = '') => (await (await svc.call(`/v1/alerts${q}`, { token: 'reader-token-1' })).json()) as AlertList;
const kpi = async (query: string) => {
  const s = (await (await svc.call(`/v1/churn/summary?view=landmark&${query}`, { token: 'reader-token-1' })).json()) as Summary;
  return { asOf: s.as_of, churn: s.kpis.find((k) => k.key === 'churn_rate')!, churned: s.kpis.find((k) => k.key === 'churned')! };
};
const until = async <T,>(what: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000, every = 50): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting; last: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, every));
  }
};

describe('alert rules', () => {
  it('validates rules and lets only admin write them', async () => {
    const bad = await admin('POST', '/v1/alerts/rules', { name: 'x', kind: 'rate_above', segment: { verticals: ['broadband'] } });
    expect(bad.status).toBe(400);
    const details = JSON.stringify((await bad.json()).error.details);
    expect(details).toContain('segment.verticals');
    expect(details).toContain('threshold');
    expect((await admin('POST', '/v1/alerts/rules', { name: 'x', kind: 'rate_above', threshold: 1.5 })).status).toBe(400);
    expect((await admin('POST', '/v1/alerts/rules', { name: 'x', kind: 'change_vs_previous', window_days: 3 })).status).toBe(400);
    expect((await admin('POST', '/v1/alerts/rules', { name: 'x', kind: 'change_vs_previous', segment: { as_of: '2026-01-01' } })).status).toBe(400);
    const asReader = await svc.call('/v1/alerts/rules', { method: 'POST', token: 'reader-token-1', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', kind: 'change_vs_previous' }) });
    expect(asReader.status).toBe(403);
    expect((await svc.call('/v1/alerts/rules')).status).toBe(401);
    expect((await svc.call('/v1/alerts/rules', { token: 'reader-token-1' })).status).toBe(200);
    expect((await svc.call('/v1/alerts', { token: 'ingest-token-1' })).status).toBe(403);
  });
});

describe('alerts and the webhook', () => {
  let firing: AlertRule;

  it('a rule measures exactly what the Overview shows, fires at once, and is delivered signed after two 500s, with backoff and one idempotency key', async () => {
    const base = await kpi('horizon_days=30&vertical=broadband');
    expect(base.churn.n).toBeGreaterThan(30);
    const res = await admin('POST', '/v1/alerts/rules', { name: 'Broadband churn', kind: 'rate_above', segment: { vertical: 'broadband' }, window_days: 30, threshold: base.churn.value! / 2 });
    expect(res.status).toBe(201);
    firing = (await res.json()) as AlertRule;
    const ev = firing.last_evaluation!;
    expect(ev.state).toBe('firing');
    expect(ev.period).toEqual({ start: new Date(Date.parse(`${base.asOf}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10), end: base.asOf });
    expect(ev.measurement!.current.n).toBe(base.churn.n);
    expect(ev.measurement!.current.churned).toBe(base.churned.value);
    expect(ev.measurement!.current.rate).toBe(base.churn.value);
    expect(ev.measurement!.current.rate_ci).toEqual(base.churn.ci);

    const delivered = await until(() => alerts(), (l) => l.alerts[0]?.delivery.status === 'delivered');
    const alert = delivered.alerts[0];
    expect(delivered.total).toBe(1);
    expect(delivered.firing).toBe(1);
    expect(alert).toMatchObject({ rule_id: firing.id, rule_name: 'Broadband churn', state: 'firing', period: ev.period });
    expect(alert.delivery).toMatchObject({ attempts: 3, last_status: 200, last_error: null, next_attempt_at: null });

    expect(hook.received.map((r) => r.answered)).toEqual([500, 500, 200]);
    expect(hook.received.every((r) => r.signatureValid)).toBe(true);
    expect(new Set(hook.received.map((r) => r.headers['idempotency-key']))).toEqual(new Set([alert.id]));
    expect(hook.received.map((r) => r.body.attempt)).toEqual([1, 2, 3]);
    // Exponential backoff: 150 ms, then 300 ms (and not much more on a quiet loopback).
    const gaps = hook.received.slice(1).map((r, i) => r.at - hook.received[i].at);
    expect(gaps[0]).toBeGreaterThanOrEqual(140);
    expect(gaps[1]).toBeGreaterThanOrEqual(290);
    expect(gaps[1]).toBeGreaterThan(gaps[0]);
    const body = hook.received[2].body as unknown as { type: string; state: string; rule: { id: string; threshold: number }; measurement: Alert['measurement']; message: string };
    expect(body).toMatchObject({ type: 'invoice_pulse.alert', state: 'firing', rule: { id: firing.id, threshold: base.churn.value! / 2 } });
    expect(body.measurement.current.n).toBe(base.churn.n);
    expect(body.message).toContain('vertical = broadband');

    // A tampered body fails verification (the receiver's check is real).
    const { verifySignature } = await import('../helpers/webhook-receiver.ts');
    expect(verifySignature(SECRET, hook.received[2].raw.replace('"firing"', '"resolved"'), hook.received[2].headers)).toBe(false);
    expect(verifySignature('another-secret-entirely', hook.received[2].raw, hook.received[2].headers)).toBe(false);
  });

  it('re-evaluation and unrelated data changes send nothing again (one delivery per rule × period × state)', async () => {
    const before = hook.received.length;
    const again = await admin('POST', '/v1/alerts/evaluate');
    expect(again.status).toBe(200);
    await admin('POST', '/v1/alerts/evaluate');
    const ing = await svc.call('/v1/events', { method: 'POST', token: 'ingest-token-1', headers: { 'content-type': 'application/x-ndjson' }, body: JSON.stringify({ event_id: 'alerts-unrelated-1', type: 'survey_response', occurred_at: '2026-01-15T10:00:00Z', customer_id: 'ALERT-X', score: 9 }) + '\n' });
    expect(ing.status).toBe(200);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await alerts()).total).toBe(1);
    expect(hook.received.length).toBe(before);
  });

  it('ingesting cancellations makes a quiet rule fire after the debounce, with the new exact figures, and raising its threshold resolves it', async () => {
    const base = await kpi('horizon_days=30&vertical=broadband');
    const quiet = (await (await admin('POST', '/v1/alerts/rules', { name: 'Broadband above now', kind: 'rate_above', segment: { vertical: ['broadband'] }, window_days: 30, threshold: base.churn.value! + 0.02 })).json()) as AlertRule;
    expect(quiet.last_evaluation!.state).toBe('ok');
    const landmark = new Date(Date.parse(`${base.asOf}T00:00:00Z`) - 60 * 86_400_000).toISOString();
    const ids = (
      await svc.query<{ customer_id: string }>(`SELECT customer_id FROM customer_facts WHERE vertical = 'broadband' AND NOT churned AND tenure_start < $t::TIMESTAMPTZ ORDER BY customer_id LIMIT 400`, { t: landmark })
    ).map((r) => r.customer_id);
    const k = Math.ceil(0.04 * base.churn.n);
    expect(ids.length).toBeGreaterThanOrEqual(k);
    const lines = ids.slice(0, k).map((id, i) => JSON.stringify({ event_id: `alerts-cancel-${i}`, type: 'subscription_cancelled', occurred_at: `${base.asOf}T12:00:00Z`, customer_id: id, reason: 'price' }));
    const ing = await svc.call('/v1/events', { method: 'POST', token: 'ingest-token-1', headers: { 'content-type': 'application/x-ndjson' }, body: lines.join('\n') + '\n' });
    expect((await ing.json()).accepted).toBe(k);

    const list = await until(() => alerts(`?rule_id=${quiet.id}`), (l) => l.alerts[0]?.delivery.status === 'delivered');
    const after = await kpi('horizon_days=30&vertical=broadband');
    expect(after.asOf).toBe(base.asOf);
    expect(after.churned.value).toBe(base.churned.value! + k);
    const m = list.alerts[0].measurement.current;
    expect([m.n, m.churned, m.rate, m.rate_ci]).toEqual([after.churn.n, after.churned.value, after.churn.value, after.churn.ci]);
    expect(m.rate).toBeGreaterThan(base.churn.value! + 0.02);
    const last = hook.received.at(-1)!;
    expect(last.signatureValid).toBe(true);
    expect(last.headers['idempotency-key']).toBe(list.alerts[0].id);

    const raised = (await (await admin('PATCH', `/v1/alerts/rules/${quiet.id}`, { threshold: 0.99 })).json()) as AlertRule;
    expect(raised.last_evaluation!.state).toBe('ok');
    const both = await until(() => alerts(`?rule_id=${quiet.id}`), (l) => l.total === 2 && l.alerts.every((a) => a.delivery.status === 'delivered'));
    expect(both.alerts.map((a) => a.state).sort()).toEqual(['firing', 'resolved']);
    expect(hook.received.at(-1)!.body.state).toBe('resolved');
    // No key was delivered twice with a 2xx.
    const ok = hook.received.filter((r) => r.answered < 300).map((r) => r.headers['idempotency-key']);
    expect(new Set(ok).size).toBe(ok.length);
  });

  it('a period-over-period rule carries the relative risk with its interval', async () => {
    const rule = (await (await admin('POST', '/v1/alerts/rules', { name: 'Any change', kind: 'change_vs_previous', window_days: 30, min_customers: 30 })).json()) as AlertRule;
    const m = rule.last_evaluation!.measurement!;
    const now = await kpi('horizon_days=30');
    expect(m.current.n).toBe(now.churn.n);
    expect(m.previous!.churned).toBe(now.churned.previous);
    expect(m.previous!.rate).toBeCloseTo(now.churn.previous!, 12);
    expect(m.relative_risk).toBeCloseTo(m.current.rate! / m.previous!.rate!, 12);
    expect(m.rr_ci![0]).toBeLessThan(m.relative_risk!);
    expect(m.rr_ci![1]).toBeGreaterThan(m.relative_risk!);
    const differs = m.rr_ci![0] > 1 || m.rr_ci![1] < 1;
    expect(rule.last_evaluation!.state).toBe(differs ? 'firing' : 'ok');
    expect((await admin('DELETE', `/v1/alerts/rules/${rule.id}`)).status).toBe(204);
    expect((await admin('DELETE', `/v1/alerts/rules/${rule.id}`)).status).toBe(404);
  });
});

describe('delivery after a restart', () => {
  it('a pending delivery is resumed by the next start and delivered once', async () => {
    // The receiver answers 400 ms late, so the stop below lands while an attempt is in flight:
    // shutting down waits for its answer and records it (the count is never one short).
    const down = await startReceiver(SECRET, [], 503, 0, 400);
    const dir = tempDir();
    let s = await startTestService(env(down.url, { ALERT_WEBHOOK_BACKOFF_MS: '200' }), dir);
    try {
      const call = (method: string, path: string, body?: unknown) => s.call(path, { method, token: 'admin-token-1', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const rule = (await (await call('POST', '/v1/alerts/rules', { name: 'Everyone', kind: 'rate_above', threshold: 0 })).json()) as AlertRule;
      expect(rule.last_evaluation!.state).toBe('firing');
      await until(async () => down.received.length, (n) => n >= 2, 30_000, 5);
      await s.stop();
      const tried = down.received.length;
      await down.close();
      // The delivery row keeps the URL it was created with: the receiver comes back on that port.
      const again = await startReceiver(SECRET, [], 200, Number(new URL(down.url).port));
      s = await startTestService(env(again.url, { ALERT_WEBHOOK_BACKOFF_MS: '200' }), dir);
      const list = await until(
        async () => (await (await s.call('/v1/alerts', { token: 'reader-token-1' })).json()) as AlertList,
        (l) => l.alerts[0]?.delivery.status === 'delivered',
      );
      expect(list.total).toBe(1);
      expect(list.alerts[0].delivery.attempts).toBe(tried + 1);
      expect(again.received.length).toBe(1);
      expect(again.received[0].signatureValid).toBe(true);
      expect(again.received[0].headers['idempotency-key']).toBe(list.alerts[0].id);
      expect(again.received[0].body.attempt).toBe(tried + 1);
      await again.close();
    } finally {
      await s.stop();
    }
  });
});
