/**
 * Browser sessions (issue 17, browser hygiene): the dashboard exchanges a token once for a random
 * session id in an `HttpOnly`, `SameSite=Strict` cookie, so no script on the page ever holds a
 * secret. Sessions live in this process's memory only (a restart signs everyone out, which is the
 * price of keeping no secret on disk) and expire a fixed SESSION_TTL_HOURS after sign-in; use
 * does not extend them, so a stolen cookie is worth at most that long.
 *
 * The store hangs off the token set (`sessionsFor(tokens)`): every route hands `requireRole` the
 * configuration's token map, and a session is only ever the shadow of one of those tokens, so the
 * map is the natural owner, and each service instance (tests start several in one process) gets
 * its own store without threading another argument through every route.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Role } from '../config.ts';

export const SESSION_COOKIE = 'ip_session';

/** Writes by a cookie-authenticated caller must carry this header (a cross-site form cannot set it). */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'invoice-pulse';

/** Live sessions kept at most; beyond it the oldest sign-in is dropped (bounds memory whoever signs in). */
export const MAX_SESSIONS = 10_000;

export interface Session {
  role: Role;
  /** The token it was exchanged for: the caller's identity (saved views fingerprint it), never sent back. */
  token: string;
  expiresAt: number;
}

export class SessionStore {
  // Insertion order is expiry order (one TTL per process), so the oldest and the expired sit in front.
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  create(role: Role, token: string, ttlMs: number): { id: string; session: Session } {
    this.sweep();
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const id = randomBytes(32).toString('base64url');
    const session = { role, token, expiresAt: this.now() + ttlMs };
    this.sessions.set(id, session);
    return { id, session };
  }

  /** The live session of an id; an expired one is forgotten on the way. */
  get(id: string): Session | undefined {
    const s = this.sessions.get(id);
    if (s && s.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return s;
  }

  delete(id: string): boolean {
    return this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const t = this.now();
    for (const [id, s] of this.sessions) {
      if (s.expiresAt > t) break;
      this.sessions.delete(id);
    }
  }
}

const stores = new WeakMap<Map<string, Role>, SessionStore>();

export function sessionsFor(tokens: Map<string, Role>): SessionStore {
  let store = stores.get(tokens);
  if (!store) stores.set(tokens, (store = new SessionStore()));
  return store;
}

/** POST /v1/session body; the token may instead come as `Authorization: Bearer <token>`. */
export const SignIn = z.object({ token: z.string().min(1).max(4096).describe('a token from AUTH_TOKENS (any role)') }).strict();

export const SessionState = z.object({
  auth: z.enum(['on', 'open']).describe('open: no AUTH_TOKENS configured, nothing to sign in to'),
  signed_in: z.boolean().describe('whether this request carries a live session cookie'),
  role: z.enum(['ingest', 'read', 'admin']).nullable().describe("the session's role; null when not signed in"),
  expires_at: z.string().nullable().describe('when the session ends (SESSION_TTL_HOURS after sign-in; use does not extend it)'),
});
export type SessionState = z.infer<typeof SessionState>;
