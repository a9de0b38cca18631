/**
 * /v1/alerts: alert rules (read: any reader; write: admin, since a rule sends data to the
 * configured webhook), the alerts they fired with their webhook delivery status, and a manual
 * evaluation. Rules are evaluated after data changes (a listener on the derived-facts upkeep,
 * debounced) and when saved; see service/alerts/ for the decisions.
 */
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { AlertList, AlertQuery, AlertRule, CreateRule, RuleId, RuleList, UpdateRule } from '../alerts/contracts.ts';
import { AlertService } from '../alerts/service.ts';
import { adminBodyLimit } from '../http/admin-body.ts';
import { requireRole } from '../http/auth.ts';
import { ApiError, zodDetails } from '../http/errors.ts';
import { parseQuery } from '../http/query.ts';

async function body<S extends z.ZodType>(c: Context, schema: S, hint: string): Promise<z.infer<S>> {
  const parsed = schema.safeParse(await c.req.json().catch(() => undefined));
  if (!parsed.success) throw new ApiError(400, 'invalid_request', hint, zodDetails(parsed.error));
  return parsed.data;
}

function id(c: Context): string {
  const parsed = RuleId.safeParse({ id: c.req.param('id') });
  if (!parsed.success) throw new ApiError(400, 'invalid_request', 'a rule id is 1–64 characters');
  return parsed.data.id;
}

/** The service of one app: mounting registers the upkeep listener and resumes pending deliveries. */
export function alertService(ctx: AppContext): AlertService {
  const service = new AlertService(ctx.engine, { url: ctx.config.alerts.webhookUrl, secret: ctx.config.alerts.webhookSecret, maxAttempts: ctx.config.alerts.maxAttempts, backoffMs: ctx.config.alerts.backoffMs, timeoutMs: ctx.config.alerts.timeoutMs, debounceMs: ctx.config.alerts.debounceMs });
  ctx.engine.upkeep.onSettled.push(() => service.dataChanged());
  ctx.beforeClose.push(() => service.stop());
  service.delivery.kick();
  // Data may have changed while the service was down (or been loaded just now): judge it once.
  service.dataChanged();
  return service;
}

export function alertRoutes(ctx: AppContext, service = alertService(ctx)) {
  const read = requireRole(ctx.config.tokens, 'read');
  const admin = requireRole(ctx.config.tokens, 'admin');
  const limit = adminBodyLimit(ctx.config.maxAdminBodyBytes);
  const hint = 'expected {"name", "kind": "rate_above" | "change_vs_previous", "segment": {"vertical": ["broadband"]}, "window_days", "threshold", …}';
  const add = ctx.openapi.add.bind(ctx.openapi);
  add({
    method: 'get',
    path: '/v1/alerts',
    tag: 'alerts',
    role: 'read',
    summary: 'Fired alerts, newest first, with their webhook delivery status, and how many rules are firing now',
    description:
      'An alert is stored when a rule starts firing and when it stops (resolved); one per rule × period × state. Webhook: POST to ALERT_WEBHOOK_URL with the alert as JSON, `X-InvoicePulse-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, `X-InvoicePulse-Timestamp` (Unix seconds, also `sent_at` inside the signed body: reject old ones to stop replays), `Idempotency-Key` (the alert id), retried with exponential backoff.',
    query: AlertQuery,
    responses: { 200: { description: 'alerts', schema: AlertList } },
  });
  add({ method: 'get', path: '/v1/alerts/rules', tag: 'alerts', role: 'read', summary: 'Alert rules with their last evaluation', responses: { 200: { description: 'rules', schema: RuleList } } });
  add({
    method: 'post',
    path: '/v1/alerts/rules',
    tag: 'alerts',
    role: 'admin',
    summary: 'Create an alert rule (evaluated at once, then after every data change)',
    body: { description: 'the rule', content: { 'application/json': CreateRule } },
    responses: { 201: { description: 'the rule with its first evaluation', schema: AlertRule }, 409: { description: 'the name is taken' } },
  });
  add({ method: 'get', path: '/v1/alerts/rules/{id}', tag: 'alerts', role: 'read', summary: 'One alert rule', pathParams: RuleId, responses: { 200: { description: 'the rule', schema: AlertRule }, 404: { description: 'no such rule' } } });
  add({
    method: 'patch',
    path: '/v1/alerts/rules/{id}',
    tag: 'alerts',
    role: 'admin',
    summary: 'Change an alert rule (re-evaluated at once)',
    pathParams: RuleId,
    body: { description: 'the fields to change', content: { 'application/json': UpdateRule } },
    responses: { 200: { description: 'the rule', schema: AlertRule }, 404: { description: 'no such rule' }, 409: { description: 'the name is taken' } },
  });
  add({ method: 'delete', path: '/v1/alerts/rules/{id}', tag: 'alerts', role: 'admin', summary: 'Delete an alert rule (its fired alerts stay listed)', pathParams: RuleId, responses: { 204: { description: 'deleted' }, 404: { description: 'no such rule' } } });
  add({ method: 'post', path: '/v1/alerts/evaluate', tag: 'alerts', role: 'admin', summary: 'Evaluate every enabled rule now', responses: { 200: { description: 'the rules after evaluation', schema: RuleList } } });

  return new Hono()
    .get('/', read, async (c) => c.json(AlertList.parse(await service.listAlerts(parseQuery(AlertQuery, c)))))
    .get('/rules', read, async (c) => c.json(RuleList.parse({ rules: await service.listRules() })))
    .post('/rules', admin, limit, async (c) => c.json(AlertRule.parse(await service.createRule(await body(c, CreateRule, hint))), 201))
    .get('/rules/:id', read, async (c) => c.json(AlertRule.parse(await service.getRule(id(c)))))
    .patch('/rules/:id', admin, limit, async (c) => {
      const ruleId = id(c);
      return c.json(AlertRule.parse(await service.updateRule(ruleId, await body(c, UpdateRule, 'expected some fields of a rule'))));
    })
    .delete('/rules/:id', admin, async (c) => {
      await service.deleteRule(id(c));
      return c.body(null, 204);
    })
    .post('/evaluate', admin, async (c) => {
      await service.evaluateAll();
      return c.json(RuleList.parse({ rules: await service.listRules() }));
    });
}
