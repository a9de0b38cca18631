/**
 * A history that starts mid-life (sample-data --mid-life): the customers who joined before the
 * data begins have no subscription_started, only a customer_updated at the window start carrying
 * their customer_since date. They must still be customers (observed late, not orphans), enter the
 * lifetime survival statistics with delayed entry, and the planted effects must still be found:
 * the lifetime relative risks on the small population, the planted hazard ratios of the landmark
 * Cox model on a larger one (the same 20 000-customer set as sample-data.test.ts uses).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../service/events/ingest.ts';
import { generateNdjsonChunks } from '../../sample-data/index.ts';
import type { PlantedEffects } from '../../sample-data/index.ts';
import { expectPlantedHazardRatios, expectPlantedRelativeRisks } from '../helpers/planted-effects.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

const SMALL = path.resolve(import.meta.dirname, '../../sample-data/small');
const planted = JSON.parse(fs.readFileSync(path.join(SMALL, 'planted-effects.json'), 'utf8')) as PlantedEffects;

type Group = { key: string; n: number; churned: number; relative_risk: number; rr_ci: [number, number] };

async function serviceWith(size: number, seed: number): Promise<{ svc: TestService; sinceLines: number; startedLines: number }> {
  const svc = await startTestService();
  const chunks = [...generateNdjsonChunks({ size, seed, midLife: true })];
  const lines = chunks.join('').split('\n');
  const sinceLines = lines.filter((l) => l.includes('"customer_since"')).length;
  const startedLines = new Set(lines.filter((l) => l.includes('"type":"subscription_started"')).map((l) => /"customer_id":"([^"]+)"/.exec(l)![1])).size;
  await ingest(svc.ctx.db, chunks.map((c) => Buffer.from(c)), 'application/x-ndjson', { afterIngest: svc.ctx.afterIngest });
  return { svc, sinceLines, startedLines };
}

describe('a 2 000-customer history that starts mid-life', () => {
  let svc: TestService;
  let sinceLines: number;
  let startedLines: number;
  beforeAll(async () => {
    ({ svc, sinceLines, startedLines } = await serviceWith(2000, 42));
  }, 300_000);
  afterAll(() => svc.stop());
  const get = async (p: string) => (await svc.call(p)).json();

  it('counts every id as a customer: the earlier joiners observed late with a known tenure, none an orphan', async () => {
    // The generator's population: 55 % present at the window start, seen first through customer_since.
    expect(sinceLines).toBe(1100);
    // 900 joined in the window; 17 of the earlier joiners left and came back (a new subscription_started).
    expect(startedLines).toBe(917);
    const facts = await svc.query<{ observed_late: boolean; tenure_known: boolean; n: string }>(
      `SELECT observed_late, tenure_known, count(*) AS n FROM customer_facts GROUP BY ALL ORDER BY observed_late`,
    );
    expect(facts).toEqual([
      { observed_late: false, tenure_known: true, n: '900' },
      { observed_late: true, tenure_known: true, n: '1100' },
    ]);
    const summary = await get('/v1/churn/summary');
    expect(summary.kpis.find((k: { key: string }) => k.key === 'customers').value).toBe(2000);
  });

  it('puts the late-seen customers into the lifetime Kaplan–Meier with delayed entry', async () => {
    const s = await get('/v1/churn/survival?view=lifetime&by=payment_method_class&times=365,730');
    expect(s.delayed_entry).toBe(true);
    const late = s.curves.reduce((a: number, c: { entered_late: number }) => a + c.entered_late, 0);
    // Everyone present at the window start enters late, the 17 who came back included.
    expect(late).toBe(1100);
    expect(s.time_origin).toContain('delayed entry');
    // With delayed entry nobody is at risk before they could be seen: at 30 days only those who joined in the window.
    const auto = s.curves.find((c: { key: string }) => c.key === 'automatic');
    expect(auto.points[0].at_risk).toBeLessThan(auto.n);
    const drivers = await get('/v1/churn/drivers?view=lifetime&dimensions=age_band');
    expect(drivers.delayed_entry).toBe(true);
    expect(drivers.note).toContain('delayed entry');
  });

  it('still recovers the lifetime relative risks of payment class, timeliness and fees within their 95 % intervals', async () => {
    await expectPlantedRelativeRisks(async (factor) => (await get(`/v1/churn/by/${factor}?view=lifetime`)).groups as Group[], planted);
  });
});

describe('a 20 000-customer history that starts mid-life: the landmark Cox model', () => {
  let svc: TestService;
  beforeAll(async () => {
    ({ svc } = await serviceWith(20_000, 3));
  }, 600_000);
  afterAll(() => svc.stop());

  it('finds every planted hazard ratio inside its 95 % interval, tenure bands taken from customer_since', async () => {
    await expectPlantedHazardRatios(svc, planted);
  });
});
