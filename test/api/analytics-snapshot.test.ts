/**
 * Every analytical endpoint's answer on the committed `small` sample, pinned as a snapshot, so a
 * refactoring below the routes is proven not to change what the API says. Volatile fields (times
 * of ingestion, timings) are replaced by a marker and numbers are compared to 12 significant
 * digits: DuckDB may sum doubles in a different order on another run, and that is not a change in
 * behaviour. A new endpoint adds a line to ANALYTICAL_ENDPOINTS (test/helpers/endpoints.ts); an intended change of an answer is accepted
 * with `npx vitest run test/api/analytics-snapshot.test.ts -u` and reviewed in the diff.
 */
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYTICAL_ENDPOINTS as ENDPOINTS } from '../helpers/endpoints.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ SAMPLE_DATA: 'small' });
});
afterAll(() => svc.stop());


/** Endpoints that also answer Arrow IPC for their main table. */
const ARROW = [
  '/v1/churn/summary',
  '/v1/churn/by/payment_method_class',
  '/v1/churn/dose-response/fees',
  '/v1/churn/survival?by=timeliness',
  '/v1/churn/drivers?view=lifetime&dimensions=vertical,age_band&ties=breslow',
  '/v1/churn/cohorts',
  '/v1/churn/heatmap',
  '/v1/engagement',
  '/v1/fees/economics',
  '/v1/offers/recommendations',
  '/v1/staffing/plan?weeks=1&intervals=true',
  '/v1/staffing/backtest',
  '/v1/operations/time-thieves',
];

const VOLATILE = /^(committed_at|ingested_at|received_at|created_at|updated_at|saved_at|timings_ms|generated_at|lag_seconds|duration_ms|elapsed_ms|writer)$/;

function stable(value: unknown, key = ''): unknown {
  if (VOLATILE.test(key)) return '<volatile>';
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(12));
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map((v) => stable(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stable(v, k)]));
  return value;
}

/** Arrow metadata values are JSON, except plain strings, which travel as themselves. */
function parseMaybe(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

describe('analytical endpoints on the small sample', () => {
  it.each(ENDPOINTS)('%s', async (path) => {
    const res = await svc.call(path);
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json') ? stable(await res.json()) : await res.text();
    expect({ status: res.status, type, body }).toMatchSnapshot();
  });

  it.each(ARROW)('%s as Arrow', async (path) => {
    const res = await svc.call(path, { headers: { accept: 'application/vnd.apache.arrow.stream' } });
    expect(res.status).toBe(200);
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    const metadata = Object.fromEntries([...table.schema.metadata].map(([k, v]) => [k, stable(parseMaybe(v), k)]));
    const rows = table.toArray().map((r) => stable(JSON.parse(JSON.stringify(r.toJSON(), (_k, v) => (typeof v === 'bigint' ? Number(v) : v)))));
    expect({ fields: table.schema.fields.map((f) => `${f.name}:${f.type}`), metadata, rows }).toMatchSnapshot();
  });
});
