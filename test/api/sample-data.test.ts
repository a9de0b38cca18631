/**
 * The committed `small` sample through the real API: ingestion reports exactly the planted dirt,
 * and the engine recovers the planted effects — lifetime relative risks on the small set, and the
 * planted hazard ratios in the landmark view on a larger generated set (a 30-day landmark horizon
 * matches the generator's monthly hazard, and needs more customers than `small` has to have
 * enough churn events for the Cox model).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../service/events/ingest.ts';
import { compareRisks } from '../../service/stats/risk-comparison.ts';
import { generateNdjsonChunks } from '../../sample-data/index.ts';
import type { Manifest, PlantedEffects } from '../../sample-data/index.ts';
import { expectPlantedHazardRatios, expectPlantedRelativeRisks } from '../helpers/planted-effects.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

const SMALL = path.resolve(import.meta.dirname, '../../sample-data/small');
const manifest = JSON.parse(fs.readFileSync(path.join(SMALL, 'manifest.json'), 'utf8')) as Manifest;
const planted = JSON.parse(fs.readFileSync(path.join(SMALL, 'planted-effects.json'), 'utf8')) as PlantedEffects;
const truths = planted.population_truths!;

type Group = { key: string; n: number; churned: number; relative_risk: number; rr_ci: [number, number]; rate: number; rate_ci: [number, number] };

describe('the committed small sample through the API', () => {
  let svc: TestService;
  let result: { accepted: number; duplicates: number; rejected: number };
  beforeAll(async () => {
    svc = await startTestService();
    const res = await svc.call('/v1/events', {
      method: 'POST',
      body: fs.readFileSync(path.join(SMALL, 'events.ndjson.gz')),
      headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
    });
    result = await res.json();
  });
  afterAll(() => svc.stop());

  const by = async (factor: string, query = '') => (await (await svc.call(`/v1/churn/by/${factor}?view=lifetime${query}`)).json()).groups as Group[];
  const group = (groups: Group[], key: string) => groups.find((g) => g.key === key)!;

  it('reports exactly the planted dirt: duplicates, and rejected rows per code', async () => {
    expect(result).toMatchObject(manifest.expected_ingest);
    const rejected = await (await svc.call('/v1/rejected?limit=1')).json();
    expect(rejected.by_code).toEqual(Object.fromEntries(Object.entries(manifest.dirt_counts.invalid_rows).filter(([, n]) => n > 0)));
    const methods = await (await svc.call('/v1/settings/payment-methods')).json();
    expect(methods.unknown.map((u: { label: string }) => u.label).sort()).toEqual([...manifest.dirt_counts.unknown_method_labels].sort());
  });

  it('recovers the lifetime relative risks of payment class, timeliness and fees within their 95 % intervals', async () => {
    await expectPlantedRelativeRisks((factor) => by(factor), planted);
    // The survey facts: manual about 2×, late almost 3×.
    expect(group(await by('payment_method_class'), 'manual').relative_risk).toBeGreaterThan(1.5);
  });

  it('recovers the lifetime churn rate of each group within its Wilson interval', async () => {
    const map: [string, string, Record<string, string>][] = [
      ['payment_method_class', 'payment_class', { automatic: 'automatic', manual: 'manual' }],
      ['timeliness', 'timeliness', { on_time: 'on_time', late_once: 'late_once', late_repeatedly: 'late_repeatedly' }],
      ['fee_exposure', 'fees', { none: 'none', one: 'one', two_or_more: 'two_or_more' }],
      ['age_band', 'age_band', { '18-29': '18-29', '30-49': '30-49', '50-79': '50-79', '80+': '80+' }],
    ];
    for (const [factor, dim, levels] of map) {
      const groups = await by(factor);
      for (const [ours, theirs] of Object.entries(levels)) {
        const g = group(groups, ours);
        const rate = truths.rates[dim][theirs].rate;
        expect(g.rate_ci[0], `${factor}=${ours}`).toBeLessThanOrEqual(rate);
        expect(g.rate_ci[1], `${factor}=${ours}`).toBeGreaterThanOrEqual(rate);
      }
    }
  });

  it('recovers the other planted lifetime effects: under 30, first two years, overpriced plans, dissatisfaction', async () => {
    const pooled = (groups: Group[], keys: string[]) => groups.filter((g) => keys.includes(g.key)).reduce((a, g) => ({ n: a.n + g.n, events: a.events + g.churned }), { n: 0, events: 0 });
    const age = await by('age_band');
    const tenure = await by('tenure_band');
    const fit = await by('plan_fit');
    const sat = await by('satisfaction_level');
    const cases: [string, ReturnType<typeof pooled>, ReturnType<typeof pooled>, string][] = [
      ['under 30', pooled(age, ['18-29']), pooled(age, ['30-49', '50-79', '80+']), 'under_30_vs_30_plus'],
      ['first two years', pooled(tenure, ['<1y', '1-2y']), pooled(tenure, ['2+y']), 'tenure_under_2y_vs_2y_plus'],
      ['overpriced plan', pooled(fit, ['priced_above_use']), pooled(fit, ['fits_use']), 'overpriced_vs_not'],
      ['dissatisfied', pooled(sat, ['dissatisfied']), pooled(sat, ['satisfied', 'unknown']), 'dissatisfied_vs_not'],
    ];
    for (const [label, exposed, reference, truth] of cases) {
      const cmp = compareRisks(exposed, reference);
      const rr = truths.relative_risks[truth].rr;
      expect(cmp.relativeRiskCi![0], `${label}: ${cmp.relativeRisk} vs ${rr}`).toBeLessThanOrEqual(rr);
      expect(cmp.relativeRiskCi![1], `${label}: ${cmp.relativeRisk} vs ${rr}`).toBeGreaterThanOrEqual(rr);
    }
  });

  it('shows the broadband fee effect at least as strong as telephony, as planted', async () => {
    const any = (groups: Group[]) => {
      const none = group(groups, 'none');
      const fee = groups.filter((g) => g.key !== 'none').reduce((a, g) => ({ n: a.n + g.n, events: a.events + g.churned }), { n: 0, events: 0 });
      return compareRisks(fee, { n: none.n, events: none.churned });
    };
    const broadband = any(await by('fee_exposure', '&vertical=broadband'));
    const telecom = any(await by('fee_exposure', '&vertical=telecom'));
    for (const [cmp, v] of [[broadband, 'broadband'], [telecom, 'telecom']] as const) {
      const rr = truths.fee_relative_risks_by_vertical[v].any_vs_none.rr;
      expect(cmp.relativeRiskCi![0]).toBeLessThanOrEqual(rr);
      expect(cmp.relativeRiskCi![1]).toBeGreaterThanOrEqual(rr);
    }
  });
});

describe('landmark view: the Cox model recovers the planted hazard ratios', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
    const chunks = [...generateNdjsonChunks({ size: 20_000, seed: 3 })].map((c) => Buffer.from(c));
    await ingest(svc.ctx.db, chunks, 'application/x-ndjson', { afterIngest: svc.ctx.afterIngest });
  }, 600_000);
  afterAll(() => svc.stop());

  it('finds every planted hazard ratio inside its 95 % interval (30-day horizon, 180-day look-back)', async () => {
    // Age 30–49 carries no planted effect: its interval must hold 1.
    const body = await expectPlantedHazardRatios(svc, planted, { 'age_band=30-49': 1 });
    expect(body.concordance).toBeGreaterThan(0.6);
  });
});
