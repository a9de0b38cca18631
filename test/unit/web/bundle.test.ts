/**
 * What the dashboard's first load has to fetch and run. Two regressions this guards: zod and the
 * API's schemas pulled into the bundle by a run-time import of a contracts module (130 KB and
 * ≈ 100 ms of main thread on every first load; the dashboard imports contract types only, and
 * lists from service/analytics/dimensions.ts), and ECharts loaded before the page renders (it is
 * imported lazily by web/src/lib/echart.ts, so the page's API requests go out without waiting for
 * 650 KB of library). Reads the real build (`npm test` builds it first).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertWebBuilt, WEB_BUILD_INDEX } from '../../helpers/browser.ts';

const build = path.dirname(WEB_BUILD_INDEX);
const scripts = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? scripts(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : []));

describe('the dashboard bundle', () => {
  assertWebBuilt();
  const files = scripts(path.join(build, '_app'));
  const text = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
  // ECharts' own instance marker: present in its chunk whatever the minifier renames.
  const isEcharts = (f: string) => text.get(f)!.includes('__ec_inner_');

  it('holds no zod (the API schemas stay on the server)', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((f) => /ZodError|\$ZodType/.test(text.get(f)!)).map((f) => path.basename(f))).toEqual([]);
  });

  it('has ECharts in one chunk that the first page load does not wait for', () => {
    const echarts = files.filter(isEcharts);
    expect(echarts).toHaveLength(1);
    expect(fs.statSync(echarts[0]).size).toBeGreaterThan(300_000);
    const index = fs.readFileSync(WEB_BUILD_INDEX, 'utf8');
    const preloaded = [...index.matchAll(/href="\/(_app\/[^"]+\.js)"/g)].map((m) => path.join(build, m[1]));
    expect(preloaded.length).toBeGreaterThan(3);
    expect(preloaded.filter(isEcharts)).toEqual([]);
    // No page node imports it statically either: only a dynamic import() names it.
    const name = path.basename(echarts[0]);
    const statically = files.filter((f) => f !== echarts[0] && new RegExp(`(?:from|import)\\s*"[^"]*${name.replace(/[.]/g, '\\.')}"`).test(text.get(f)!));
    expect(statically.map((f) => path.basename(f))).toEqual([]);
  });
});
