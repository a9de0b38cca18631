/**
 * `npm start`: configuration from the environment, the database file opened and migrated, the
 * sample data loaded when the database is empty (unless SAMPLE_DATA=off), then the API and the
 * dashboard served on one port. A database file that cannot be opened ends it with one FATAL line
 * and status 70.
 */
import { loadConfig } from './config.ts';
import { loadSampleIfEmpty } from './sample-loader.ts';
import { openContext, startService } from './server.ts';

const config = loadConfig();
const ctx = await openContext(config).catch((error: unknown) => {
  // A damaged file (a flipped byte in its header or a block, a truncated copy) fails somewhere in
  // opening, migrating or replaying: one line an operator can act on, no stack, and the status a
  // supervisor sees for an unusable database (as for the fatal errors below).
  const cause = (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();
  console.error(`FATAL: the database file ${config.dbPath} cannot be opened: ${cause}`);
  process.exit(70);
});
await loadSampleIfEmpty(ctx, (line) => console.log(line));
const service = await startService(ctx);

console.log(`Invoice Pulse listening on ${service.url} (bound to ${config.host}:${config.port})`);
console.log(`  dashboard:  ${service.url}/`);
console.log(`  API:        ${service.url}/v1  (OpenAPI: ${service.url}/v1/openapi.json)`);
console.log(`  database:   ${ctx.db.path}`);
// Started other than through start.cjs (or `npm run dev`), DuckDB statements queue on libuv's 4 threads: say so.
const pool = process.env.UV_THREADPOOL_SIZE;
if (pool) console.log(`  threads:    libuv pool ${pool} (UV_THREADPOOL_SIZE)`);
else console.warn('  threads:    libuv pool 4 (Node\'s default): start with `npm start` or `node service/start.cjs`, or set UV_THREADPOOL_SIZE, or small requests wait behind long analyses');
if (config.tokens.size === 0) {
  console.warn('  auth:       OFF — no AUTH_TOKENS configured: anyone who can reach this port can read, ingest and administer.');
  console.warn('              Set AUTH_TOKENS="admin:<token>,read:<token>,ingest:<token>" for anything but local development.');
} else {
  const roles = [...new Set(config.tokens.values())].join(', ');
  console.log(`  auth:       on (${config.tokens.size} token(s); roles: ${roles})`);
}

// DuckDB refuses everything after a fatal error until the database is reopened: exit non-zero so
// that a supervisor restarts the service (the restart replays the write-ahead log). The short wait
// lets the requests that failed with it get their answers.
ctx.db.onFatal.push((cause) => {
  console.error(`FATAL: the database is unusable (${cause}); exiting with status 70 so that a supervisor restarts the service`);
  setTimeout(() => process.exit(70), 500).unref();
});

const shutdown = () => {
  console.log('shutting down');
  service.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
