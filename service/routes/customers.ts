/**
 * /v1/customers/{id}: one customer's churn risk with the facts behind it and the recommended offer
 * (read), and the GDPR erasure of everything stored about them (admin, docs/api.md).
 */
import { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import { requireRole } from '../http/auth.ts';
import { ApiError } from '../http/errors.ts';
import { eraseCustomer } from '../customers/erasure.ts';
import { CustomerParam, CustomerRisk, ErasureResult, OffersQuery } from '../offers/contracts.ts';
import { customerRiskReport } from '../offers/customer-risk.ts';
import { offerEngineFor } from '../offers/engine.ts';
import { parseQuery } from '../http/query.ts';

function customerId(raw: string): string {
  const parsed = CustomerParam.safeParse({ id: raw });
  if (!parsed.success) throw new ApiError(400, 'invalid_request', 'a customer id is 1–128 characters', [{ path: 'id', message: parsed.error.issues[0].message }]);
  return parsed.data.id;
}

export function customerRoutes(ctx: AppContext) {
  const offers = offerEngineFor(ctx.engine);
  ctx.openapi.add({
    method: 'get',
    path: '/v1/customers/{id}/risk',
    tag: 'offers',
    role: 'read',
    summary: "A customer's churn risk within the horizon, the model factors and facts behind it, and the recommended offer",
    description: 'Churned customers answer with status "churned" and no risk; unknown ids 404.',
    pathParams: CustomerParam,
    query: OffersQuery,
    responses: { 200: { description: 'risk', schema: CustomerRisk }, 404: { description: 'no such customer' }, 422: { description: 'the risk model cannot be fitted' } },
  });
  ctx.openapi.add({
    method: 'delete',
    path: '/v1/customers/{id}',
    tag: 'privacy',
    role: 'admin',
    summary: "Erase a customer (GDPR): their events, rejected rows carrying their id and every derived fact, in one transaction",
    pathParams: CustomerParam,
    responses: { 200: { description: 'rows erased per table', schema: ErasureResult }, 404: { description: 'nothing stored about this customer' } },
  });
  return new Hono()
    .get('/:id/risk', requireRole(ctx.config.tokens, 'read'), async (c) => {
      const id = customerId(c.req.param('id'));
      const q = parseQuery(OffersQuery, c);
      return c.json(CustomerRisk.parse(await customerRiskReport(ctx.engine, await offers.state(q), id)));
    })
    .delete('/:id', requireRole(ctx.config.tokens, 'admin'), async (c) => {
      const id = customerId(c.req.param('id'));
      const result = await eraseCustomer(ctx.engine, id);
      if (!result) throw new ApiError(404, 'not_found', `nothing is stored about customer ${id}`);
      return c.json(ErasureResult.parse(result));
    });
}
