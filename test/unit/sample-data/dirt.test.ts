import { describe, expect, it } from 'vitest';
import { SampleRun } from '../../../sample-data/index.ts';
import { AUTOMATIC, MANUAL, linesOf, violations, type Code } from './contract-checker.ts';

describe('sample-data dirt', () => {
  const run = new SampleRun({ size: 2500, seed: 42, dirt: true });
  const text = [...run.chunks()].map((b) => b.toString('utf8')).join('');
  const manifest = run.manifest();
  const lines = linesOf(text);
  const now = Date.parse(manifest.end);

  it('counts in the manifest match the file', () => {
    const seen = new Set<string>();
    const codes: Record<string, number> = {};
    let duplicates = 0;
    let valid = 0;
    let outOfOrder = 0;
    let maxAt = '';
    const unknownCustomers = new Set<string>();
    let unknownEvents = 0;
    const known = new Set([...AUTOMATIC, ...MANUAL]);
    for (const l of lines) {
      const v = violations(l, now);
      if (v.length) {
        // Each invalid row must be broken in exactly one way.
        expect(v, l).toHaveLength(1);
        codes[v[0]] = (codes[v[0]] ?? 0) + 1;
        continue;
      }
      if (seen.has(l)) {
        duplicates++;
        continue;
      }
      seen.add(l);
      valid++;
      const e = JSON.parse(l);
      if (e.occurred_at < maxAt) outOfOrder++;
      else maxAt = e.occurred_at;
      if ('method' in e && !known.has(e.method)) {
        unknownEvents++;
        unknownCustomers.add(e.customer_id);
      }
    }
    expect(lines.length).toBe(manifest.lines);
    expect(valid).toBe(manifest.events);
    expect(duplicates).toBe(manifest.dirt_counts.duplicates);
    expect(outOfOrder).toBe(manifest.dirt_counts.out_of_order);
    const expected = Object.fromEntries(Object.entries(manifest.dirt_counts.invalid_rows).filter(([, n]) => n > 0));
    expect(codes).toEqual(expected);
    const allCodes: Code[] = ['invalid_json', 'unknown_type', 'missing_field', 'invalid_value', 'invalid_timestamp', 'future_timestamp', 'out_of_range', 'too_long'];
    for (const c of allCodes) expect(codes[c] ?? 0, c).toBeGreaterThan(0);
    expect(unknownEvents).toBe(manifest.dirt_counts.unknown_method_events);
    expect(unknownCustomers.size).toBeGreaterThan(0);
    expect(unknownCustomers.size).toBeLessThanOrEqual(manifest.dirt_counts.unknown_method_customers);
    expect(manifest.expected_ingest).toEqual({ accepted: valid, duplicates, rejected: lines.length - valid - duplicates });
    expect(duplicates).toBeGreaterThan(0);
    expect(outOfOrder).toBeGreaterThan(0);
  });

  it('duplicates are exact resends of valid events, and event ids stay unique otherwise', () => {
    const byId = new Map<string, string>();
    for (const l of lines) {
      if (violations(l, now).length) continue;
      const id = JSON.parse(l).event_id as string;
      const prev = byId.get(id);
      if (prev !== undefined) expect(l).toBe(prev);
      byId.set(id, l);
    }
    expect(byId.size).toBe(manifest.events);
  });

  it('leaves the clean events untouched', () => {
    const clean = new SampleRun({ size: 2500, seed: 42 });
    const cleanText = [...clean.chunks()].map((b) => b.toString('utf8')).join('');
    const unknown = /"method":"(klarna|paypal|apple_pay|trustly)"/;
    const cleanLines = linesOf(cleanText);
    const dirtyValid = new Set(lines.filter((l) => violations(l, now).length === 0));
    expect(clean.manifest().events).toBe(manifest.events);
    // Apart from the relabelled payment methods, every clean line is present in the dirty file.
    const missing = cleanLines.filter((l) => !dirtyValid.has(l) && !unknown.test([...dirtyValid].find((d) => d.startsWith(l.slice(0, l.indexOf('","type"')) + '"')) ?? ''));
    expect(missing).toEqual([]);
  });
});
