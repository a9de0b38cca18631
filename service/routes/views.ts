/**
 * /v1/views: saved views, named filter sets the dashboard's filter bar lists and applies (issue
 * 15). Every call is under the read role, writes included: a view is a reader's bookmark, not a
 * setting. Each view records who created and last changed it (role and a token fingerprint) and
 * when. Sharing: `GET /v1/views/{id}` gives the filters, `query` the same filters as a query
 * string for any analysis or dashboard URL, and `link` the dashboard link `/?saved_view=<id>`,
 * which applies the view's current filters (the filter parameter `view` is taken by
 * lifetime/landmark, hence `saved_view`).
 */
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { adminBodyLimit } from '../http/admin-body.ts';
import { requireRole } from '../http/auth.ts';
import { ApiError, zodDetails } from '../http/errors.ts';
import { CreateView, SavedView, UpdateView, ViewId, ViewList } from '../views/contracts.ts';
import { createView, deleteView, getView, listViews, tokenFingerprint, updateView, type Actor } from '../views/store.ts';

function actor(c: Context): Actor {
  const role = (c.get('role' as never) as string | undefined) ?? 'open';
  // The token requireRole authenticated (a session's is the one it was exchanged for), so a view
  // saved from the dashboard names the same caller as one saved with that bearer token.
  const token = c.get('token' as never) as string | undefined;
  return { role, token: role === 'open' ? null : tokenFingerprint(token) };
}

async function body<S extends z.ZodType>(c: Context, schema: S, hint: string): Promise<z.infer<S>> {
  const raw = await c.req.json().catch(() => undefined);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ApiError(400, 'invalid_request', hint, zodDetails(parsed.error));
  return parsed.data;
}

function id(c: Context): string {
  const parsed = ViewId.safeParse({ id: c.req.param('id') });
  if (!parsed.success) throw new ApiError(400, 'invalid_request', 'a view id is 1–64 characters');
  return parsed.data.id;
}

export function viewRoutes(ctx: AppContext) {
  const read = requireRole(ctx.config.tokens, 'read');
  const limit = adminBodyLimit(ctx.config.maxAdminBodyBytes);
  const doc = (d: Parameters<typeof ctx.openapi.add>[0]) => ctx.openapi.add(d);
  const createHint = 'expected {"name": "…", "filters": {"market": ["SE"], "view": "landmark", …}, "description"?: "…"}';
  doc({ method: 'get', path: '/v1/views', tag: 'views', role: 'read', summary: 'Saved views (named filter sets), ordered by name', responses: { 200: { description: 'views', schema: ViewList } } });
  doc({
    method: 'post',
    path: '/v1/views',
    tag: 'views',
    role: 'read',
    summary: 'Save a named filter set',
    description: 'The filters are validated against the analyses\' filter schema; only the keys given are stored, so defaults not pinned keep following the data. Names are unique, trimmed and case-insensitive (409 view_name_taken).',
    body: { description: 'the view', content: { 'application/json': CreateView } },
    responses: { 201: { description: 'the saved view', schema: SavedView }, 409: { description: 'the name is taken' } },
  });
  doc({ method: 'get', path: '/v1/views/{id}', tag: 'views', role: 'read', summary: 'One saved view', pathParams: ViewId, responses: { 200: { description: 'the view', schema: SavedView }, 404: { description: 'no such view' } } });
  doc({
    method: 'patch',
    path: '/v1/views/{id}',
    tag: 'views',
    role: 'read',
    summary: 'Rename a view, or change its description or filters',
    pathParams: ViewId,
    body: { description: 'the fields to change', content: { 'application/json': UpdateView } },
    responses: { 200: { description: 'the view after the change', schema: SavedView }, 404: { description: 'no such view' }, 409: { description: 'the name is taken' } },
  });
  doc({ method: 'delete', path: '/v1/views/{id}', tag: 'views', role: 'read', summary: 'Delete a saved view', pathParams: ViewId, responses: { 204: { description: 'deleted' }, 404: { description: 'no such view' } } });

  return new Hono()
    .get('/', read, async (c) => c.json(ViewList.parse({ views: await listViews(ctx.db) })))
    .post('/', read, limit, async (c) => {
      const b = await body(c, CreateView, createHint);
      return c.json(SavedView.parse(await createView(ctx.db, b, actor(c))), 201);
    })
    .get('/:id', read, async (c) => c.json(SavedView.parse(await getView(ctx.db, id(c)))))
    .patch('/:id', read, limit, async (c) => {
      const viewId = id(c);
      const b = await body(c, UpdateView, 'expected some of {"name", "description", "filters"}');
      return c.json(SavedView.parse(await updateView(ctx.db, viewId, b, actor(c))));
    })
    .delete('/:id', read, async (c) => {
      await deleteView(ctx.db, id(c));
      return c.body(null, 204);
    });
}
