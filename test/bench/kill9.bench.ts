/**
 * kill -9 under load, 100 times on the same database file (issue 17; benchmark-style, not in CI:
 * it takes several minutes). Each trial starts the service (`node service/start.cjs`, a child
 * process) on the same data directory, runs 16 clients posting live requests of 1–20 events,
 * SIGKILLs the service after a varying number of acknowledgements (5–60, so the kill lands in
 * the fdatasync, the apply and the checkpoint alike), and restarts. At the end the file is
 * opened and checked: every acknowledged event stored exactly once (losses = 0, doubles = 0),
 * and no request half-stored (atomicity: each request's events all there or none).
 * Target: 0 losses, 0 doubles, 0 half-stored requests.
 * Run: npx tsx test/bench/kill9.bench.ts [trials=100]
 */
import { startChildService } from '../helpers/child-service.ts';
import { makeEvents, toNdjson } from '../helpers/events.ts';
import { tempDir } from '../helpers/service.ts';
import { storedEventCounts } from '../helpers/stored-events.ts';

const TRIALS = Number(process.argv[2] ?? 100);
const CLIENTS = 16;
const dataDir = tempDir('invoice-pulse-kill9-');
const acknowledged: string[][] = [];
const attempted: string[][] = [];
const started = performance.now();
let startMs = 0;

for (let trial = 0; trial < TRIALS; trial++) {
  const t0 = performance.now();
  const svc = await startChildService({ DATA_DIR: dataDir });
  startMs += performance.now() - t0;
  const killAfter = 5 + ((trial * 37) % 56);
  const mine: string[][] = [];
  let stopped = false;
  const loops = Array.from({ length: CLIENTS }, async (_, c) => {
    for (let i = 0; !stopped; i++) {
      const events = makeEvents(1 + ((c + i + trial) % 20), (trial * CLIENTS + c) * 10_000 + i, `k9-${trial}`);
      const ids = events.map((e) => String(e.event_id));
      attempted.push(ids);
      try {
        const res = await fetch(`${svc.url}/v1/events`, { method: 'POST', body: toNdjson(events), headers: { 'content-type': 'application/x-ndjson' } });
        await res.arrayBuffer();
        if (res.ok) mine.push(ids);
      } catch {
        return; // the service is gone
      }
    }
  });
  const deadline = Date.now() + 30_000;
  while (mine.length < killAfter && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  await svc.kill('SIGKILL');
  stopped = true;
  await Promise.all(loops);
  acknowledged.push(...mine);
  if ((trial + 1) % 10 === 0) console.log(`trial ${trial + 1}/${TRIALS}: ${acknowledged.length} acknowledged requests so far (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

// One last clean start replays what the last kill left in the live log, then stops cleanly.
const last = await startChildService({ DATA_DIR: dataDir });
const health = await (await fetch(`${last.url}/v1/health`)).json();
await last.kill('SIGTERM');

const stored = await storedEventCounts(dataDir);
const ackedEvents = acknowledged.flat();
const losses = ackedEvents.filter((id) => !stored.has(id)).length;
const doubles = [...stored.values()].filter((n) => n > 1).length;
const half = attempted.filter((ids) => {
  const present = ids.filter((id) => stored.has(id)).length;
  return present !== 0 && present !== ids.length;
}).length;
const unacknowledgedStored = attempted.length - acknowledged.length;
const seconds = (performance.now() - started) / 1000;

console.log(`trials:                 ${TRIALS} (SIGKILL each, restarted on the same file)`);
console.log(`acknowledged:           ${acknowledged.length} requests, ${ackedEvents.length} events`);
console.log(`attempted:              ${attempted.length} requests (${unacknowledgedStored} unanswered or refused: may or may not be stored, never in part)`);
console.log(`stored:                 ${stored.size} distinct events`);
console.log(`losses:                 ${losses} (target 0)`);
console.log(`doubles:                ${doubles} (target 0)`);
console.log(`half-stored requests:   ${half} (target 0)`);
console.log(`final health:           ${health.status}, integrity ok: ${health.integrity?.ok}`);
console.log(`total time:             ${seconds.toFixed(0)} s (${(startMs / TRIALS / 1000).toFixed(1)} s per start on average)`);
console.log(losses === 0 && doubles === 0 && half === 0 && health.status === 'ok' ? 'met: no acknowledged event lost or doubled, no request half-stored' : 'MISSED: see the figures above');
process.exit(losses === 0 && doubles === 0 && half === 0 ? 0 : 1);
