/**
 * Static files come from the build folder only: a request whose file is, or lies under, a
 * symbolic link (a link placed in web/build by a deploy script, or planted) is answered 404
 * instead of following the link out of the folder. The check compares the file's real path with
 * the path inside the real build folder, so a link anywhere on the way is caught.
 */
import type { MiddlewareHandler } from 'hono';
import fs from 'node:fs';
import path from 'node:path';
import { errorBody } from './errors.ts';

export function noSymlinks(buildDir: string): MiddlewareHandler {
  const root = fs.realpathSync(buildDir);
  return async (c, next) => {
    let relative: string;
    try {
      relative = decodeURIComponent(c.req.path);
    } catch {
      return c.json(errorBody('not_found', 'no such file'), 404);
    }
    const wanted = path.join(root, path.normalize(relative));
    let real: string | null = null;
    try {
      real = fs.realpathSync(wanted);
    } catch {
      real = null; // no such file: the single-page shell answers
    }
    if (real !== null && real !== wanted.replace(/\/$/, '')) return c.json(errorBody('not_found', 'no such file'), 404);
    return next();
  };
}
