/**
 * The usual set-up of a dashboard page's browser tests, as Vitest hooks (kept apart from
 * browser.ts, which the benchmark also imports outside Vitest).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { assertWebBuilt, launchBrowser, newContext, watch, type PageWatch } from './browser.ts';
import { startTestService, type TestService } from './service.ts';

export interface DashboardSuite {
  readonly svc: TestService;
  /** The file's browser, for a second, fresh context within a test. */
  readonly browser: Browser;
  readonly page: Page;
  readonly watch: PageWatch;
  /** The service's JSON answer to a GET of `path`, which must be 200 (the numbers a page must show). */
  ok<T>(path: string): Promise<T>;
}

/**
 * Registers the hooks: the real service with
 * the `small` sample and one browser for the file, a fresh context and page per test, and every
 * test failing on console errors or failed requests.
 */
export function dashboardSuite(viewport = { width: 1280, height: 800 }): DashboardSuite {
  const state = {} as { svc: TestService; browser: Browser; context: BrowserContext; page: Page; watch: PageWatch };
  beforeAll(async () => {
    assertWebBuilt();
    state.svc = await startTestService({ SAMPLE_DATA: 'small' });
    state.browser = await launchBrowser();
  });
  afterAll(async () => {
    await state.browser?.close();
    await state.svc?.stop();
  });
  beforeEach(async () => {
    state.context = await newContext(state.browser, viewport);
    state.page = await state.context.newPage();
    state.watch = watch(state.page);
  });
  afterEach(async () => {
    const problems = [...state.watch.problems];
    await state.context.close();
    expect(problems, 'console errors or failed requests').toEqual([]);
  });
  return {
    get svc() {
      return state.svc;
    },
    get browser() {
      return state.browser;
    },
    get page() {
      return state.page;
    },
    get watch() {
      return state.watch;
    },
    async ok<T>(path: string): Promise<T> {
      const res = await state.svc.call(path);
      expect(res.status, path).toBe(200);
      return (await res.json()) as T;
    },
  };
}
