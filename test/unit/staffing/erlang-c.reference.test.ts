// The reference figures come from an independent implementation and are read from ../shared at
// run time, so a change of either side shows up here instead of being copied into the test.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requiredAgents } from '../../../service/staffing/erlang-c.ts';

interface ReferenceCase {
  calls: number;
  aht_s: number;
  interval_s: number;
  target_answer_s: number;
  service_level_target: number;
  max_occupancy: number;
  shrinkage: number;
  traffic_erlangs: number;
  agents: number;
  probability_wait: number;
  service_level: number;
  average_speed_of_answer_s: number;
  occupancy: number;
  agents_with_shrinkage: number;
}

/** The nearest directory above this file holding a package.json: the repository root, wherever it is checked out. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function loadCases(): ReferenceCase[] {
  const file = resolve(repoRoot(), '../shared/reference/erlang-c.expected.json');
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { erlang_c?: ReferenceCase[] };
  if (!Array.isArray(parsed.erlang_c) || parsed.erlang_c.length === 0) {
    throw new Error(`${file} has no erlang_c cases`);
  }
  return parsed.erlang_c;
}

function expectRelativelyClose(actual: number, expected: number, label: string): void {
  const error = Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
  expect(error, `${label}: ${actual} vs reference ${expected}`).toBeLessThanOrEqual(1e-9);
}

const cases = loadCases();

describe('Erlang C against ../shared/reference/erlang-c.expected.json', () => {
  it('has the five reference cases', () => {
    expect(cases).toHaveLength(5);
  });

  it.each(cases.map((c, i) => [i + 1, c] as const))('case %i matches', (_, ref) => {
    const got = requiredAgents({
      calls: ref.calls,
      ahtSeconds: ref.aht_s,
      intervalSeconds: ref.interval_s,
      targetSeconds: ref.target_answer_s,
      serviceLevel: ref.service_level_target,
      maxOccupancy: ref.max_occupancy,
      shrinkage: ref.shrinkage,
    });
    expect(got.agents).toBe(ref.agents);
    expect(got.agents_with_shrinkage).toBe(ref.agents_with_shrinkage);
    expectRelativelyClose(got.traffic_erlangs, ref.traffic_erlangs, 'traffic_erlangs');
    expectRelativelyClose(got.probability_wait, ref.probability_wait, 'probability_wait');
    expectRelativelyClose(got.service_level, ref.service_level, 'service_level');
    expectRelativelyClose(got.average_speed_of_answer_seconds, ref.average_speed_of_answer_s, 'average_speed_of_answer');
    expectRelativelyClose(got.occupancy, ref.occupancy, 'occupancy');
  });
});
