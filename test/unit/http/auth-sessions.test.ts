/**
 * The in-memory session store behind POST /v1/session (service/http/auth-sessions.ts), on a
 * hand-driven clock: ids are 32 random bytes in base64url, a session ends exactly at its expiry,
 * expired sessions are swept on the next sign-in, and the store never holds more than
 * MAX_SESSIONS (the oldest sign-in goes first).
 */
import { describe, expect, it } from 'vitest';
import { MAX_SESSIONS, SessionStore, sessionsFor } from '../../../service/http/auth-sessions.ts';
import type { Role } from '../../../service/config.ts';

describe('SessionStore', () => {
  it('issues distinct 256-bit base64url ids that map to role, token and expiry', () => {
    let now = 1_000;
    const store = new SessionStore(() => now);
    const a = store.create('read', 'read-token-1', 60_000);
    const b = store.create('admin', 'admin-token-1', 60_000);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.id, 'base64url').length).toBe(32);
    expect(a.id).not.toBe(b.id);
    expect(store.get(a.id)).toEqual({ role: 'read', token: 'read-token-1', expiresAt: 61_000 });
    expect(store.get(b.id)?.role).toBe('admin');
    expect(store.get('not-an-id')).toBeUndefined();
    now = 60_999;
    expect(store.get(a.id)?.role).toBe('read');
  });

  it('ends a session at its expiry, forgets it, and sweeps expired ones on the next sign-in', () => {
    let now = 0;
    const store = new SessionStore(() => now);
    const a = store.create('read', 't1', 1_000);
    now = 500;
    const b = store.create('read', 't2', 1_000);
    now = 1_000;
    expect(store.get(a.id)).toBeUndefined(); // expiresAt 1000 <= now
    expect(store.size).toBe(1);
    now = 1_600;
    store.create('read', 't3', 1_000); // b (expired at 1500) is swept before this one is added
    expect(store.size).toBe(1);
    expect(store.get(b.id)).toBeUndefined();
  });

  it('deletes on sign-out and keeps at most MAX_SESSIONS, dropping the oldest', () => {
    const store = new SessionStore(() => 0);
    const first = store.create('read', 't', 1_000);
    const second = store.create('read', 't', 1_000);
    expect(store.delete(second.id)).toBe(true);
    expect(store.delete(second.id)).toBe(false);
    const ids = [first.id];
    for (let i = 1; i < MAX_SESSIONS; i++) ids.push(store.create('ingest', 't', 1_000).id);
    expect(store.size).toBe(MAX_SESSIONS);
    const next = store.create('admin', 't', 1_000);
    expect(store.size).toBe(MAX_SESSIONS);
    expect(store.get(first.id)).toBeUndefined();
    expect(store.get(ids[1])?.role).toBe('ingest');
    expect(store.get(next.id)?.role).toBe('admin');
  });

  it('gives each token set (each service instance) its own store', () => {
    const t1 = new Map<string, Role>([['read-token-1', 'read']]);
    const t2 = new Map<string, Role>([['read-token-1', 'read']]);
    const { id } = sessionsFor(t1).create('read', 'read-token-1', 60_000);
    expect(sessionsFor(t1)).toBe(sessionsFor(t1));
    expect(sessionsFor(t1).get(id)?.role).toBe('read');
    expect(sessionsFor(t2).get(id)).toBeUndefined();
  });
});
