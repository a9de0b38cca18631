import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { customersForSize, generateNdjsonChunks, plantedEffects, writeSample, type SampleOptions } from '../../../sample-data/index.ts';

// Same options, same bytes: the committed sample and every benchmark depend on it.
function digest(opts: SampleOptions): { hash: string; lines: number; maxChunk: number } {
  const h = createHash('sha256');
  let lines = 0;
  let maxChunk = 0;
  for (const chunk of generateNdjsonChunks(opts)) {
    expect(chunk.endsWith('\n')).toBe(true);
    maxChunk = Math.max(maxChunk, chunk.length);
    lines += chunk.split('\n').length - 1;
    h.update(chunk);
  }
  return { hash: h.digest('hex'), lines, maxChunk };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('sample-data determinism', () => {
  it('gives byte-identical output for the same seed and different output for another seed', () => {
    const a = digest({ size: 400, seed: 7, dirt: true });
    const b = digest({ size: 400, seed: 7, dirt: true });
    const c = digest({ size: 400, seed: 8, dirt: true });
    expect(a.lines).toBeGreaterThan(10_000);
    expect(b).toEqual(a);
    expect(c.hash).not.toBe(a.hash);
  });

  it('does not depend on the wall clock or on dirt for the clean events', () => {
    const clean = digest({ size: 200, seed: 3, end: '2025-06-30T23:59:59Z', months: 12 });
    const again = digest({ size: 200, seed: 3, end: '2025-06-30T23:59:59Z', months: 12 });
    expect(again.hash).toBe(clean.hash);
    const other = digest({ size: 200, seed: 3 });
    expect(other.hash).not.toBe(clean.hash);
  });

  it('chunks are complete lines of at most a few MB', () => {
    const d = digest({ size: 3000, seed: 1 });
    expect(d.maxChunk).toBeLessThan(4.5 * 1024 * 1024);
  });

  it('writeSample writes identical directories twice, gzip or not', async () => {
    const base = await mkdtemp(join(tmpdir(), 'ip-sample-'));
    dirs.push(base);
    const opts = { size: 300, seed: 11, dirt: true } as const;
    const r1 = await writeSample({ ...opts, outDir: join(base, 'a'), gzip: true });
    const r2 = await writeSample({ ...opts, outDir: join(base, 'b'), gzip: true });
    const r3 = await writeSample({ ...opts, outDir: join(base, 'c') });
    for (const f of ['events.ndjson.gz', 'manifest.json', 'planted-effects.json']) {
      expect(await readFile(join(base, 'b', f))).toEqual(await readFile(join(base, 'a', f)));
    }
    const plain = await readFile(join(base, 'c', 'events.ndjson'));
    expect(gunzipSync(await readFile(join(base, 'a', 'events.ndjson.gz')))).toEqual(plain);
    expect(createHash('sha256').update(plain).digest('hex')).toBe(r1.manifest.ndjson_sha256);
    expect(r3.manifest.ndjson_sha256).toBe(r1.manifest.ndjson_sha256);
    expect(r2.events).toBe(r1.events);
    const manifest = JSON.parse(await readFile(join(base, 'a', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ seed: 11, size: 300, customers: 300, months: 24, end: '2026-10-31T23:59:59Z', dirt: true });
    const planted = JSON.parse(await readFile(join(base, 'a', 'planted-effects.json'), 'utf8'));
    expect(planted).toEqual(JSON.parse(JSON.stringify(plantedEffects(opts))));
  });

  it('maps sizes to customer counts', () => {
    expect(customersForSize('small')).toBe(2000);
    expect(customersForSize('default')).toBe(50_000);
    expect(customersForSize('large')).toBeGreaterThanOrEqual(200_000);
    expect(customersForSize(1234)).toBe(1234);
    expect(() => customersForSize(0)).toThrow();
  });
});
