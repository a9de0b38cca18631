/**
 * The service's entry point (`npm start`, and the tests' and benchmarks' child services): sizes
 * libuv's thread pool, then runs main.ts under tsx.
 *
 * Every DuckDB statement of @duckdb/node-api runs on a libuv pool thread and holds it until the
 * statement ends, and the live log's write and fdatasync run on the same pool. Node's default pool
 * has 4 threads: four analyses of a few hundred milliseconds each made a `SELECT 42` wait 1.2–1.4 s
 * (20–28 ms with 16 threads, measured with six analyses running), and with it every request behind
 * them, the acknowledgements of live ingestion included, since their fdatasync queued there too.
 * DuckDB still bounds the CPU (its own `threads`); the pool only decides who may wait in line.
 * It matters where statements run for a second or more (the large and xlarge sets). In the service
 * on the default set, whose statements are short, test/bench/thread-pool.bench.ts measured little:
 * `/v1/alerts` p99 250 → 146 ms in one run and 176 → 174 ms in another, beside six readers.
 *
 * Node reads UV_THREADPOOL_SIZE when the pool starts, which is before the first line of any ES
 * module runs (the loader reads files on it), so the setting has to come from a CommonJS entry:
 * this file. An operator's own UV_THREADPOOL_SIZE wins. Other processes that host the service
 * (the in-process benchmarks) take the same size from `THREAD_POOL_SIZE`.
 */
'use strict';

const THREAD_POOL_SIZE = 16;
module.exports = { THREAD_POOL_SIZE };

if (require.main === module) {
  if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = String(THREAD_POOL_SIZE);
  import('tsx/esm/api')
    .then(({ register }) => {
      register();
      return import('./main.ts');
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
