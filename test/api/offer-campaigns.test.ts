/**
 * Hold-out groups for offers (issue 15): the assignment is the documented hash rule, so it is the
 * same in every export and on every machine, its share is near the requested one, and the uplift
 * report counts exactly what the events say, labelled experimental. Real service, small sample.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNdjson } from '../helpers/events.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ SAMPLE_DATA: 'small' });
}, 240_000);
afterAll(() => svc.stop());

const heldOut = (campaign: string, customer: string, share: number) => parseInt(createHash('md5').update(`${campaign}:${customer}`).digest('hex').slice(0, 13), 16) / 2 ** 52 < share;
const members = async (id: string, group: string) =>
  (await (await svc.call(`/v1/offers/campaigns/${id}/members.csv?group=${group}`)).text())
    .trim()
    .split('\r\n')
    .slice(1)
    .map((l) => l.split(','));

describe('offer campaigns with a hold-out', () => {
  it('hold out by the hash rule, near the requested share, the same in every export; a second campaign with the id is refused', async () => {
    const res = await svc.call('/v1/offers/campaigns', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ campaign_id: 'spring-dd', holdout_share: 0.2 }) });
    expect(res.status).toBe(201);
    const report = await res.json();
    expect(report.evidence).toBe('experimental');
    const all = await members('spring-dd', 'all');
    expect(all.length).toBe(report.treatment.members + report.holdout.members);
    expect(all.length).toBeGreaterThan(300);
    for (const [customer, , , group] of all) expect(group, customer).toBe(heldOut('spring-dd', customer.replaceAll('"', ''), 0.2) ? 'holdout' : 'treatment');
    // Near the share: within four binomial standard deviations.
    const share = report.holdout.members / all.length;
    expect(Math.abs(share - 0.2)).toBeLessThan(4 * Math.sqrt((0.2 * 0.8) / all.length));
    expect(report.realised_holdout_share).toBeCloseTo(share, 12);
    // Every export of the groups is the same list.
    expect(await members('spring-dd', 'holdout')).toEqual(all.filter((m) => m[3] === 'holdout'));
    expect(await members('spring-dd', 'holdout')).toEqual(await members('spring-dd', 'holdout'));
    const again = await svc.call('/v1/offers/campaigns', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ campaign_id: 'spring-dd', holdout_share: 0.3 }) });
    expect(again.status).toBe(409);
    // A minimum value beyond any money (schemathesis sent 1.7e308, which overflowed the SQL's DECIMAL: a 500) is a 400.
    const absurd = await svc.call('/v1/offers/campaigns', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ campaign_id: 'absurd', min_expected_value: 1.6951288764344951e308 }) });
    expect(absurd.status).toBe(400);
    expect(((await absurd.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
  });

  it('reports churn in each group from the events after the campaign, exactly', async () => {
    const all = await members('spring-dd', 'all');
    const treatedRows = all.filter((m) => m[3] === 'treatment');
    const treated = treatedRows.map((m) => m[0].replaceAll('"', ''));
    const held = all.filter((m) => m[3] === 'holdout').map((m) => m[0].replaceAll('"', ''));
    const before = await (await svc.call('/v1/offers/campaigns/spring-dd')).json();
    // 10 treated customers are shown their campaign offer; 3 treated and 6 held-out customers cancel afterwards.
    const now = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const events = [
      ...treatedRows.slice(0, 10).map((m, i) => ({ event_id: `camp-shown-${i}`, type: 'offer_shown', occurred_at: now, customer_id: m[0].replaceAll('"', ''), offer_id: m[1] })),
      ...treated.slice(0, 3).map((customer_id, i) => ({ event_id: `camp-cancel-t-${i}`, type: 'subscription_cancelled', occurred_at: now, customer_id, reason: 'price' })),
      ...held.slice(0, 6).map((customer_id, i) => ({ event_id: `camp-cancel-h-${i}`, type: 'subscription_cancelled', occurred_at: now, customer_id, reason: 'price' })),
    ];
    const posted = await svc.call('/v1/events', { method: 'POST', body: toNdjson(events), headers: { 'content-type': 'application/x-ndjson' } });
    expect((await posted.json()).accepted).toBe(events.length);
    const after = await (await svc.call('/v1/offers/campaigns/spring-dd')).json();
    expect(after.treatment.shown - before.treatment.shown).toBe(10);
    expect(after.treatment.churned - before.treatment.churned).toBe(3);
    expect(after.holdout.churned - before.holdout.churned).toBe(6);
    expect(after.treatment.members).toBe(treated.length);
    expect(after.holdout.churn_rate).toBeCloseTo(after.holdout.churned / held.length, 12);
    expect(after.treatment.churn_rate).toBeCloseTo(after.treatment.churned / treated.length, 12);
    expect(after.relative_risk).toBeCloseTo(after.treatment.churn_rate / after.holdout.churn_rate, 12);
    expect(after.churn_prevented).toBeCloseTo(after.holdout.churn_rate - after.treatment.churn_rate, 12);
    expect(after.churn_prevented_ci[0]).toBeLessThan(after.churn_prevented);
    expect(after.churn_prevented_ci[1]).toBeGreaterThan(after.churn_prevented);
  });
});
