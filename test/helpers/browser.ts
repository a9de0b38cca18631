/**
 * Browser helpers for the dashboard tests and benchmark: Debian's chromium driven by playwright-core
 * (never `npx playwright install`), a watcher that records console errors and failed requests, and
 * waits on the dashboard's own readiness signal (`<main data-ready="true">`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request, type Response } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../test-output/screenshots');
export const WEB_BUILD_INDEX = path.resolve(import.meta.dirname, '../../web/build/index.html');

export function assertWebBuilt(): void {
  if (!fs.existsSync(WEB_BUILD_INDEX)) throw new Error(`web/build is missing: run \`npm run build:web\` first (npm test does it)`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export async function newContext(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  return browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'UTC', acceptDownloads: true, deviceScaleFactor: 1 });
}

/** An expected API error (e.g. the Cox model refusing with 422): not counted as a problem. */
export interface Allowed {
  status: number;
  url: RegExp;
}

export interface PageWatch {
  problems: string[];
  /** Expected failures that happened (so a test can assert it saw them). */
  expected: string[];
  allow(a: Allowed): void;
  clear(): void;
}

/** Records console errors, page errors, failed requests and 4xx/5xx responses on a page. */
export function watch(page: Page): PageWatch {
  const allowed: Allowed[] = [];
  const w: PageWatch = {
    problems: [],
    expected: [],
    allow: (a) => void allowed.push(a),
    clear() {
      w.problems.length = 0;
      w.expected.length = 0;
    },
  };
  const isAllowed = (status: number, url: string) => allowed.some((a) => a.status === status && a.url.test(url));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // Chromium logs every non-2xx response as a console error; those are judged by status below.
    const m = /the server responded with a status of (\d{3})/.exec(text);
    if (m && isAllowed(Number(m[1]), msg.location().url)) return;
    w.problems.push(`console error: ${text} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => w.problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req: Request) => {
    const reason = req.failure()?.errorText ?? 'failed';
    // A filter change aborts the now-stale request on purpose.
    if (reason.includes('ERR_ABORTED')) return;
    w.problems.push(`request failed: ${req.method()} ${req.url()}: ${reason}`);
  });
  page.on('response', (res: Response) => {
    if (res.status() < 400) return;
    const line = `${res.status()} ${res.request().method()} ${res.url()}`;
    if (isAllowed(res.status(), res.url())) w.expected.push(line);
    else w.problems.push(`HTTP ${line}`);
  });
  return w;
}

/** Waits until the dashboard says every request finished and every chart drew. */
/** A fresh context with one page, watched from its first request (close the context when done). */
export async function openPage(browser: Browser, viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }> {
  const context = await newContext(browser, viewport);
  const page = await context.newPage();
  return { context, page, watch: watch(page) };
}

export async function waitReady(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForSelector('main[data-ready="true"]', { timeout, state: 'attached' });
}

/**
 * Waits until every chart has drawn, also those out of view (they draw in idle time after
 * `data-ready`, see web/src/lib/echart.ts): before reading a chart's option or taking a full-page picture.
 */
export async function waitComplete(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForSelector('main[data-complete="true"]', { timeout, state: 'attached' });
}

/** Navigates within the app (client-side) by URL and waits until ready. */
export async function gotoReady(page: Page, url: string, timeout = 60_000): Promise<void> {
  await page.goto(url);
  await waitReady(page, timeout);
}

/** The current ECharts option of the chart `data-chart="<id>"` (functions dropped). */
export async function chartOption<T = EChartOption>(page: Page, id: string): Promise<T> {
  await waitComplete(page);
  const option = await page.evaluate((chartId) => window.__chartOption?.(chartId) ?? null, id);
  if (!option) throw new Error(`no chart with data-chart="${id}"`);
  return option as T;
}

export interface EChartOption {
  series: { type: string; name?: string; data: unknown[] }[];
  xAxis: { type: string; data?: unknown[]; name?: string }[];
  yAxis: { type: string; data?: unknown[]; name?: string }[];
  [key: string]: unknown;
}

/**
 * Saves `<name>.png` (the viewport, e.g. 1280×800: what a user sees first) and `<name>-full.png`
 * (the whole page) under test-output/screenshots/.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await waitComplete(page);
  // Let the last chart animation finish so the image shows final values.
  await page.waitForTimeout(400);
  await page.screenshot({ path: file });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-full.png`), fullPage: true });
  return file;
}

declare global {
  interface Window {
    __chartOption?: (id: string) => unknown;
  }
}

/** The plain values of a series' data items (`{ value }` objects unwrapped, '-' as null). */
export function seriesValues(data: unknown[]): unknown[] {
  return data.map((d) => {
    const v = d !== null && typeof d === 'object' && !Array.isArray(d) ? (d as { value: unknown }).value : d;
    return v === '-' ? null : v;
  });
}

/** The data values of the series named `name` (or of type `type`) in a chart. */
export async function chartSeries(page: Page, chartId: string, match: { name?: string; type?: string; index?: number }): Promise<unknown[]> {
  const option = await chartOption(page, chartId);
  const series = option.series.filter((s) => (match.name === undefined || s.name === match.name) && (match.type === undefined || s.type === match.type));
  const s = series[match.index ?? 0];
  if (!s) throw new Error(`chart ${chartId}: no series ${JSON.stringify(match)} among ${option.series.map((x) => `${x.type}:${x.name}`).join(', ')}`);
  return seriesValues(s.data);
}

/** Rounds numbers (deeply) so floating-point noise from JSON round trips does not fail comparisons. */
export function round<T>(v: T, digits = 10): T {
  if (typeof v === 'number') return (Number.isFinite(v) ? Number(v.toFixed(digits)) : v) as T;
  if (Array.isArray(v)) return v.map((x) => round(x, digits)) as T;
  return v;
}

/** Waits for the app to finish a navigation triggered by an action (URL change), then for readiness. */
export async function afterAction(page: Page, action: () => Promise<unknown>, urlTest: (url: URL) => boolean, timeout = 60_000): Promise<void> {
  await action();
  await page.waitForURL((u) => urlTest(u), { timeout });
  await page.waitForFunction(() => document.querySelector('main')?.dataset.ready === 'true', undefined, { timeout });
}
