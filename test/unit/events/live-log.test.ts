/**
 * The live log's format (service/events/live-log.ts): records survive a round trip through the
 * file, and a torn or corrupted tail (a crash mid-write) is detected by length and checksum,
 * dropped, and cut off the file, so that the next record is never written after garbage.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRecords, encodeRecord, LiveLog, type LogRecord } from '../../../service/events/live-log.ts';

const record = (b: number, ids: string[]): LogRecord => ({
  b,
  t: '2026-01-02T03:04:05.000Z',
  m: 'application/x-ndjson',
  s: 'test',
  n: ids.length + 1,
  d: 0,
  a: ids.map((id) => JSON.stringify({ event_id: id, type: 'contact', note: 'é – 😀' })),
  v: [[7, '{"event_id":"slow"}']],
  r: [[9, 'bad', 'contact', 'invalid_value', 'channel must be one of …', '{"event_id":"bad"}']],
});

describe('live log records', () => {
  it('round-trips records, multi-byte text included', () => {
    const recs = [record(1, ['a', 'b']), record(2, ['c']), record(3, [])];
    const bytes = Buffer.concat(recs.map(encodeRecord));
    const out = decodeRecords(bytes);
    expect(out.records).toEqual(recs);
    expect(out.goodBytes).toBe(bytes.length);
  });

  it('a tail cut at any byte is dropped, and every whole record before it kept', () => {
    const first = encodeRecord(record(1, ['a']));
    const second = encodeRecord(record(2, ['b', 'c']));
    const bytes = Buffer.concat([first, second]);
    for (let cut = first.length; cut < bytes.length; cut++) {
      const out = decodeRecords(bytes.subarray(0, cut));
      expect(out.records.map((r) => r.b)).toEqual([1]);
      expect(out.goodBytes).toBe(first.length);
    }
    // Cut inside the first record's header or payload: nothing is whole.
    expect(decodeRecords(bytes.subarray(0, 5)).records).toEqual([]);
    expect(decodeRecords(bytes.subarray(0, first.length - 1)).goodBytes).toBe(0);
  });

  it('a flipped bit in a payload fails its checksum: that record and everything after it are dropped', () => {
    const parts = [1, 2, 3].map((b) => encodeRecord(record(b, [`id-${b}`])));
    const bytes = Buffer.concat(parts);
    const at = parts[0].length + 8 + 20; // inside the second record's payload
    bytes[at] ^= 0x04;
    const out = decodeRecords(bytes);
    expect(out.records.map((r) => r.b)).toEqual([1]);
    expect(out.goodBytes).toBe(parts[0].length);
  });

  it('appends through the file, and readAll cuts a torn tail off the segment', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'live-log-'));
    try {
      const db = path.join(dir, 'x.duckdb');
      const log = LiveLog.open(db, 1024); // small segments: the third record opens a new one
      await log.append(record(10, ['a']));
      await log.append(record(11, Array.from({ length: 30 }, (_, i) => `long-id-${i}`)));
      await log.append(record(12, ['z']));
      log.close();
      const files = fs.readdirSync(`${db}.live-log`).sort();
      expect(files).toEqual(['000000000001.log', '000000000002.log']);
      const last = path.join(`${db}.live-log`, files[1]);
      const whole = fs.statSync(last).size;
      // A crash mid-write: half a record after the last whole one.
      fs.appendFileSync(last, encodeRecord(record(13, ['torn'])).subarray(0, 30));
      const notes: string[] = [];
      const again = LiveLog.open(db);
      const { records } = again.readAll((l) => notes.push(l));
      expect(records.map((r) => r.b)).toEqual([10, 11, 12]);
      expect(notes.join('\n')).toMatch(/30 bytes of an unfinished record dropped/);
      expect(fs.statSync(last).size).toBe(whole);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
