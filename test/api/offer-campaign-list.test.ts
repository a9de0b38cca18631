/**
 * GET /v1/offers/campaigns (the Offers page's list, issue 15): empty at first, then every
 * campaign newest first, each entry exactly the report GET /v1/offers/campaigns/{id} gives.
 */
import { describe, expect, it } from 'vitest';
import type { CampaignReport } from '../../service/offers/campaigns.ts';
import { serviceForTests } from '../helpers/service-hooks.ts';

const svc = serviceForTests({ SAMPLE_DATA: 'small' });

const list = async () => {
  const res = await svc.call('/v1/offers/campaigns');
  expect(res.status).toBe(200);
  return ((await res.json()) as { campaigns: CampaignReport[] }).campaigns;
};
const create = async (body: Record<string, unknown>) => {
  const res = await svc.call('/v1/offers/campaigns', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return (await res.json()) as CampaignReport;
};

describe('campaign list', () => {
  it('lists every campaign newest first, each as its own report', async () => {
    expect(await list()).toEqual([]);
    const a = await create({ campaign_id: 'first', holdout_share: 0.1 });
    await new Promise((r) => setTimeout(r, 1100)); // created_at has second resolution
    const b = await create({ campaign_id: 'second', holdout_share: 0.3, filters: { market: ['NO'] } });
    const all = await list();
    expect(all.map((c) => [c.campaign_id, c.holdout_share])).toEqual([
      ['second', 0.3],
      ['first', 0.1],
    ]);
    for (const c of [a, b]) {
      // The single report also names the data snapshot it was read from (every analytical answer does).
      const { data_as_of, lag_seconds, ...one } = (await (await svc.call(`/v1/offers/campaigns/${c.campaign_id}`)).json()) as Record<string, unknown>;
      expect([typeof data_as_of, typeof lag_seconds]).toEqual(['object', 'number']);
      expect(all.find((x) => x.campaign_id === c.campaign_id)).toEqual(one);
    }
    expect(b.filters).toEqual({ market: ['NO'] });
    expect(a.treatment.members + a.holdout.members).toBeGreaterThan(b.treatment.members + b.holdout.members);
  });
});
