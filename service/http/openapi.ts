/**
 * The OpenAPI 3.1 document, assembled from the zod schemas that the routes validate with: each
 * route registers its own description next to its handler, so the document cannot drift from
 * what the server does.
 */
import { z } from 'zod';

export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string; // OpenAPI style: /v1/churn/by/{factor}
  summary: string;
  description?: string;
  tag: string;
  /** Who may call it, as the route's requireRole has it (admin may always; several roles as a list). */
  role: 'public' | 'ingest' | 'read' | 'admin' | ('ingest' | 'read')[];
  query?: z.ZodObject;
  pathParams?: z.ZodObject;
  body?: { description: string; content: Record<string, z.ZodType | null> };
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });

function roleNote(role: RouteDoc['role']): string {
  if (role === 'public') return 'Role: public (no token needed).';
  const roles = [...new Set([...(Array.isArray(role) ? role : [role]), 'admin'])];
  return `Roles: ${roles.join(', ')}.`;
}

export class OpenApiRegistry {
  private readonly routes: RouteDoc[] = [];

  add(doc: RouteDoc): void {
    this.routes.push(doc);
  }

  document(): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    const schemas: Record<string, unknown> = {};
    const named = new Map<string, string>();
    const json = (schema: z.ZodType) => forOpenApi(z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as JsonNode, schemas, named);
    for (const r of this.routes) {
      const parameters: unknown[] = [];
      for (const [where, obj] of [['query', r.query], ['path', r.pathParams]] as const) {
        if (!obj) continue;
        for (const [name, schema] of Object.entries(obj.shape)) {
          const s = schema as z.ZodType;
          parameters.push({ name, in: where, required: where === 'path' || !s.safeParse(undefined).success, schema: json(s), description: s.description });
        }
      }
      const responses: Record<string, unknown> = {};
      for (const [status, resp] of Object.entries(r.responses)) {
        responses[status] = {
          description: resp.description,
          ...(resp.schema || resp.contentType ? { content: { [resp.contentType ?? 'application/json']: resp.schema ? { schema: json(resp.schema) } : {} } } : {}),
        };
      }
      for (const [status, description] of [
        [400, 'invalid request'],
        [401, 'missing or invalid token'],
        [403, 'role not allowed'],
        [500, 'internal error (no internals in the body)'],
      ] as const) {
        if (r.role === 'public' && (status === 401 || status === 403)) continue;
        responses[status] ??= { description, content: { 'application/json': { schema: json(ErrorSchema) } } };
      }
      paths[r.path] ??= {};
      paths[r.path][r.method] = {
        summary: r.summary,
        description: [r.description, roleNote(r.role)].filter(Boolean).join('\n\n'),
        tags: [r.tag],
        parameters,
        ...(r.body
          ? { requestBody: { required: true, description: r.body.description, content: Object.fromEntries(Object.entries(r.body.content).map(([t, s]) => [t, s ? { schema: json(s) } : {}])) } }
          : {}),
        responses,
        ...(r.role === 'public' ? { security: [] } : {}),
      };
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'Invoice Pulse API',
        version: '1',
        description:
          'Ingest payment and engagement events; read churn correlation by payment method, timeliness and fee exposure, offer recommendations and staffing plans. Errors are {"error": {"code", "message", "details"}}. Every analytical answer (churn, engagement, fees, offers, customers, staffing, operations) reflects the published snapshot of the data: JSON objects carry `data_as_of` ({batch_id, committed_at}: the newest batch reflected) and `lag_seconds` (how long the oldest batch not yet reflected has been committed; at most ANALYSIS_MAX_LAG), and every answer carries the headers X-Data-Batch, X-Data-As-Of and X-Lag-Seconds.',
      },
      servers: [{ url: '/' }],
      components: {
        schemas,
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          // The dashboard's session (POST /v1/session); its writes also need X-Requested-With: invoice-pulse.
          session: { type: 'apiKey', in: 'cookie', name: 'ip_session', description: 'session cookie from POST /v1/session (HttpOnly, SameSite=Strict); non-GET requests with it also need X-Requested-With: invoice-pulse and, if sent, a same-origin Origin' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
      paths,
    };
  }
}

type JsonNode = { [key: string]: unknown };

/**
 * One zod JSON Schema made fit to sit inside the document (issue 17, found by schemathesis):
 * - A recursive schema (the offer rules' `RuleNode`) comes with its own `$defs` and `$ref:
 *   "#/$defs/__schema0"`, which inside the document points at nothing. Its definitions move to
 *   `components.schemas` (one name per distinct definition, since every conversion restarts at
 *   `__schema0`) and the references follow.
 * - Tuples (`[low, high]` intervals) are written as `prefixItems`, which schemathesis and other
 *   OpenAPI tools rewrite into the pre-2020 `items: [...]` form and then refuse as an invalid
 *   schema. They become `items` with the one element schema (or an `anyOf` of them) and the same
 *   `minItems`/`maxItems`, which every tool reads alike.
 */
function forOpenApi(schema: JsonNode, components: Record<string, unknown>, named: Map<string, string>): JsonNode {
  const { $schema: _dialect, $defs, ...root } = schema;
  const defs = Object.entries(($defs ?? {}) as Record<string, JsonNode>);
  const renamed = new Map<string, string>();
  const fresh: [string, JsonNode][] = [];
  for (const [name, def] of defs) {
    const text = JSON.stringify(def);
    let target = named.get(text);
    if (!target) {
      target = `Schema${named.size + 1}`;
      named.set(text, target);
      fresh.push([target, def]);
    }
    renamed.set(`#/$defs/${name}`, `#/components/schemas/${target}`);
  }
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!node || typeof node !== 'object') return node;
    const out: JsonNode = {};
    for (const [k, v] of Object.entries(node as JsonNode)) {
      if (k === '$ref' && typeof v === 'string') out[k] = renamed.get(v) ?? v;
      else if (k === 'prefixItems' && Array.isArray(v)) {
        const items = v.map(rewrite);
        const distinct = [...new Map(items.map((i) => [JSON.stringify(i), i])).values()];
        out.items = distinct.length === 1 ? distinct[0] : { anyOf: distinct };
      } else if (k === 'items' && v === false && 'prefixItems' in (node as JsonNode)) continue;
      else out[k] = rewrite(v);
    }
    return out;
  };
  for (const [target, def] of fresh) components[target] = rewrite(def);
  return rewrite(root) as JsonNode;
}
