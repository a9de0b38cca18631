/**
 * The live log against the real server and a real DuckDB file: acknowledged rows that were not
 * yet applied when the process died are replayed before the first answer; a torn record at the
 * end of the log (a crash mid-write) is dropped and nothing acknowledged is lost; a bulk request
 * and a customer erasure that race with acknowledged-but-unapplied live rows see them (the bulk
 * answers duplicates and stores each id once; the erasure erases them); closed log segments go
 * after a checkpoint, at most one per 5 s, also when nothing more is ingested, and while rows wait
 * to be applied only once four closed segments wait for it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../service/db/database.ts';
import { encodeRecord } from '../../service/events/live-log.ts';
import { startChildService } from '../helpers/child-service.ts';
import { makeEvents, toNdjson } from '../helpers/events.ts';
import { startTestService, tempDir } from '../helpers/service.ts';
import { storedEventCounts } from '../helpers/stored-events.ts';

const post = (url: string, body: string) => fetch(`${url}/v1/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
const health = async (url: string) => (await fetch(`${url}/v1/health`)).json();
const idFilter = async (url: string) => (await (await fetch(`${url}/v1/ingestion/status`)).json()).writer.live.id_filter;
/** The start-up id filter is built in the background (live-writer.ts): waits until it is in use. */
async function filterComplete(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await idFilter(url)).complete && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

describe('live log: crash recovery', () => {
  it('rows acknowledged but not applied when the process died are replayed before the first answer', async () => {
    const dataDir = tempDir();
    // The applier holds its transaction for a minute: nothing acknowledged reaches DuckDB before the kill.
    const svc = await startChildService({ DATA_DIR: dataDir, INGEST_TEST_WRITER_DELAY_MS: '60000', INGEST_MAX_QUEUE_MS: '60000' });
    const acknowledged: string[] = [];
    for (let i = 0; i < 6; i++) {
      const events = makeEvents(1 + i, 500 + i, `replay${i}`);
      const res = await post(svc.url, toNdjson(events));
      expect(res.status).toBe(200);
      expect((await res.json()).accepted).toBe(events.length);
      acknowledged.push(...events.map((e) => String(e.event_id)));
    }
    const before = await health(svc.url);
    expect(before.ingestion.unapplied_rows).toBe(acknowledged.length);
    expect(before.counts.events).toBe(0);
    await svc.kill('SIGKILL');

    const again = await startChildService({ DATA_DIR: dataDir });
    // The very first answer already counts every acknowledged row.
    const first = await health(again.url);
    expect(first.counts.events).toBe(acknowledged.length);
    expect(first.ingestion.unapplied_rows).toBe(0);
    expect(again.output()).toMatch(/live log: 6 acknowledged groups replayed/);
    // A resend after the restart is answered duplicates.
    const resend = await (await post(again.url, toNdjson(makeEvents(6, 505, 'replay5')))).json();
    expect(resend).toMatchObject({ accepted: 0, duplicates: 6 });
    await again.kill('SIGTERM');
    const stored = await storedEventCounts(dataDir);
    expect(stored.size).toBe(acknowledged.length);
    for (const id of acknowledged) expect(stored.get(id), id).toBe(1);
  });

  it('rows with extra fields of their own take the fast path, and keep them through a replay', async () => {
    const dataDir = tempDir();
    const svc = await startChildService({ DATA_DIR: dataDir, INGEST_TEST_WRITER_DELAY_MS: '60000', INGEST_MAX_QUEUE_MS: '60000' });
    await filterComplete(svc.url); // before it, every id is looked up in the index (counted below)
    const base = { type: 'contact', occurred_at: '2026-01-01T10:00:00Z', customer_id: 'x1', channel: 'phone', topic: 'invoice' };
    const sent = [
      { ...base, event_id: 'ex1', source_id: 'crm-42', batch_no: 7 },
      { ...base, event_id: 'ex2', flagged: true, reason: 'price' }, // `reason` is another type's field: extra here
      { ...base, event_id: 'ex3', ratio: 1.5 }, // not a plain value: judged by the SQL
    ];
    // The one the SQL judges goes first: it needs the writer, which each apply then holds for a minute.
    for (const e of [sent[2], sent[0], sent[1]]) expect((await (await post(svc.url, JSON.stringify(e) + '\n')).json()).accepted).toBe(1);
    const status = await (await fetch(`${svc.url}/v1/ingestion/status`)).json();
    expect(status.writer.live.requests_judged_by_sql_or_index).toBe(1);
    await svc.kill('SIGKILL'); // nothing was applied: the restart replays all three from the log

    const again = await startChildService({ DATA_DIR: dataDir });
    await again.kill('SIGTERM');
    const db = await Database.open({ path: path.join(dataDir, 'invoice-pulse.duckdb') });
    try {
      const rows = await db.withConnection(async (c) => (await c.runAndReadAll(`SELECT event_id, extra::VARCHAR AS extra, reason, topic FROM events ORDER BY event_id`)).getRowObjectsJson());
      expect(rows).toEqual([
        { event_id: 'ex1', extra: '{"source_id":"crm-42","batch_no":7}', reason: null, topic: 'invoice' },
        { event_id: 'ex2', extra: '{"flagged":true,"reason":"price"}', reason: null, topic: 'invoice' },
        { event_id: 'ex3', extra: '{"ratio":1.5}', reason: null, topic: 'invoice' },
      ]);
    } finally {
      await db.close();
    }
  });

  it('a torn record at the end of the log is dropped; everything acknowledged is there once', async () => {
    const dataDir = tempDir();
    const svc = await startChildService({ DATA_DIR: dataDir });
    const acknowledged: string[] = [];
    for (let i = 0; i < 10; i++) {
      const events = makeEvents(3, 700 + i, `torn${i}`);
      const res = await post(svc.url, toNdjson(events));
      expect(res.status).toBe(200);
      acknowledged.push(...events.map((e) => String(e.event_id)));
    }
    await svc.kill('SIGKILL');
    // A crash in the middle of the next write: part of a record that was never acknowledged.
    const logDir = path.join(dataDir, 'invoice-pulse.duckdb.live-log');
    const segments = fs.readdirSync(logDir).sort();
    expect(segments.length).toBeGreaterThan(0);
    const last = path.join(logDir, segments[segments.length - 1]);
    const torn = encodeRecord({ b: 999_999, t: new Date().toISOString(), m: 'application/x-ndjson', s: null, n: 1, d: 0, a: [JSON.stringify({ event_id: 'never-acknowledged' })], v: [], r: [] });
    fs.appendFileSync(last, torn.subarray(0, torn.length - 7));

    const again = await startChildService({ DATA_DIR: dataDir });
    expect((await health(again.url)).status).toBe('ok');
    expect(again.output()).toMatch(/bytes of an unfinished record dropped from the end of \d{12}\.log \(never acknowledged\)/);
    // The log takes new writes after the cut, and they survive another crash.
    const later = makeEvents(4, 800, 'after-torn');
    expect((await (await post(again.url, toNdjson(later))).json()).accepted).toBe(4);
    await again.kill('SIGKILL');
    const third = await startChildService({ DATA_DIR: dataDir });
    await third.kill('SIGTERM');
    const stored = await storedEventCounts(dataDir);
    for (const id of [...acknowledged, ...later.map((e) => String(e.event_id))]) expect(stored.get(id), id).toBe(1);
    expect(stored.has('never-acknowledged')).toBe(false);
    expect(stored.size).toBe(acknowledged.length + 4);
  });
});

describe('live log: closed segments go once a checkpoint has their rows', () => {
  it('at most one checkpoint per 5 s, and the segments closed meanwhile go when it is due, with no more ingests', async () => {
    const dataDir = tempDir();
    // 16 KiB segments: a few requests close many of them within one checkpoint interval.
    const svc = await startChildService({ DATA_DIR: dataDir, INGEST_TEST_LOG_SEGMENT_BYTES: '16384' });
    const logDir = path.join(dataDir, 'invoice-pulse.duckdb.live-log');
    const segments = () => fs.readdirSync(logDir).length;
    const status = async () => (await (await fetch(`${svc.url}/v1/ingestion/status`)).json()).writer.live;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const events = makeEvents(60, 900 + i, `seg${i}`);
      const res = await post(svc.url, toNdjson(events));
      expect(res.status).toBe(200);
      expect((await res.json()).accepted).toBe(events.length);
      ids.push(...events.map((e) => String(e.event_id)));
      await status(); // waits until this request is applied: one apply (and a chance to checkpoint) per request
    }
    // The status waits for the acknowledged rows (health does not): now every closed segment's rows are applied.
    const afterBurst = await status();
    expect(afterBurst.unapplied_rows).toBe(0);
    expect(afterBurst.checkpoint_ms.count).toBeLessThanOrEqual(1); // the 5 s interval held within the burst
    expect(segments()).toBeGreaterThan(2);
    // Nothing more is sent: the due checkpoint still comes, and takes every closed segment.
    const deadline = Date.now() + 20_000;
    while (segments() > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(segments()).toBe(1);
    expect((await status()).checkpoint_ms.count).toBe(afterBurst.checkpoint_ms.count + 1);
    // Dropped only after the checkpoint: a SIGKILL now loses nothing.
    await svc.kill('SIGKILL');
    const stored = await storedEventCounts(dataDir);
    expect(stored.size).toBe(ids.length);
    for (const id of ids) expect(stored.get(id), id).toBe(1);
  });

  it('while rows wait to be applied the checkpoint waits for a lull, unless four closed segments wait for it', async () => {
    const dataDir = tempDir();
    // Every apply holds the writer 600 ms, and a request comes every 150 ms or faster: rows wait
    // to be applied throughout. 16 KiB segments: about 40 one-event requests fill one.
    const svc = await startChildService({ DATA_DIR: dataDir, INGEST_TEST_LOG_SEGMENT_BYTES: '16384', INGEST_TEST_WRITER_DELAY_MS: '600', INGEST_MAX_QUEUE_MS: '60000' });
    const logDir = path.join(dataDir, 'invoice-pulse.duckdb.live-log');
    const files = () => fs.readdirSync(logDir).sort();
    const live = async () => (await health(svc.url)).ingestion;
    const ids: string[] = [];
    let serial = 0;
    const send = async (events: number, pauseMs: number) => {
      const batch = makeEvents(events, 3000 + serial++, 'lull');
      const res = await post(svc.url, toNdjson(batch));
      expect(res.status).toBe(200);
      ids.push(...batch.map((e) => String(e.event_id)));
      await new Promise((r) => setTimeout(r, pauseMs));
    };
    // (1) A trickle of 1-event requests: the first segment closes and is applied, the 5 s
    // interval passes, and still it stays (one or two more close meanwhile, not four), because
    // rows keep waiting behind the slow writer.
    while (files().length < 2) await send(1, 150);
    const first = files()[0];
    const until = Date.now() + 6_500;
    while (Date.now() < until) await send(1, 150);
    const busy = await live();
    expect(busy.unapplied_rows).toBeGreaterThan(0);
    expect(files()).toContain(first);
    // (2) Bigger requests close a segment every few requests: once four closed segments are
    // applied, the checkpoint runs although rows still wait, and the first segment goes.
    let goneUnderBacklog = false;
    const deadline = Date.now() + 30_000;
    while (!goneUnderBacklog && Date.now() < deadline) {
      await send(20, 20);
      if (!files().includes(first)) goneUnderBacklog = (await live()).unapplied_rows > 0;
    }
    expect(goneUnderBacklog).toBe(true);
    // (3) Nothing more is sent: in the lull every closed segment goes.
    const drained = Date.now() + 20_000;
    while (files().length > 1 && Date.now() < drained) await new Promise((r) => setTimeout(r, 200));
    expect(files().length).toBe(1);
    await svc.kill('SIGKILL');
    const stored = await storedEventCounts(dataDir);
    expect(stored.size).toBe(ids.length);
    for (const id of ids) expect(stored.get(id), id).toBe(1);
  });
});

describe('live log: the start-up id filter is built in the background', () => {
  it('answers at once; stored ids are duplicates before the filter is complete, and ids taken meanwhile after it', async () => {
    const dataDir = tempDir();
    const first = await startChildService({ DATA_DIR: dataDir });
    const stored = makeEvents(300, 61, 'filter-old');
    expect((await (await post(first.url, toNdjson(stored))).json()).accepted).toBe(300);
    await first.kill('SIGTERM');

    // The filter is put in use 4 s after its scan: until then every id is looked up in the index.
    const again = await startChildService({ DATA_DIR: dataDir, INGEST_TEST_FILTER_DELAY_MS: '4000' });
    const status = () => idFilter(again.url);
    expect((await status()).complete).toBe(false);
    expect(await (await post(again.url, toNdjson(stored.slice(0, 40)))).json()).toMatchObject({ accepted: 0, duplicates: 40 });
    // Taken after the scan read its snapshot: only what the service remembers meanwhile puts them in the new filter.
    const meanwhile = makeEvents(50, 62, 'filter-new');
    expect(await (await post(again.url, toNdjson(meanwhile))).json()).toMatchObject({ accepted: 50, duplicates: 0 });
    expect((await status()).complete).toBe(false);
    await filterComplete(again.url);
    expect(await status()).toMatchObject({ complete: true, ids: 350 });
    expect(await (await post(again.url, toNdjson(meanwhile))).json()).toMatchObject({ accepted: 0, duplicates: 50 });
    expect(await (await post(again.url, toNdjson(stored))).json()).toMatchObject({ accepted: 0, duplicates: 300 });
    await again.kill('SIGTERM');
    const counts = await storedEventCounts(dataDir);
    expect(counts.size).toBe(350);
    for (const id of [...stored, ...meanwhile].map((e) => String(e.event_id))) expect(counts.get(id), id).toBe(1);
  });
});

describe('live log: a bulk batch reaches the id filter after its answer', () => {
  it('answers the bulk request before the filter has its ids; live resends meanwhile and after are duplicates', async () => {
    // A bulk batch's ids reach the filter 3 s after its commit (the start-up filter is late by as much).
    const svc = await startTestService({ INGEST_TEST_FILTER_DELAY_MS: '3000' });
    try {
      await filterComplete(svc.url);
      const before = (await idFilter(svc.url)).ids;
      const bulkEvents = makeEvents(3000, 71, 'bulk-late');
      const bulk = await (await post(svc.url, toNdjson(bulkEvents) + '\n'.repeat(1_100_000))).json();
      expect(bulk).toMatchObject({ accepted: 3000, duplicates: 0, rejected: 0 });
      // Answered, and the filter does not hold the ids yet: without the rule that every id counts as
      // possibly stored meanwhile, these resends would pass as new and be stored twice.
      expect((await idFilter(svc.url)).ids).toBe(before);
      const resends = await Promise.all(Array.from({ length: 20 }, (_, i) => post(svc.url, toNdjson(bulkEvents.slice(i * 150, i * 150 + 5))).then((r) => r.json())));
      for (const r of resends) expect(r).toMatchObject({ accepted: 0, duplicates: 5 });
      const fresh = makeEvents(40, 72, 'bulk-late-new');
      expect(await (await post(svc.url, toNdjson(fresh.slice(0, 20)))).json()).toMatchObject({ accepted: 20, duplicates: 0 });
      expect((await idFilter(svc.url)).ids).toBe(before + 20);
      // Once the catch-up ran the filter holds every id, and judges the ids again without the index.
      const deadline = Date.now() + 30_000;
      while ((await idFilter(svc.url)).ids < before + 3020 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect((await idFilter(svc.url)).ids).toBe(before + 3020);
      expect(await (await post(svc.url, toNdjson(bulkEvents.slice(0, 50)))).json()).toMatchObject({ accepted: 0, duplicates: 50 });
      expect(await (await post(svc.url, toNdjson(fresh))).json()).toMatchObject({ accepted: 20, duplicates: 20 });
      const stored = await svc.query<{ n: number; d: number }>(`SELECT count(*)::INT AS n, count(DISTINCT event_id)::INT AS d FROM events WHERE event_id LIKE 'bulk-late%'`);
      expect(stored[0]).toEqual({ n: 3040, d: 3040 });
    } finally {
      await svc.stop();
    }
  });
});

describe('live log: other writers see acknowledged rows that are not yet applied', () => {
  it('a bulk request with the same ids answers them as duplicates and stores each id once', async () => {
    // Each apply holds the writer 700 ms: the live rows are acknowledged long before they are applied.
    const svc = await startTestService({ INGEST_TEST_WRITER_DELAY_MS: '700' });
    try {
      const events = makeEvents(100, 31, 'mix');
      const live = await (await post(svc.url, toNdjson(events.slice(0, 50)))).json();
      expect(live).toMatchObject({ accepted: 50, duplicates: 0 });
      expect((await health(svc.url)).ingestion.unapplied_rows).toBe(50);
      const bulk = await (await post(svc.url, toNdjson(events) + '\n'.repeat(1_100_000))).json();
      expect(bulk).toMatchObject({ accepted: 50, duplicates: 50, rejected: 0 });
      const stored = await svc.query<{ n: number; d: number }>(`SELECT count(*)::INT AS n, count(DISTINCT event_id)::INT AS d FROM events`);
      expect(stored[0]).toEqual({ n: 100, d: 100 });
      // The live batch was applied before the bulk one: its rows carry the smaller batch id.
      const byBatch = await svc.query<{ batch_id: number; n: number }>(`SELECT batch_id::INT AS batch_id, count(*)::INT AS n FROM events GROUP BY 1 ORDER BY 1`);
      expect(byBatch).toEqual([{ batch_id: live.batch_id, n: 50 }, { batch_id: bulk.batch_id, n: 50 }]);
      // A live resend after the bulk commit: duplicates (the bulk ids joined the live duplicate check).
      expect(await (await post(svc.url, toNdjson(events.slice(40, 60)))).json()).toMatchObject({ accepted: 0, duplicates: 20 });
    } finally {
      await svc.stop();
    }
  });

  it('an erasure erases the customer’s acknowledged rows that were still waiting to be applied', async () => {
    const svc = await startTestService({ INGEST_TEST_WRITER_DELAY_MS: '700' });
    try {
      const mine = makeEvents(12, 41, 'erase').map((e) => ({ ...e, customer_id: 'C-ERASE-ME' }));
      const others = makeEvents(8, 42, 'keep');
      expect((await (await post(svc.url, toNdjson([...mine, ...others]))).json()).accepted).toBe(20);
      expect((await health(svc.url)).ingestion.unapplied_rows).toBe(20);
      const res = await svc.call('/v1/customers/C-ERASE-ME', { method: 'DELETE' });
      expect(res.status).toBe(200);
      expect((await res.json()).erased.events).toBe(12);
      const left = await svc.query<{ customer_id: string; n: number }>(`SELECT customer_id, count(*)::INT AS n FROM events GROUP BY 1`);
      expect(left.find((r) => r.customer_id === 'C-ERASE-ME')).toBeUndefined();
      expect(left.reduce((n, r) => n + r.n, 0)).toBe(8);
    } finally {
      await svc.stop();
    }
  });
});
