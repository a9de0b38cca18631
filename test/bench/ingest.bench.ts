/**
 * Ingestion benchmark (issue: NDJSON ≥ 200 000 events/s end to end and ≥ 50 % of DuckDB's own
 * load rate; Arrow ≥ 1 000 000 events/s; print peak RSS). Prepares 1 000 000 realistic events from
 * the sample generator, then in one run measures:
 *   1. DuckDB alone: INSERT INTO events SELECT … FROM read_ndjson(file) into a fresh file with the
 *      same schema (primary key included);
 *   2. the service as its own process, NDJSON over loopback HTTP in requests of 100 000 events;
 *   3. the same events as Arrow IPC streams.
 * Run: npx tsx test/bench/ingest.bench.ts [events]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Float64, Table, Utf8, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import { Database } from '../../service/db/database.ts';
import { migrate } from '../../service/db/migrations.ts';
import { PAYLOAD_COLUMNS } from '../../service/events/contract.ts';
import { generateNdjsonChunks } from '../../sample-data/index.ts';
import { startChildService } from '../helpers/child-service.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const BATCH = 100_000;
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

function arrowBatches(lines: string[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let start = 0; start < lines.length; start += BATCH) {
    const rows = lines.slice(start, start + BATCH).map((l) => JSON.parse(l) as Record<string, unknown>);
    const fields = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const columns: Record<string, Vector> = {};
    for (const f of fields) {
      const values = rows.map((r) => (r[f] === undefined ? null : r[f]));
      const numeric = values.every((v) => v === null || typeof v === 'number');
      columns[f] = numeric ? vectorFromArray(values as (number | null)[], new Float64()) : vectorFromArray(values.map((v) => (v === null ? null : String(v))), new Utf8());
    }
    out.push(tableToIPC(new Table(columns), 'stream'));
  }
  return out;
}

async function duckdbAlone(): Promise<number> {
  const db = await Database.open({ path: path.join(dir, 'reference.duckdb') });
  await migrate(db);
  const types = Object.fromEntries([['event_id', 'VARCHAR'], ['type', 'VARCHAR'], ['occurred_at', 'TIMESTAMPTZ'], ['customer_id', 'VARCHAR'], ...PAYLOAD_COLUMNS.map((c) => [c.name, c.type])]);
  const columns = `{${Object.entries(types).map(([k, t]) => `'${k}': '${t}'`).join(', ')}}`;
  const names = Object.keys(types).map((k) => `"${k}"`).join(', ');
  const t = performance.now();
  await db.withConnection((c) => c.run(`INSERT INTO events (${names}, batch_id) SELECT ${names}, 0 FROM read_ndjson('${file}', columns = ${columns})`));
  const seconds = (performance.now() - t) / 1000;
  db.close();
  return seconds;
}

function peakRss(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

async function throughService(bodies: Uint8Array[], contentType: string) {
  const svc = await startChildService({ DATA_DIR: path.join(dir, `svc-${contentType.split('/')[1]}`) });
  const t = performance.now();
  let accepted = 0;
  const phases = { read: 0, validate: 0, store: 0 };
  for (const body of bodies) {
    const res = await fetch(`${svc.url}/v1/events`, { method: 'POST', body: body as unknown as BodyInit, headers: { 'content-type': contentType } });
    const r = await res.json();
    if (!res.ok) throw new Error(JSON.stringify(r));
    accepted += r.accepted;
    for (const k of Object.keys(phases) as (keyof typeof phases)[]) phases[k] += r.timings_ms[k];
  }
  const seconds = (performance.now() - t) / 1000;
  const rss = peakRss(svc.process.pid!);
  await svc.kill('SIGTERM');
  return { seconds, accepted, rss, phases };
}

const lines = prepare();
console.log(`prepared ${lines.length.toLocaleString('en')} events (${(fs.statSync(file).size / 1e6).toFixed(0)} MB NDJSON) in ${dir}`);
const ndjsonBodies: Uint8Array[] = [];
for (let s = 0; s < lines.length; s += BATCH) ndjsonBodies.push(Buffer.from(lines.slice(s, s + BATCH).join('\n') + '\n'));
const arrow = arrowBatches(lines);

const duck = await duckdbAlone();
const nd = await throughService(ndjsonBodies, 'application/x-ndjson');
const ar = await throughService(arrow, 'application/vnd.apache.arrow.stream');
const rate = (n: number, s: number) => Math.round(n / s);
console.log('');
console.log(`DuckDB alone (read_ndjson → events):   ${rate(N, duck).toLocaleString('en').padStart(10)} events/s  (${duck.toFixed(2)} s)`);
console.log(`service, NDJSON over HTTP:            ${rate(nd.accepted, nd.seconds).toLocaleString('en').padStart(10)} events/s  (${nd.seconds.toFixed(2)} s, ${nd.accepted} stored)`);
console.log(`  ratio service / DuckDB alone:        ${(duck / nd.seconds).toFixed(2)}  (target ≥ 0.50)`);
console.log(`  time in service (ms):                ${JSON.stringify(nd.phases)}`);
console.log(`  peak RSS of the service:             ${(nd.rss / 1024 / 1024).toFixed(0)} MiB`);
console.log(`service, Arrow IPC over HTTP:         ${rate(ar.accepted, ar.seconds).toLocaleString('en').padStart(10)} events/s  (${ar.seconds.toFixed(2)} s)`);
console.log(`  time in service (ms):                ${JSON.stringify(ar.phases)}`);
console.log(`  peak RSS of the service:             ${(ar.rss / 1024 / 1024).toFixed(0)} MiB`);
fs.rmSync(dir, { recursive: true, force: true });
