/**
 * Issue 17: a client that sends half of a large NDJSON body and then destroys its socket. The
 * service stops reading (its CPU goes quiet within a second or two instead of working through
 * the rest), stores nothing of it (it acknowledged nothing: no event, no batch), keeps answering
 * /v1/health quickly meanwhile, and its peak RSS stays within a fixed budget although the half
 * body alone is 48 MiB.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../service/db/database.ts';
import { startChildService } from '../helpers/child-service.ts';
import { makeEvents, toNdjson } from '../helpers/events.ts';
import { tempDir } from '../helpers/service.ts';

const cpuSeconds = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

describe('a client that disconnects in the middle of a large body', () => {
  it('stops the reading, stores nothing, health stays responsive, RSS bounded', async () => {
    const dataDir = tempDir();
    const svc = await startChildService({ DATA_DIR: dataDir });
    const { port } = new URL(svc.url);
    const idle = svc.peakRssMiB();
    const chunk = Buffer.from(toNdjson(makeEvents(2000, 3, 'gone'))); // ~0.5 MiB of valid events
    const total = 96 * 2 ** 20;
    const half = total / 2;
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write(`POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\nContent-Length: ${total}\r\n\r\n`);
    let sent = 0;
    let answered = '';
    socket.on('data', (d: Buffer) => (answered += d.toString()));
    while (sent < half) {
      const piece = chunk.subarray(0, Math.min(chunk.length, half - sent));
      sent += piece.length;
      if (!socket.write(piece)) await new Promise((r) => socket.once('drain', r));
    }
    // Health answers while the body is still being read.
    const during = performance.now();
    expect((await fetch(`${svc.url}/v1/health`, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
    expect(performance.now() - during).toBeLessThan(2000);
    socket.destroy();
    expect(answered).toBe(''); // nothing was acknowledged

    // The reading stops: over the next 2 s the service spends little CPU.
    await new Promise((r) => setTimeout(r, 1000));
    const cpu0 = cpuSeconds(svc.process.pid!);
    await new Promise((r) => setTimeout(r, 2000));
    expect(cpuSeconds(svc.process.pid!) - cpu0).toBeLessThan(0.5);
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const health = await fetch(`${svc.url}/v1/health`, { signal: AbortSignal.timeout(5000) });
      expect(health.status).toBe(200);
      expect(performance.now() - t).toBeLessThan(1000);
    }
    const status = await (await fetch(`${svc.url}/v1/ingestion/status`)).json();
    expect(status.batches).toEqual([]); // no batch recorded
    const peak = svc.peakRssMiB();
    console.log(`client disconnect: ${(half / 2 ** 20).toFixed(0)} MiB sent of ${(total / 2 ** 20).toFixed(0)} MiB, peak RSS ${peak.toFixed(0)} MiB (${idle.toFixed(0)} MiB before the request)`);
    expect(peak).toBeLessThan(600);
    await svc.kill('SIGTERM');

    const db = await Database.open({ path: path.join(dataDir, 'invoice-pulse.duckdb') });
    try {
      const counts = await db.withConnection(async (c) => (await c.runAndReadAll(`SELECT (SELECT count(*) FROM events)::INT AS events, (SELECT count(*) FROM ingest_batches)::INT AS batches, (SELECT count(*) FROM rejected_rows)::INT AS rejected`)).getRowObjectsJson());
      expect(counts).toEqual([{ events: 0, batches: 0, rejected: 0 }]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
