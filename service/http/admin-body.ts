/**
 * The body limit of admin writes (MAX_ADMIN_BODY_SIZE): a settings map or an offer catalogue is
 * a few kilobytes, and a 156 MB map took 136 s and 8.5 GB to store and made every later read slow.
 * Checked on the Content-Length and while streaming, before any JSON is parsed.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './errors.ts';

export function adminBodyLimit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `admin request bodies are limited to ${maxBytes} bytes (MAX_ADMIN_BODY_SIZE)`, { limit_bytes: maxBytes });
    },
  });
}
