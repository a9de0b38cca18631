/**
 * Arrow IPC responses for analytical endpoints: when the request's Accept header asks for
 * `application/vnd.apache.arrow.stream`, the endpoint's main table (its groups, curve points,
 * terms, …) is sent as an Arrow stream with an explicit schema: counts are Int32, statistics
 * Float64, money a decimal string (never a lossy float), text Utf8. Scalars of the JSON answer
 * travel as schema metadata.
 */
import { Bool, Field, Float64, Int32, Schema, Table, Utf8, tableToIPC, vectorFromArray, type DataType } from 'apache-arrow';
import type { Context } from 'hono';

export const ARROW_MEDIA_TYPE = 'application/vnd.apache.arrow.stream';
export type ColumnKind = 'int' | 'float' | 'string' | 'bool' | 'money';
export interface ArrowTableSpec {
  rows: Record<string, unknown>[];
  columns: Record<string, ColumnKind>;
  metadata?: Record<string, unknown>;
}

const TYPES: Record<ColumnKind, () => DataType> = { int: () => new Int32(), float: () => new Float64(), string: () => new Utf8(), bool: () => new Bool(), money: () => new Utf8() };

function cell(kind: ColumnKind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (kind === 'money') return Number(v).toFixed(4);
  if (kind === 'string') return typeof v === 'string' ? v : JSON.stringify(v);
  if (kind === 'int') return Math.round(Number(v));
  return v;
}

export function toArrowIpc(spec: ArrowTableSpec): Uint8Array {
  const fields = Object.entries(spec.columns).map(([name, kind]) => new Field(name, TYPES[kind](), true, new Map([['kind', kind]])));
  const metadata = new Map(Object.entries(spec.metadata ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const schema = new Schema(fields, metadata);
  const vectors = Object.fromEntries(
    Object.entries(spec.columns).map(([name, kind]) => [name, vectorFromArray(spec.rows.map((r) => cell(kind, r[name])) as never[], TYPES[kind]())]),
  );
  const table = new Table(vectors);
  return tableToIPC(new Table(schema, table.batches.map((b) => b)), 'stream');
}

export function wantsArrow(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes(ARROW_MEDIA_TYPE);
}

/** JSON by default; the Arrow table when asked for. */
export function respond<T extends object>(c: Context, body: T, arrow: (body: T) => ArrowTableSpec): Response {
  if (!wantsArrow(c)) return c.json(body);
  const ipc = toArrowIpc(arrow(body));
  return new Response(ipc as unknown as BodyInit, { headers: { 'content-type': ARROW_MEDIA_TYPE } });
}
