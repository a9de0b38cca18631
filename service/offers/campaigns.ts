/**
 * Offer campaigns with a hold-out group (issue 15): exporting an audience as a campaign holds out
 * a random, reproducible share of it — a customer is held out when u = the first 13 hex digits of
 * md5(campaign_id + ':' + customer_id) / 2^52 is below the share (queries/offers/campaign_members.sql),
 * so the same campaign id always holds out the same customers, whoever exports it and however
 * often. The members are stored (`offer_campaign_members`, migration 7_issue15_offer_campaigns)
 * because the audience of tomorrow differs from today's, and the comparison must be of the
 * customers who were randomised. The report is intent-to-treat: churn since the campaign's as-of
 * date in the treatment group (sent the offer; `offer_shown` events count how many saw it) against
 * the hold-out (never sent it), with the relative risk (95 % log-method CI) and the risk
 * difference (95 % Newcombe hybrid score interval from the two Wilson intervals). Randomised, so it
 * is labelled experimental, unlike the observational past performance.
 */
import type { Filters } from '../analytics/contracts.ts';
import { filteredStatement, type Engine } from '../analytics/runner.ts';
import { latestEventDate } from '../analytics/scope.ts';
import { sql } from '../db/sql-files.ts';
import { DomainError } from '../domain-error.ts';
import { newcombeDifference } from '../stats/proportion-difference.ts';
import { compareRisks } from '../stats/risk-comparison.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import type { OfferState } from './engine.ts';

export class CampaignNotFoundError extends DomainError {
  constructor(id: string) {
    super('not_found', `no offer campaign "${id}"`);
  }
}
export class CampaignExistsError extends DomainError {
  constructor(id: string) {
    super('campaign_exists', `an offer campaign "${id}" exists already; its members are fixed — export them, or pick a new id`);
  }
}

export interface CampaignInput {
  campaign_id: string;
  offer_id?: string;
  holdout_share: number;
  min_expected_value?: number;
}


export async function createCampaign(engine: Engine, state: OfferState, filters: Filters, input: CampaignInput, storedFilters: unknown) {
  const { text, params } = filteredStatement(state.tables.best, filters, 'offers/campaign_members', {
    params: { campaign_id: input.campaign_id, share: input.holdout_share, offer_id: input.offer_id ?? null, min_value: input.min_expected_value ?? null },
  });
  await engine.db.ownTransaction(async (c) => {
    const exists = (await c.runAndReadAll(`SELECT 1 FROM offer_campaigns WHERE campaign_id = $id`, { id: input.campaign_id })).getRowObjects().length > 0;
    if (exists) throw new CampaignExistsError(input.campaign_id);
    await c.run(`INSERT INTO offer_campaigns VALUES ($id, $offer, $share, $as_of::DATE, $filters::JSON, now())`, { id: input.campaign_id, offer: input.offer_id ?? null, share: input.holdout_share, as_of: state.asOf, filters: JSON.stringify(storedFilters) } as never);
    await c.run(`INSERT INTO offer_campaign_members SELECT * FROM (${text})`, params);
  });
  return campaignReport(engine, input.campaign_id);
}

export async function campaignReport(engine: Engine, id: string) {
  const row = await engine.db.withConnection(
    async (c) =>
      (await c.runAndReadAll(`SELECT campaign_id, offer_id, holdout_share, strftime(as_of, '%Y-%m-%d') AS as_of, filters::VARCHAR AS filters, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at FROM offer_campaigns WHERE campaign_id = $id`, { id })).getRowObjects()[0],
  );
  if (!row) throw new CampaignNotFoundError(id);
  await engine.upkeep.settle();
  const start = new Date(Date.parse(`${String(row.as_of)}T00:00:00Z`) + 86_400_000).toISOString();
  const latest = (await latestEventDate(engine.db)) ?? String(row.as_of);
  const until = new Date(Date.parse(`${latest}T00:00:00Z`) + 86_400_000).toISOString();
  const rows = await engine.db.withConnection(async (c) => (await c.runAndReadAll(sql('offers/campaign_outcomes'), { campaign_id: id, start, until })).getRowObjectsJson());
  const by = (g: string) => {
    const r = rows.find((x) => x.grp === g);
    const members = Number(r?.members ?? 0);
    const churned = Number(r?.churned ?? 0);
    const w = wilsonInterval(churned, members);
    return { members, shown: Number(r?.shown ?? 0), accepted: Number(r?.accepted ?? 0), churned, churn_rate: w.proportion, churn_rate_ci: members ? ([w.lower, w.upper] as [number, number]) : null };
  };
  const treatment = by('treatment');
  const holdout = by('holdout');
  const cmp = treatment.members && holdout.members ? compareRisks({ n: treatment.members, events: treatment.churned }, { n: holdout.members, events: holdout.churned }) : null;
  const days = Math.max(0, Math.round((Date.parse(until) - Date.parse(start)) / 86_400_000));
  return {
    campaign_id: String(row.campaign_id),
    offer_id: row.offer_id === null ? null : String(row.offer_id),
    holdout_share: Number(row.holdout_share),
    as_of: String(row.as_of),
    filters: JSON.parse(String(row.filters)) as Record<string, unknown>,
    created_at: String(row.created_at),
    observed_until: latest,
    days_observed: days,
    evidence: 'experimental' as const,
    treatment,
    holdout,
    realised_holdout_share: treatment.members + holdout.members ? holdout.members / (treatment.members + holdout.members) : null,
    relative_risk: cmp?.relativeRisk ?? null,
    rr_ci: cmp?.relativeRiskCi ?? null,
    p_value: cmp?.pValue ?? null,
    churn_prevented: cmp?.riskDifference === null || cmp === null ? null : -cmp.riskDifference,
    churn_prevented_ci: (() => {
      const ci = newcombeDifference(holdout.churned, holdout.members, treatment.churned, treatment.members);
      return ci;
    })(),
    note:
      `Experimental (randomised hold-out), intent-to-treat: churn after ${String(row.as_of)} among everyone assigned, whether or not they saw the offer (${treatment.shown} of ${treatment.members} treated customers have an offer_shown event; ${holdout.shown} held-out customers were shown it anyway). ` +
      `churn_prevented = hold-out rate − treatment rate (95 % Newcombe interval). ${days < 30 ? 'Fewer than 30 days observed: too early to judge. ' : ''}${holdout.members < 30 ? 'The hold-out has fewer than 30 customers: no conclusion. ' : ''}`,
  };
}
export type CampaignReport = Awaited<ReturnType<typeof campaignReport>>;

/** Every campaign's report, newest first (the Offers page lists them). */
export async function listCampaigns(engine: Engine): Promise<CampaignReport[]> {
  const ids = await engine.db.withConnection(async (c) => (await c.runAndReadAll(`SELECT campaign_id FROM offer_campaigns ORDER BY created_at DESC, campaign_id`)).getRowObjects().map((r) => String(r.campaign_id)));
  const out: CampaignReport[] = [];
  for (const id of ids) out.push(await campaignReport(engine, id));
  return out;
}

export async function campaignMembersCsv(engine: Engine, id: string, group: 'treatment' | 'holdout' | 'all'): Promise<string> {
  await campaignReport(engine, id);
  const rows = await engine.db.withConnection(
    async (c) =>
      (await c.runAndReadAll(`SELECT customer_id, offer_id, grp FROM offer_campaign_members WHERE campaign_id = $id AND ($g = 'all' OR grp = $g) ORDER BY customer_id`, { id, g: group })).getRowObjects(),
  );
  const q = (s: string) => `"${(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
  return ['customer_id,offer_id,campaign_id,group', ...rows.map((r) => [q(String(r.customer_id)), String(r.offer_id), q(id), String(r.grp)].join(','))].join('\r\n') + '\r\n';
}
