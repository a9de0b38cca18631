/**
 * Saved views in DuckDB (`saved_views`, migration 5_issue15_saved_views), one row per view so an
 * operator can read them with SQL. Writes go through their own short transaction on a pooled
 * connection rather than `db.transaction`: that one bumps the data version, which would retire
 * every cached analysis base and answer although no analysed data changed. Names are unique
 * trimmed and case-insensitively (`name_key`); the check runs inside the transaction, and the
 * table's UNIQUE constraint backs it against a concurrent writer.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Database } from '../db/database.ts';
import { filterQueryString, type SavedView, type StoredFilters } from './contracts.ts';
import { ViewNameTakenError, ViewNotFoundError } from './errors.ts';

export interface Actor {
  role: string;
  /** A fingerprint of the bearer token (tokens have no names in AUTH_TOKENS); null when the service runs open. */
  token: string | null;
}

export function tokenFingerprint(token: string | undefined): string | null {
  return token ? createHash('sha256').update(token).digest('hex').slice(0, 12) : null;
}

const nameKey = (name: string) => name.trim().toLowerCase();
const iso = (col: string) => `strftime(${col}, '%Y-%m-%dT%H:%M:%S.%gZ')`;

const SELECT = `SELECT view_id, name, description, filters::VARCHAR AS filters, created_by_role, created_by_token, ${iso('created_at')} AS created_at,
  updated_by_role, updated_by_token, ${iso('updated_at')} AS updated_at FROM saved_views`;

function toView(r: Record<string, unknown>): SavedView {
  const filters = JSON.parse(String(r.filters)) as StoredFilters;
  const id = String(r.view_id);
  return {
    id,
    name: String(r.name),
    description: r.description === null ? null : String(r.description),
    filters: filters as SavedView['filters'],
    query: filterQueryString(filters),
    link: `/?saved_view=${encodeURIComponent(id)}`,
    created_by: { role: String(r.created_by_role), token: r.created_by_token === null ? null : String(r.created_by_token) },
    created_at: String(r.created_at),
    updated_by: { role: String(r.updated_by_role), token: r.updated_by_token === null ? null : String(r.updated_by_token) },
    updated_at: String(r.updated_at),
  };
}


async function rows(c: DuckDBConnection, where: string, params: Record<string, unknown> = {}) {
  return (await c.runAndReadAll(`${SELECT} ${where}`, params as never)).getRowObjects();
}

async function assertNameFree(c: DuckDBConnection, name: string, exceptId: string | null) {
  const clash = (await c.runAndReadAll(`SELECT view_id FROM saved_views WHERE name_key = $k AND view_id IS DISTINCT FROM $id`, { k: nameKey(name), id: exceptId } as never)).getRowObjects()[0];
  if (clash) throw new ViewNameTakenError(name.trim(), String(clash.view_id));
}

/** A unique-constraint failure from a writer that raced past the check: the same refusal. */
function uniqueClash(error: unknown, name: string): never {
  if (/duplicate key|unique constraint/i.test(String((error as Error)?.message))) throw new ViewNameTakenError(name.trim(), '');
  throw error;
}

export async function listViews(db: Database): Promise<SavedView[]> {
  return db.withConnection(async (c) => (await rows(c, 'ORDER BY name_key, view_id')).map(toView));
}

export async function getView(db: Database, id: string): Promise<SavedView> {
  const r = await db.withConnection((c) => rows(c, 'WHERE view_id = $id', { id }));
  if (!r[0]) throw new ViewNotFoundError(id);
  return toView(r[0]);
}

export async function createView(db: Database, input: { name: string; description?: string | null; filters: StoredFilters }, actor: Actor): Promise<SavedView> {
  const id = randomUUID().replaceAll('-', '').slice(0, 16);
  await db.ownTransaction(async (c) => {
    await assertNameFree(c, input.name, null);
    await c.run(
      `INSERT INTO saved_views VALUES ($id, $name, $key, $description, $filters::JSON, $role, $token, now(), $role, $token, now())`,
      { id, name: input.name.trim(), key: nameKey(input.name), description: input.description ?? null, filters: JSON.stringify(input.filters), role: actor.role, token: actor.token } as never,
    );
  }).catch((e) => uniqueClash(e, input.name));
  return getView(db, id);
}

export async function updateView(db: Database, id: string, patch: { name?: string; description?: string | null; filters?: StoredFilters }, actor: Actor): Promise<SavedView> {
  const current = await getView(db, id);
  const name = patch.name ?? current.name;
  await db.ownTransaction(async (c) => {
    if (patch.name !== undefined) await assertNameFree(c, patch.name, id);
    // DuckDB applies an UPDATE of a UNIQUE column as delete + insert; rewriting the row the same
    // way keeps a rename to a different case of the same name ("sweden" → "Sweden") legal.
    await c.run(`DELETE FROM saved_views WHERE view_id = $id`, { id });
    await c.run(
      `INSERT INTO saved_views VALUES ($id, $name, $key, $description, $filters::JSON, $crole, $ctoken, $created::TIMESTAMPTZ, $role, $token, now())`,
      {
        id,
        name: name.trim(),
        key: nameKey(name),
        description: patch.description !== undefined ? patch.description : current.description,
        filters: JSON.stringify(patch.filters ?? current.filters),
        crole: current.created_by.role,
        ctoken: current.created_by.token,
        created: current.created_at,
        role: actor.role,
        token: actor.token,
      } as never,
    );
  }).catch((e) => uniqueClash(e, name));
  return getView(db, id);
}

export async function deleteView(db: Database, id: string): Promise<void> {
  const gone = await db.withConnection(async (c) => (await c.runAndReadAll(`DELETE FROM saved_views WHERE view_id = $id RETURNING view_id`, { id })).getRowObjects());
  if (!gone.length) throw new ViewNotFoundError(id);
}
