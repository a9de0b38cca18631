/**
 * Starts the real service (real HTTP server, real DuckDB file in a fresh temp directory) for a
 * test, and gives a small fetch helper with optional bearer token. Tests read their own writes
 * (ANALYSIS_MAX_LAG=0: every analysis waits for the catch-up of what was ingested before it)
 * unless they pass a bound of their own, as the live-analytics tests do.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../service/config.ts';
import { loadSampleIfEmpty } from '../../service/sample-loader.ts';
import { openContext, startService, type RunningService } from '../../service/server.ts';

export interface TestService extends RunningService {
  dataDir: string;
  call(pathname: string, init?: RequestInit & { token?: string }): Promise<Response>;
  query<T = Record<string, unknown>>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  stop(): Promise<void>;
}

const made: string[] = [];
// Directories a test made itself (to restart a service on it) are removed when the test process
// ends. (Before this, every run left a few hundred database files in the temp directory.)
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'invoice-pulse-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export async function startTestService(env: Record<string, string> = {}, givenDir?: string): Promise<TestService> {
  // A directory the caller did not give is the service's own: gone when it stops.
  const dataDir = givenDir ?? tempDir();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SAMPLE_DATA: 'off', ANALYSIS_MAX_LAG: '0', ...env });
  const ctx = await openContext(config);
  await loadSampleIfEmpty(ctx, () => undefined);
  const running = await startService(ctx);
  return {
    ...running,
    dataDir,
    call(pathname, init = {}) {
      const headers = new Headers(init.headers);
      if (init.token) headers.set('authorization', `Bearer ${init.token}`);
      return fetch(running.url + pathname, { ...init, headers, duplex: 'half' } as RequestInit);
    },
    query: async <T,>(sql: string, params: Record<string, unknown> = {}) => {
      await ctx.engine.upkeep.settle();
      return ctx.db.withConnection(async (c) => (await c.runAndReadAll(sql, params as never)).getRowObjectsJson() as unknown as T[]);
    },
    async stop() {
      await running.close();
      if (!givenDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
