/**
 * The check the API tests make of their validation: each request is refused with 400
 * `invalid_request`, and the error's details name the offending parameter.
 */
import { expect } from 'vitest';

type Answer = { status: number; body: { error: { code: string; details: unknown } } };

export async function expectRefusedNaming(get: (path: string) => Promise<Answer>, cases: readonly (readonly [path: string, param: string])[]): Promise<void> {
  for (const [path, param] of cases) {
    const { status, body } = await get(path);
    expect(status, path).toBe(400);
    expect(body.error.code, path).toBe('invalid_request');
    expect(JSON.stringify(body.error.details), path).toContain(param);
  }
}
