/**
 * The dashboard's only door to the service: typed GET/PUT against /v1, authenticated by the
 * session cookie of POST /v1/session (the page never keeps a token). Response types come from the
 * service's own contract (type-only imports), so a contract change breaks the build, not the user.
 * Errors arrive as `{"error": {"code", "message", "details"}}` and are thrown as `ApiError`.
 */
import type {
  ChurnByFactor,
  Cohorts,
  Dimensions,
  DoseResponse,
  Drivers,
  Factor,
  FeeEconomics,
  Heatmap,
  IngestionStatus,
  Summary,
  SurvivalCurves,
} from '$service/analytics/contracts.ts';
import type { RejectionCode } from '$service/events/contract.ts';
import type { CustomerPage, DrillPage } from '$service/customers/contracts.ts';
import type { AudiencePage, CatalogueResponse, Performance, Recommendations, RiskModel } from '$service/offers/contracts.ts';
import type { Backtest, ContactCalendar, Plan, Scenarios, TimeThieves } from '$service/staffing/contracts.ts';
import type { RosterResponse, ShiftPlanResponse } from '$service/staffing/shift-contracts.ts';
import type { PaymentMethodReport, MethodClass } from '$service/settings/payment-methods.ts';
import type { DataQuality } from '$service/quality/contracts.ts';
import type { ViewList } from '$service/views/contracts.ts';
import type { AlertList, AlertRule } from '$service/alerts/contracts.ts';
import type { CancellationReasons, MrrMovements, RevenueChurn } from '$service/revenue/contracts.ts';
import { activity } from './activity.svelte.ts';

/** GET /v1/rejected (its zod schema is local to service/routes/rejected.ts, so mirrored here). */
export interface RejectedPage {
  total: number;
  limit: number;
  offset: number;
  by_code: Partial<Record<RejectionCode | string, number>>;
  rows: { batch_id: number; row: number; received_at: string; event_id: string | null; type: string | null; code: RejectionCode | string; message: string; raw: string | null; raw_length: number | null; raw_truncated: boolean }[];
}

/** GET /v1/health (schema local to service/routes/health.ts, so mirrored here). */
export interface Health {
  status: 'ok' | 'degraded';
  database: { reachable: boolean; file?: string; schema_version: number | null };
  counts: { events: number; customers: number; rejected_rows: number; batches: number } | null;
  auth: 'on' | 'open';
  uptime_seconds: number;
}

/** GET /v1/alerts/rules (its zod list schema is inferred here from the rule type). */
export interface RuleList {
  rules: AlertRule[];
}

/** Response type per GET path (without query). */
export type Endpoints = {
  '/v1/churn/summary': Summary;
  '/v1/churn/dimensions': Dimensions;
  '/v1/churn/drivers': Drivers;
  '/v1/churn/cohorts': Cohorts;
  '/v1/churn/survival': SurvivalCurves;
  '/v1/churn/heatmap': Heatmap;
  '/v1/churn/dose-response/late_invoices': DoseResponse;
  '/v1/churn/dose-response/fees': DoseResponse;
  '/v1/fees/economics': FeeEconomics;
  '/v1/data-quality': DataQuality;
  '/v1/ingestion/status': IngestionStatus;
  '/v1/rejected': RejectedPage;
  '/v1/health': Health;
  '/v1/settings/payment-methods': PaymentMethodReport;
  '/v1/offers/catalogue': CatalogueResponse;
  '/v1/offers/recommendations': Recommendations;
  '/v1/offers/audience': AudiencePage;
  '/v1/offers/performance': Performance;
  '/v1/offers/model': RiskModel;
  '/v1/staffing/plan': Plan;
  '/v1/staffing/backtest': Backtest;
  '/v1/staffing/scenarios': Scenarios;
  '/v1/staffing/contact-calendar': ContactCalendar;
  '/v1/operations/time-thieves': TimeThieves;
  '/v1/staffing/shifts': ShiftPlanResponse;
  '/v1/staffing/roster': RosterResponse;
  '/v1/views': ViewList;
  '/v1/alerts': AlertList;
  '/v1/revenue/churn': RevenueChurn;
  '/v1/revenue/mrr-movements': MrrMovements;
  '/v1/revenue/cancellation-reasons': CancellationReasons;
  '/v1/alerts/rules': RuleList;
  '/v1/staffing/agents': { agents: RosterResponse['agents'][number][]; saved_at: string | null };
  '/v1/customers': DrillPage;
} & { [K in `/v1/churn/by/${Factor}`]: ChurnByFactor } & { [K in `/v1/customers/${string}`]: CustomerPage };
export type EndpointPath = keyof Endpoints;

export interface ApiProblem {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

export class ApiError extends Error implements ApiProblem {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

// --- Sign-in (issue 17): the token is exchanged for an HttpOnly session cookie and never kept. ---
import type { SessionState } from '$service/http/auth-sessions.ts';
export type { SessionState };

/** Where earlier versions kept the bearer token; read once to sign that browser in, then deleted. */
const LEGACY_TOKEN_KEY = 'invoice-pulse.token';

/** Sent on every write: the service refuses cookie-authenticated writes without it (CSRF). */
const CSRF_HEADERS = { 'x-requested-with': 'invoice-pulse' } as const;

/**
 * A token an earlier version left in localStorage becomes a session once, before the first
 * request, and leaves storage whatever the answer (a dead token must not be retried forever).
 */
const legacySignIn: Promise<void> = (async () => {
  let legacy: string | null = null;
  try {
    legacy = localStorage.getItem(LEGACY_TOKEN_KEY);
    localStorage.removeItem(LEGACY_TOKEN_KEY);
  } catch {
    /* storage disabled: nothing was kept */
  }
  if (legacy?.trim()) await postSession(legacy.trim()).catch(() => undefined);
})();

async function postSession(token: string): Promise<void> {
  const res = await fetch('/v1/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'application/json', ...CSRF_HEADERS },
    body: JSON.stringify({ token }),
  });
  if (!res.ok) {
    const err = ((await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `${res.status} ${res.statusText}`);
  }
}

/** Sign in with a token: the answer sets the session cookie; every resource asks again with it. */
export async function signIn(token: string): Promise<SessionState> {
  await legacySignIn;
  await postSession(token);
  activity.authEpoch++;
  return getSession();
}

/** Sign out: the service forgets the session and clears the cookie. */
export async function signOut(): Promise<SessionState> {
  await request<void>('DELETE', '/v1/session');
  activity.authEpoch++;
  return getSession();
}

/** Whether this browser is signed in, and as which role (never the token). */
export function getSession(): Promise<SessionState> {
  return request<SessionState>('GET', '/v1/session');
}

export type Query = URLSearchParams | Record<string, string | number | undefined | null> | undefined;

export function buildUrl(path: string, query?: Query): string {
  const params = query instanceof URLSearchParams ? new URLSearchParams(query) : new URLSearchParams();
  if (query && !(query instanceof URLSearchParams)) {
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  params.sort();
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request<T>(method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...(method === 'GET' ? {} : CSRF_HEADERS) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  activity.begin();
  try {
    await legacySignIn;
    let res: Response;
    try {
      // The session cookie goes along (same origin only); the page itself never sees it.
      res = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, 'network_error', 'The service could not be reached. Is it running?');
    }
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      let message = err?.message ?? `${res.status} ${res.statusText}`;
      if (res.status === 401) message += ' — sign in with an access token on the Data page.';
      throw new ApiError(res.status, err?.code ?? `http_${res.status}`, message, err?.details);
    }
    if (res.status === 204) return undefined as T;
    if (json === undefined) throw new ApiError(res.status, 'invalid_response', 'The service sent an empty or non-JSON response.');
    return json as T;
  } finally {
    activity.end();
  }
}

/** GET a typed endpoint with a query (filters and endpoint parameters). */
export function apiGet<P extends EndpointPath>(path: P, query?: Query, signal?: AbortSignal): Promise<Endpoints[P]> {
  return request<Endpoints[P]>('GET', buildUrl(path, query), undefined, signal);
}

/** Replace the payment-method map (admin). The body is the complete map. */
export function putPaymentMethods(methods: Record<string, MethodClass>): Promise<PaymentMethodReport> {
  return request<PaymentMethodReport>('PUT', '/v1/settings/payment-methods', { methods });
}

/** A write to a JSON endpoint (saved views, alert rules); DELETE answers nothing (204). */
export function apiSend<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return request<T>(method, path, body);
}

export function toProblem(e: unknown): ApiProblem {
  if (e instanceof ApiError) return { status: e.status, code: e.code, message: e.message, details: e.details };
  return { status: 0, code: 'client_error', message: e instanceof Error ? e.message : String(e) };
}

// --- Offer campaigns with a hold-out group (issue 15): typed calls of /v1/offers/campaigns. ---
export type { CampaignReport } from '$service/offers/campaigns.ts';
import type { CampaignReport as Campaign } from '$service/offers/campaigns.ts';

/** GET /v1/offers/campaigns: every campaign's report, newest first. */
export function listCampaigns(signal?: AbortSignal): Promise<{ campaigns: Campaign[] }> {
  return request<{ campaigns: Campaign[] }>('GET', '/v1/offers/campaigns', undefined, signal);
}

export interface NewCampaign {
  campaign_id: string;
  holdout_share: number;
  offer_id?: string;
  min_expected_value?: number;
  filters: Record<string, string | string[]>;
}

/** POST /v1/offers/campaigns: export the audience as a campaign with a reproducible hold-out. */
export function createCampaign(body: NewCampaign): Promise<Campaign> {
  return request<Campaign>('POST', '/v1/offers/campaigns', body);
}
