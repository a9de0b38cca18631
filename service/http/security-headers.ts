/**
 * Security headers on every answer. The dashboard acts with the user's session (an HttpOnly
 * cookie since issue 17, so scripts cannot read it, but they could still act with it), so a
 * script injected from elsewhere, a framing page or a sniffed content type must not run: a strict
 * CSP (scripts from this origin plus the built shell's own inline start-up scripts by their
 * SHA-256, never 'unsafe-inline'; inline styles stay allowed because ECharts and Svelte set style
 * attributes), no framing, no MIME sniffing, no referrer to other sites.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { MiddlewareHandler } from 'hono';

/** The 'sha256-…' sources of the inline scripts of the built index.html, if there is one. */
export function inlineScriptHashes(indexHtml: string): string[] {
  if (!fs.existsSync(indexHtml)) return [];
  const html = fs.readFileSync(indexHtml, 'utf8');
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
}

export function securityHeaders(scriptHashes: string[]): MiddlewareHandler {
  const csp = [
    "default-src 'self'",
    ["script-src 'self'", ...scriptHashes].join(' '),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return async (c, next) => {
    await next();
    c.res.headers.set('Content-Security-Policy', csp);
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    c.res.headers.set('X-Frame-Options', 'DENY');
    c.res.headers.set('Referrer-Policy', 'no-referrer');
  };
}
