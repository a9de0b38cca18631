/**
 * The usual set-up of a dashboard page's browser tests, as Vitest hooks (kept apart from
 * browser.ts, which the benchmark also imports outside Vitest).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { assertWebBuilt, launchBrowser, openPage, waitReady, type PageWatch } from './browser.ts';
import { startTestService, type TestService } from './service.ts';

export interface ServiceAndBrowser {
  readonly svc: TestService;
  /** The file's browser, for a second, fresh context within a test. */
  readonly browser: Browser;
}

/**
 * Registers the file's hooks: the real service with the `small` sample and `env` (a function when
 * it needs something started first, such as a webhook receiver), and one browser.
 */
export function serviceAndBrowser(env: Record<string, string> | (() => Promise<Record<string, string>>) = {}): ServiceAndBrowser {
  // Filled in by the hooks: the tests read it when they run, after beforeAll.
  const state = {} as { svc: TestService; browser: Browser };
  beforeAll(async () => {
    assertWebBuilt();
    state.svc = await startTestService({ SAMPLE_DATA: 'small', ...(typeof env === 'function' ? await env() : env) });
    state.browser = await launchBrowser();
  });
  afterAll(async () => {
    await state.browser?.close();
    await state.svc?.stop();
  });
  return state;
}

export interface DashboardSuite extends ServiceAndBrowser {
  readonly page: Page;
  readonly watch: PageWatch;
  /** The service's JSON answer to a GET of `path`, which must be 200 (the numbers a page must show). */
  ok<T>(path: string): Promise<T>;
}

/**
 * Registers the hooks: the real service with the `small` sample and one browser for the file
 * (serviceAndBrowser), a fresh context and page per test, and every test failing on console
 * errors or failed requests.
 */
export function dashboardSuite(viewport = { width: 1280, height: 800 }): DashboardSuite {
  const suite = serviceAndBrowser() as DashboardSuite & { context: BrowserContext };
  beforeEach(async () => {
    Object.assign(suite, await openPage(suite.browser, viewport));
  });
  afterEach(async () => {
    const problems = [...suite.watch.problems];
    await suite.context.close();
    expect(problems, 'console errors or failed requests').toEqual([]);
  });
  suite.ok = async <T,>(path: string): Promise<T> => {
    const res = await suite.svc.call(path);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  return suite;
}

/** Reloads the page and checks that it comes back at the same URL with these fields' values: the URL holds the page's state. */
export async function expectReloadKeeps(page: Page, fields: Record<string, string>): Promise<void> {
  const url = page.url();
  await page.reload();
  await waitReady(page);
  expect(page.url()).toBe(url);
  for (const [selector, value] of Object.entries(fields)) expect(await page.locator(selector).inputValue(), selector).toBe(value);
}
