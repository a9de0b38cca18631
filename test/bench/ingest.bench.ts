/**
 * Ingestion benchmark (issue: NDJSON ≥ 200 000 events/s end to end and ≥ 50 % of DuckDB's own
 * load rate; Arrow ≥ 1 000 000 events/s; print peak RSS). Prepares 1 000 000 realistic events from
 * the sample generator, then in one run measures:
 *   1. DuckDB alone: INSERT INTO events SELECT … FROM read_ndjson(file) into a fresh file with the
 *      same schema (primary key included), and the insert alone: the same rows, already typed in
 *      a temp table, into events (the floor under any ingestion path);
 *   2. the service as its own process, NDJSON over loopback HTTP, with requests of 100 000 and
 *      250 000 events (bulk loads should send ≥ 122 880 rows per request: DuckDB then writes whole
 *      row groups straight to the file instead of through the write-ahead log), 1 and 2 clients;
 *   3. the same events as Arrow IPC streams.
 * Run: npx tsx test/bench/ingest.bench.ts [events]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Database } from '../../service/db/database.ts';
import { migrate } from '../../service/db/migrations.ts';
import { PAYLOAD_COLUMNS } from '../../service/events/contract.ts';
import { generateNdjsonChunks } from '../../sample-data/index.ts';
import { startChildService } from '../helpers/child-service.ts';
import { toArrow } from '../helpers/events.ts';
import { cpuSeconds, peakRss, post, verdict } from './bench-kit.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ip-bench-ingest-'));
const file = path.join(dir, 'events.ndjson');

function prepare(): string[] {
  const lines: string[] = [];
  for (const chunk of generateNdjsonChunks({ size: 'default', seed: 7 })) {
    for (const line of chunk.split('\n')) if (line && lines.length < N) lines.push(line);
    if (lines.length >= N) break;
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return lines;
}

function arrowBatches(lines: string[], batch: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let start = 0; start < lines.length; start += batch) {
    const rows = lines.slice(start, start + batch).map((l) => JSON.parse(l) as Record<string, unknown>);
    out.push(toArrow(rows));
  }
  return out;
}

/** Seconds DuckDB takes to load the file into events, and to insert the same rows already typed. */
async function duckdbAlone(): Promise<{ load: number; insert: number }> {
  const db = await Database.open({ path: path.join(dir, 'reference.duckdb') });
  await migrate(db);
  const types = Object.fromEntries([['event_id', 'VARCHAR'], ['type', 'VARCHAR'], ['occurred_at', 'TIMESTAMPTZ'], ['customer_id', 'VARCHAR'], ...PAYLOAD_COLUMNS.map((c) => [c.name, c.type])]);
  const columns = `{${Object.entries(types).map(([k, t]) => `'${k}': '${t}'`).join(', ')}}`;
  const names = Object.keys(types).map((k) => `"${k}"`).join(', ');
  const seconds = async (sql: string) => {
    const t = performance.now();
    await db.withConnection((c) => c.run(sql));
    return (performance.now() - t) / 1000;
  };
  const load = await seconds(`INSERT INTO events (${names}, batch_id) SELECT ${names}, 0 FROM read_ndjson('${file}', columns = ${columns})`);
  const insert = await db.withConnection(async (c) => {
    await c.run(`CREATE TEMP TABLE typed AS SELECT * REPLACE ('again-' || event_id AS event_id) FROM events`);
    const t = performance.now();
    await c.run(`INSERT INTO events SELECT * FROM typed`);
    return (performance.now() - t) / 1000;
  });
  await db.close();
  return { load, insert };
}

interface IngestAnswer {
  accepted: number;
  timings_ms: Record<string, number>;
}

/** Sends the bodies with `clients` producers in parallel (each takes the next body in turn). */
let services = 0;
async function throughService(bodies: Uint8Array[], contentType: string, clients: number) {
  const svc = await startChildService({ DATA_DIR: path.join(dir, `svc-${++services}`) }); // a fresh, empty database each time
  const cpu0 = cpuSeconds(svc.process.pid!);
  const clientCpu0 = process.cpuUsage();
  const t = performance.now();
  let accepted = 0;
  const phases = { read: 0, validate: 0, queue: 0, store: 0 };
  let next = 0;
  const producer = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const { status, json: r } = await post<IngestAnswer>(`${svc.url}/v1/events`, body, contentType);
      if (status !== 200) throw new Error(JSON.stringify(r));
      accepted += r.accepted;
      for (const k of Object.keys(phases) as (keyof typeof phases)[]) phases[k] += r.timings_ms[k];
    }
  };
  await Promise.all(Array.from({ length: clients }, producer));
  const seconds = (performance.now() - t) / 1000;
  const rss = peakRss(svc.process.pid!);
  const cpu = cpuSeconds(svc.process.pid!) - cpu0;
  const clientUsage = process.cpuUsage(clientCpu0);
  const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
  await svc.kill('SIGTERM');
  return { seconds, accepted, rss, phases, cpu, clientCpu };
}

const lines = prepare();
console.log(`prepared ${lines.length.toLocaleString('en')} events (${(fs.statSync(file).size / 1e6).toFixed(0)} MB NDJSON) in ${dir}`);
const ndjsonBodies = (batch: number) => {
  const out: Uint8Array[] = [];
  for (let s = 0; s < lines.length; s += batch) out.push(Buffer.from(lines.slice(s, s + batch).join('\n') + '\n'));
  return out;
};

const duck = await duckdbAlone();
const rate = (n: number, s: number) => Math.round(n / s);
const fmt = (n: number) => n.toLocaleString('en').padStart(9);
console.log('');
console.log(`DuckDB alone, read_ndjson → events:          ${fmt(rate(N, duck.load))} events/s  (${duck.load.toFixed(2)} s)`);
console.log(`DuckDB alone, insert of typed rows → events: ${fmt(rate(N, duck.insert))} events/s  (${duck.insert.toFixed(2)} s: the floor under every path)`);
const best: Record<string, number> = {};
for (const [label, type, batch, clients] of [
  ['NDJSON', 'application/x-ndjson', 100_000, 1],
  ['NDJSON', 'application/x-ndjson', 250_000, 1],
  ['NDJSON', 'application/x-ndjson', 250_000, 2],
  ['Arrow', 'application/vnd.apache.arrow.stream', 250_000, 1],
  ['Arrow', 'application/vnd.apache.arrow.stream', 250_000, 2],
] as const) {
  const bodies = label === 'NDJSON' ? ndjsonBodies(batch) : arrowBatches(lines, batch);
  const r = await throughService(bodies, type, clients);
  const eps = rate(r.accepted, r.seconds);
  best[label] = Math.max(best[label] ?? 0, eps);
  console.log(
    `service, ${label.padEnd(6)} ${String(batch / 1000).padStart(3)}k/request, ${clients} client${clients > 1 ? 's' : ' '}: ${fmt(eps)} events/s  (${r.seconds.toFixed(2)} s; ` +
      `${(duck.load / r.seconds).toFixed(2)} of DuckDB alone; peak RSS ${(r.rss / 1024 / 1024).toFixed(0)} MiB; CPU: service ${r.cpu.toFixed(1)} s, client ${r.clientCpu.toFixed(1)} s; ms in service ${JSON.stringify(r.phases)})`,
  );
}
console.log('');
console.log(`NDJSON ≥ 200 000 events/s: ${verdict(best.NDJSON >= 200_000)} (best ${best.NDJSON.toLocaleString('en')})`);
console.log(`NDJSON ≥ 50 % of DuckDB alone: ${verdict(best.NDJSON >= 0.5 * rate(N, duck.load))} (${(best.NDJSON / rate(N, duck.load)).toFixed(2)})`);
console.log(`Arrow ≥ 1 000 000 events/s: ${verdict(best.Arrow >= 1_000_000)} (best ${best.Arrow.toLocaleString('en')}; the typed insert alone allows at most ${rate(N, duck.insert).toLocaleString('en')})`);
fs.rmSync(dir, { recursive: true, force: true });
