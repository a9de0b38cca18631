/**
 * Benchmarks that host the service in their own process import this first: without the libuv pool
 * that `npm start` gives the service (service/start.cjs), their figures would be a different
 * service's. The pool size can only be set before the process starts, so when it is missing the
 * benchmark runs itself again with it, and exits with that run's status.
 */
import { spawnSync } from 'node:child_process';
import { THREAD_POOL_SIZE } from '../../service/start.cjs';

if (!process.env.UV_THREADPOOL_SIZE) {
  const run = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, UV_THREADPOOL_SIZE: String(THREAD_POOL_SIZE) },
  });
  process.exit(run.status ?? 1);
}
