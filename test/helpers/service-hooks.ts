/**
 * The real service for a test file or a describe block, as Vitest hooks: started in beforeAll,
 * stopped in afterAll. What it returns stands in for the running service (every property is the
 * started service's), so tests write `svc.call(…)` as with startTestService. Kept apart from
 * service.ts, which the benchmarks import outside Vitest.
 */
import { afterAll, beforeAll } from 'vitest';
import { startTestService, type TestService } from './service.ts';

export function serviceForTests(env: Record<string, string> = {}): TestService {
  let svc: TestService | undefined;
  beforeAll(async () => {
    svc = await startTestService(env);
  });
  afterAll(() => svc?.stop());
  return new Proxy({} as TestService, {
    get(_, key) {
      if (svc) return svc[key as keyof TestService];
      // Probes (is it a promise? how does it print?) get nothing rather than the error.
      if (key === 'then' || typeof key === 'symbol') return undefined;
      throw new Error(`the test service is not started yet (svc.${key}): use it inside a test or a hook`);
    },
  });
}
