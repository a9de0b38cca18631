/**
 * The service's entry point (service/start.cjs, what `npm start` runs) gives it a libuv pool of
 * THREAD_POOL_SIZE threads unless the operator set one: with Node's default of 4, every DuckDB
 * statement and the live log's fdatasync queued behind four long analyses. The pool is sized when
 * the process starts, so this runs the real entry point as a child process and reads what the
 * service reports about itself.
 */
import { describe, expect, it } from 'vitest';
import { THREAD_POOL_SIZE } from '../../service/start.cjs';
import { startChildService } from '../helpers/child-service.ts';
import { tempDir } from '../helpers/service.ts';

describe('the entry point', () => {
  it('starts the service with its own libuv pool size, and serves', async () => {
    const svc = await startChildService({ DATA_DIR: tempDir(), UV_THREADPOOL_SIZE: '' });
    try {
      expect(THREAD_POOL_SIZE).toBeGreaterThan(4);
      await expect.poll(() => svc.output()).toContain(`threads:    libuv pool ${THREAD_POOL_SIZE} (UV_THREADPOOL_SIZE)`);
      const health = await (await fetch(`${svc.url}/v1/health`)).json();
      expect(health.status).toBe('ok');
    } finally {
      await svc.kill('SIGTERM');
    }
  }, 60_000);

  it("keeps an operator's own UV_THREADPOOL_SIZE", async () => {
    const svc = await startChildService({ DATA_DIR: tempDir(), UV_THREADPOOL_SIZE: '7' });
    try {
      await expect.poll(() => svc.output()).toContain('threads:    libuv pool 7 (UV_THREADPOOL_SIZE)');
    } finally {
      await svc.kill('SIGTERM');
    }
  }, 60_000);
});
