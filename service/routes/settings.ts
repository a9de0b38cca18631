/**
 * /v1/settings: the payment-method classification map (read: any reader; replace: admin).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { adminBodyLimit } from '../http/admin-body.ts';
import { requireRole } from '../http/auth.ts';
import { ApiError, zodDetails } from '../http/errors.ts';
import { paymentMethodReport, replacePaymentMethods } from '../settings/payment-methods.ts';

const Label = z.string().trim().min(1).max(64);
const MapBody = z.object({ methods: z.record(Label, z.enum(['automatic', 'manual'])) }).describe('the complete map; labels compare lower-cased');
const Report = z.object({
  methods: z.record(z.string(), z.enum(['automatic', 'manual'])),
  rule: z.string(),
  observed: z.array(z.object({ label: z.string(), class: z.enum(['automatic', 'manual', 'unknown']), events: z.number(), customers: z.number() })),
  unknown: z.array(z.object({ label: z.string(), events: z.number(), customers: z.number() })),
});

export function settingsRoutes(ctx: AppContext) {
  ctx.openapi.add({ method: 'get', path: '/v1/settings/payment-methods', tag: 'settings', role: 'read', summary: 'Payment-method classification, observed labels and unknown labels with counts', responses: { 200: { description: 'the map', schema: Report } } });
  ctx.openapi.add({ method: 'put', path: '/v1/settings/payment-methods', tag: 'settings', role: 'admin', summary: 'Replace the payment-method classification map', body: { description: 'the new map', content: { 'application/json': MapBody } }, responses: { 200: { description: 'the map after the change', schema: Report } } });
  return new Hono()
    // Not behind the analyses' result cache: that keeps an answer until the next catch-up, and this
    // report counts every acknowledged event (the route waits for live rows, app.ts). It reads the
    // upkeep's label counts and the few batches after them, so computing it each time is cheap.
    .get('/payment-methods', requireRole(ctx.config.tokens, 'read'), async (c) => c.json(Report.parse(await paymentMethodReport(ctx.db))))
    .put('/payment-methods', requireRole(ctx.config.tokens, 'admin'), adminBodyLimit(ctx.config.maxAdminBodyBytes), async (c) => {
      const body = MapBody.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success) throw new ApiError(400, 'invalid_request', 'expected {"methods": {"label": "automatic" | "manual", ...}}', zodDetails(body.error));
      await replacePaymentMethods(ctx.db, body.data.methods);
      // Current customer facts carry the payment class: rebuild them before answering.
      ctx.engine.upkeep.requestCustomerRebuild();
      await ctx.engine.upkeep.settle();
      return c.json(Report.parse(await paymentMethodReport(ctx.db)));
    });
}
